import { type ApiWorld, createApiWorld, type PrincipalName } from '@affection/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Policy } from '../../apps/server/src/auth/policy.ts';
import { listRoutePolicies } from '../../apps/server/src/routes/define-route.ts';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
};

/** A caller each policy lets through, so that the input reaches validation and the handler. */
function callerFor(policy: Policy): PrincipalName {
  const byPolicy: Record<Policy, PrincipalName> = {
    public: 'anonymous',
    webhook: 'anonymous',
    kiosk: 'kioskA',
    family: 'familyA',
    teacher: 'adminA',
    admin: 'adminA',
  };
  return byPolicy[policy];
}

/** Values of roughly the right shape, often invalid at the edges. */
function valueFor(schema: JsonSchema | undefined, ids: string[]): fc.Arbitrary<unknown> {
  const types = Array.isArray(schema?.type) ? schema.type : schema?.type ? [schema.type] : [];
  const options: fc.Arbitrary<unknown>[] = [fc.anything()];
  if (schema?.enum) options.push(fc.constantFrom(...schema.enum));
  if (types.includes('string'))
    options.push(
      fc.string(),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.constantFrom(
        ...ids,
        '',
        ' ',
        '12:30',
        '25:61',
        '2026-02-30',
        '+8613812345678',
        '138 1234 5678',
        'Asia/Shanghai',
        'Mars/Base',
      ),
    );
  if (types.includes('integer') || types.includes('number'))
    options.push(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 7, 8, 2 ** 53, Number.MAX_SAFE_INTEGER));
  if (types.includes('boolean')) options.push(fc.boolean());
  if (types.includes('array')) options.push(fc.array(valueFor(schema?.items, ids), { maxLength: 40 }));
  if (types.includes('object') && schema?.properties) options.push(objectFor(schema, ids));
  return fc.oneof(...options);
}

function objectFor(schema: JsonSchema, ids: string[]): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return fc.dictionary(fc.string(), fc.anything());
  return fc.record(Object.fromEntries(props.map(([name, s]) => [name, valueFor(s, ids)])), { requiredKeys: [] });
}

describe('bad input never breaks the server', () => {
  let world: ApiWorld;
  let doc: {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  };
  beforeAll(async () => {
    world = await createApiWorld('pglite');
    doc = (await (await world.request('/api/openapi.json')).json()) as typeof doc;
  });
  afterAll(async () => {
    await world?.close();
  });

  it('answers random and malformed bodies, ids and query strings on every write route with no 5xx', async () => {
    const ids = [
      world.a.child.id,
      world.a.contact.id,
      world.a.household.id,
      world.a.kiosk.id,
      world.a.teacher.id,
      world.b.child.id,
      'chd_',
      'chd_0000000000000000',
    ];
    const writes = listRoutePolicies(world.app).filter(
      (r) =>
        r.path.startsWith('/api/') && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.policy !== 'webhook',
    );
    expect(writes.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const route of writes) {
      const schema =
        doc.paths[route.path]?.[route.method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema;
      const body = fc.oneof(
        { weight: 3, arbitrary: schema ? objectFor(schema, ids) : fc.anything() },
        { weight: 1, arbitrary: fc.anything() },
        { weight: 1, arbitrary: fc.string().map((raw) => ({ __raw: raw })) },
      );
      const pathValue = fc.oneof(
        fc.constantFrom(...ids),
        fc.string({ maxLength: 40 }),
        fc.stringMatching(/^[a-z]{3}_[0-9a-z]{16}$/),
      );
      const query = fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 4 });
      await fc.assert(
        fc.asyncProperty(body, pathValue, query, async (input, idValue, params) => {
          const url = `${route.path.replace(/\{\w+\}/g, encodeURIComponent(idValue))}?${new URLSearchParams(params)}`;
          const headers = { ...world.headersFor(callerFor(route.policy)), 'content-type': 'application/json' };
          const raw =
            input && typeof input === 'object' && '__raw' in input
              ? String((input as { __raw: string }).__raw)
              : JSON.stringify(input ?? null);
          const res = await world.app.request(url, { method: route.method, headers, body: raw });
          if (res.status >= 500) {
            failures.push(`${route.method} ${route.path} → ${res.status} for ${raw.slice(0, 200)}`);
            return false;
          }
          return true;
        }),
        { numRuns: 60, seed: 4242 },
      );
    }
    expect(failures).toEqual([]);
  });
});
