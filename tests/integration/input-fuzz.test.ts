import { LivekitCallRooms } from '@affection/telephony';
import {
  type ApiWorld,
  createApiWorld,
  DISTRICT_CALLERS,
  type DistrictCaller,
  type DistrictWorld,
  type LivekitServer,
  makeDistricts,
  type PrincipalName,
  signInDistrictCallers,
  startLivekit,
} from '@affection/test-support';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  example?: unknown;
  minimum?: number;
};

type Operation = {
  'x-policy'?: string;
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
};

type OpenApiDocument = {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

/** Runs per operation and caller kind: enough to hit every kind of bad input, bounded so the test stays short. */
const RUNS_PER_CALLER = 8;

/** A caller of the fuzz: one of the world's, or a district admin (with no Home chosen, or acting in Home A). */
type FuzzCaller = PrincipalName | DistrictCaller;

/** The callers each operation is tried as: one its policy lets through, a stranger, and someone of the wrong kind. */
function callersFor(policy: string | undefined): FuzzCaller[] {
  switch (policy) {
    case 'district':
      return ['districtAdmin', 'anonymous', 'teacherA'];
    case 'kiosk':
      return ['kioskA', 'anonymous', 'familyA'];
    case 'family':
      return ['familyA', 'anonymous', 'kioskA'];
    case 'teacher':
      return ['teacherA', 'anonymous', 'teacherB'];
    case 'admin':
      return ['adminA', 'teacherA', 'districtAdminInA'];
    default:
      return ['anonymous', 'teacherA', 'familyA'];
  }
}

/** Text that must be refused, not stored: control characters (NUL first), lone surrogates, odd Unicode, huge. */
const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), maxLength: 12 }),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085'))
    .map(([text, control]) => `${text}${control}${text}`),
  fc.constantFrom('\ud800', '\udfff', '王\ud83d', '\ude00明', '\ufffe', '\u202e', '\u200b', 'x'.repeat(100_000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
);

/** Numbers at and past every edge. */
const nastyNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    -1,
    0,
    -0,
    1,
    7,
    8,
    2 ** 31,
    -(2 ** 31),
    2 ** 53 + 2,
    -(2 ** 53),
    Number.MAX_VALUE,
    -1e308,
    1e21,
    0.5,
  ),
);

/** An id the way a caller might mangle it: another prefix, no digits, the wrong alphabet, encoded tricks. */
function nastyId(ids: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...ids),
    fc.stringMatching(/^[a-z]{3}_[0-9a-z]{16}$/),
    fc.constantFrom(
      'chd_',
      'xyz_7m2k9x4q1b8c0d5e',
      'CHD_7M2K9X4Q1B8C0D5E',
      'chd_7m2k9x4q1b8c0d5e0',
      'chd_llllllllllllllll',
      '..',
      '%00',
      '%ff%fe',
      '-1',
      '99999999999999999999999',
    ),
    nastyText.map((text) => text.slice(0, 40)),
  );
}

/** Text that goes into a query string: numbers at the edges, ids, nasty text. */
function queryValue(ids: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    nastyId(ids),
    fc.constantFrom('-1', '0', '1e309', 'NaN', '0x10', '99999999999999999999', '2026-02-30', '25:61', 'true', ''),
    nastyText.map((text) => text.slice(0, 200)),
  );
}

function resolve(schema: JsonSchema | undefined, doc: OpenApiDocument): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  return resolve(doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')], doc);
}

/** Values of roughly the right shape, often invalid at the edges. */
function valueFor(
  raw: JsonSchema | undefined,
  doc: OpenApiDocument,
  ids: readonly string[],
  depth = 0,
): fc.Arbitrary<unknown> {
  const schema = resolve(raw, doc);
  const variants = [...(schema?.anyOf ?? []), ...(schema?.oneOf ?? []), ...(schema?.allOf ?? [])];
  if (variants.length > 0 && depth < 4)
    return fc.oneof(...variants.map((variant) => valueFor(variant, doc, ids, depth + 1)));
  const types = Array.isArray(schema?.type) ? schema.type : schema?.type ? [schema.type] : [];
  const options: fc.Arbitrary<unknown>[] = [fc.anything({ maxDepth: 2 }), nastyText, nastyNumber];
  if (schema?.enum && schema.enum.length > 0) options.push(fc.constantFrom(...schema.enum));
  if (types.includes('string'))
    options.push(
      nastyId(ids),
      fc.constantFrom('', ' ', '12:30', '25:61', '2026-02-30', '+8613812345678', '138 1234 5678', 'Mars/Base'),
    );
  if (types.includes('array') && depth < 4)
    options.push(fc.array(valueFor(schema?.items, doc, ids, depth + 1), { maxLength: 30 }));
  if (types.includes('object') && schema?.properties && depth < 4) options.push(objectFor(schema, doc, ids, depth + 1));
  return fc.oneof(...options);
}

function objectFor(schema: JsonSchema, doc: OpenApiDocument, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return fc.dictionary(nastyText, fc.anything({ maxDepth: 1 }), { maxKeys: 4 });
  return fc.record(Object.fromEntries(props.map(([name, s]) => [name, valueFor(s, doc, ids, depth)])), {
    requiredKeys: [],
  });
}

/** A value the schema accepts as far as the document says: its example, else a plain value of its type. */
function exampleFor(
  raw: JsonSchema | undefined,
  doc: OpenApiDocument,
  realIds: ReadonlyMap<string, string>,
  depth = 0,
): unknown {
  const schema = resolve(raw, doc);
  if (!schema || depth > 5) return null;
  const variant = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (schema.example !== undefined) {
    // An example id points nowhere: take the fixture's own id of that kind, so the request goes all the way in.
    const prefix =
      typeof schema.example === 'string' ? /^([a-z]{3})_[0-9a-z]{16}$/.exec(schema.example)?.[1] : undefined;
    return prefix ? (realIds.get(prefix) ?? schema.example) : schema.example;
  }
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (variant) return exampleFor(variant, doc, realIds, depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('object'))
    return Object.fromEntries(
      Object.entries(schema.properties ?? {}).map(([name, s]) => [name, exampleFor(s, doc, realIds, depth + 1)]),
    );
  if (types.includes('array')) return [exampleFor(schema.items, doc, realIds, depth + 1)];
  if (types.includes('string')) return schema.format === 'date-time' ? new Date().toISOString() : '王家';
  if (types.includes('integer') || types.includes('number')) return schema.minimum ?? 1;
  if (types.includes('boolean')) return true;
  return null;
}

/** Every path to a leaf (string, number, boolean) of a value. */
function leavesOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leavesOf(item, [...path, index]));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => leavesOf(item, [...path, key]));
  return path.length > 0 ? [path] : [];
}

function withLeaf(value: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head!] = withLeaf(copy[head!], rest, leaf);
  return copy;
}

/**
 * A body that is right in every field but one, which holds a bad value: text with a control character, a
 * lone surrogate, a huge or negative number, an id of another kind — so that the bad value gets past the
 * other checks and reaches whatever would store or send it.
 */
function nearlyValidBody(
  schema: JsonSchema | undefined,
  doc: OpenApiDocument,
  realIds: ReadonlyMap<string, string>,
  ids: readonly string[],
): fc.Arbitrary<unknown> {
  const base = exampleFor(schema, doc, realIds);
  const leaves = leavesOf(base);
  if (leaves.length === 0) return fc.constant(base);
  return fc.tuple(fc.constantFrom(...leaves), fc.oneof(nastyText, nastyNumber, nastyId(ids))).map(([path, bad]) => {
    const old = path.reduce<unknown>((value, key) => (value as Record<string | number, unknown>)?.[key], base);
    // Keep what the field had around the bad character, so only the character is wrong.
    const leaf = typeof old === 'string' && typeof bad === 'string' && bad.length < 40 ? `${old}${bad}${old}` : bad;
    return withLeaf(base, path, leaf);
  });
}

/** A request body as bytes: JSON of the schema's shape, the same with bytes that are not UTF-8 in it, or not JSON. */
function bodyFor(
  schema: JsonSchema | undefined,
  doc: OpenApiDocument,
  ids: readonly string[],
  realIds: ReadonlyMap<string, string>,
): fc.Arbitrary<Uint8Array> {
  const encoder = new TextEncoder();
  const nearlyValid = nearlyValidBody(schema, doc, realIds, ids);
  const shaped = resolve(schema, doc)?.properties ? objectFor(resolve(schema, doc)!, doc, ids) : fc.anything();
  const badBytes = fc.constantFrom(
    [0xff],
    [0xc3, 0x28],
    [0xed, 0xa0, 0x80],
    [0xe5, 0x8f],
    [0xc0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
  );
  return fc.oneof(
    { weight: 6, arbitrary: nearlyValid.map((value) => encoder.encode(JSON.stringify(value ?? null))) },
    { weight: 3, arbitrary: shaped.map((value) => encoder.encode(JSON.stringify(value ?? null))) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.oneof(nearlyValid, shaped), badBytes, fc.nat()).map(([value, bad, at]) => {
        const text = encoder.encode(JSON.stringify(value ?? null));
        // Inside the text when there is a string to put it in, so that the bytes reach a value, not the syntax.
        const quote = text.indexOf(0x22, at % Math.max(1, text.length));
        const cut = quote >= 0 ? quote + 1 : text.length;
        return new Uint8Array([...text.subarray(0, cut), ...bad, ...text.subarray(cut)]);
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(resolve(schema, doc)?.properties ?? { name: {} })), badBytes)
        .map(
          ([field, bad]) => new Uint8Array([...encoder.encode(`{"${field}":"王`), ...bad, ...encoder.encode('明"}')]),
        ),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((raw) => encoder.encode(raw)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 80 }) },
  );
}

/**
 * Percent-encodes text as a client may send it, lone surrogates included (as the three bytes a careless
 * encoder writes for them, which are not UTF-8); `encodeURIComponent` would throw on them.
 */
function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff)
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

/** Raw query text a browser would never send: bytes that are not UTF-8, encoded NUL, overlong forms. */
const rawQuerySuffix = fc.constantFrom(
  '',
  '',
  '&q=%ff',
  '&q=%ed%a0%80',
  '&%00=1',
  '&q=%c0%80',
  '&search=%e5%8f',
  '&limit=%00',
);

/** Why an answer breaks the rules, or null: a 5xx, or an error that is not the one error body. */
async function problemWith(res: Response): Promise<string | null> {
  if (res.status >= 500) return `status ${res.status}: ${(await res.text()).slice(0, 300)}`;
  if (res.status < 400) {
    await res.body?.cancel();
    return null;
  }
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json'))
    return `status ${res.status} answered ${res.headers.get('content-type')}`;
  const body = (await res.json()) as { error?: Record<string, unknown> };
  const error = body?.error;
  const keys = Object.keys(body ?? {});
  if (keys.length !== 1 || !error) return `status ${res.status} body keys ${keys.join(',')}`;
  for (const key of ['code', 'message', 'userMessageKey', 'requestId'])
    if (typeof error[key] !== 'string') return `status ${res.status} error.${key} is ${typeof error[key]}`;
  const extra = Object.keys(error).filter(
    (key) => !['code', 'message', 'userMessageKey', 'requestId', 'details'].includes(key),
  );
  return extra.length > 0 ? `status ${res.status} error has ${extra.join(',')}` : null;
}

describe('bad input never breaks the server', () => {
  let world: ApiWorld;
  let livekit: LivekitServer;
  let doc: OpenApiDocument;
  let district: DistrictWorld;
  /** The request headers of any fuzz caller. */
  const headersFor = (caller: FuzzCaller): Record<string, string> =>
    (DISTRICT_CALLERS as readonly string[]).includes(caller)
      ? district.headers[caller as DistrictCaller]
      : world.headersFor(caller as PrincipalName);
  beforeAll(async () => {
    livekit = await startLivekit();
    world = await createApiWorld('pglite', {
      callRooms: new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }),
      livekitClientUrl: livekit.wsUrl,
    });
    doc = (await (await world.request('/api/openapi.json')).json()) as OpenApiDocument;
    district = await signInDistrictCallers(world, await makeDistricts(world));
  });
  afterAll(async () => {
    await world?.close();
    await livekit?.stop();
  });

  it('answers every operation of the OpenAPI document, as three kinds of caller (district admins included), with no 5xx and only the one error body', async () => {
    const ids = [
      world.a.child.id,
      world.a.contact.id,
      world.a.household.id,
      world.a.kiosk.id,
      world.a.teacher.id,
      world.a.home.id,
      world.b.child.id,
      world.b.contact.id,
    ];
    const realIds = new Map(
      [
        world.a.home.id,
        world.a.child.id,
        world.a.contact.id,
        world.a.household.id,
        world.a.kiosk.id,
        world.a.teacher.id,
      ].map((id) => [id.slice(0, 3), id] as const),
    );
    const operations = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ path, method: method.toUpperCase(), operation })),
    );
    expect(operations.length).toBeGreaterThan(80);
    const failures: string[] = [];
    const covered = new Set<string>();
    let requests = 0;
    for (const { path, method, operation } of operations) {
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      const queryParams = (operation.parameters ?? []).filter((p) => p.in === 'query');
      const callers = callersFor(operation['x-policy']);
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const hasBody = !['GET', 'HEAD', 'DELETE'].includes(method) || schema !== undefined;
      const input = fc.record({
        // Mostly the caller the policy lets in, so that the input gets past the door.
        caller: fc.oneof(
          { weight: 3, arbitrary: fc.constant(callers[0]!) },
          { weight: 1, arbitrary: fc.constantFrom(...callers.slice(1)) },
        ),
        pathValues: fc.array(
          fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: nastyId(ids) }),
          { minLength: pathParams.length, maxLength: pathParams.length },
        ),
        query: fc.oneof(
          fc.record(
            Object.fromEntries(
              queryParams.map((param) => {
                const example = exampleFor(param.schema, doc, realIds);
                return [
                  param.name,
                  fc.oneof(
                    { weight: 1, arbitrary: fc.constant(example === null ? '' : String(example)) },
                    { weight: 2, arbitrary: queryValue(ids) },
                  ),
                ];
              }),
            ),
            { requiredKeys: [] },
          ),
          fc.dictionary(
            nastyText.map((text) => text.slice(0, 12)),
            queryValue(ids),
            { maxKeys: 3 },
          ),
        ),
        rawQuery: rawQuerySuffix,
        // Mostly JSON; sometimes a type the route does not expect, or a multipart body with a broken boundary.
        contentType: fc.oneof(
          { weight: 6, arbitrary: fc.constant('application/json') },
          {
            weight: 1,
            arbitrary: fc.constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=zz',
              'application/json; charset=latin1',
              'image/jpeg',
            ),
          },
        ),
        body: hasBody ? bodyFor(schema, doc, ids, realIds) : fc.constant(undefined),
      });
      // check, not assert: a failing operation is noted and the next one still runs.
      const failuresBefore = failures.length;
      const result = await fc.check(
        fc.asyncProperty(input, async ({ caller, pathValues, query, rawQuery, contentType, body }) => {
          let index = 0;
          const url = `${path.replace(/\{\w+\}/g, () => percentEncode(pathValues[index++] ?? ''))}?${new URLSearchParams(query as Record<string, string>)}${rawQuery}`;
          const headers: Record<string, string> = { ...headersFor(caller) };
          if (body !== undefined) headers['content-type'] = contentType;
          requests += 1;
          const res = await world.app.request(url, {
            method,
            headers,
            ...(body === undefined ? {} : { body: Buffer.from(body) }),
          });
          // The live board answers 503 by design in a process without the Home-changes feed (the page polls);
          // this world has none unless the harness gives it one.
          const isUnconfigured =
            res.status === 503 && `${method} ${path}` === 'GET /api/board/stream' && !world.services.homeChanges;
          const problem = isUnconfigured
            ? await problemWith(new Response(await res.text(), { status: 400, headers: res.headers }))
            : await problemWith(res);
          if (problem) {
            failures.push(`${method} ${path} as ${caller}: ${problem} for ${url.slice(0, 120)}`);
            return false;
          }
          return true;
        }),
        { numRuns: RUNS_PER_CALLER * 3, seed: 1414, endOnFailure: true },
      );
      if (result.failed && failures.length === failuresBefore)
        failures.push(
          `${method} ${path}: the request could not be made: ${String(result.errorInstance).slice(0, 200)}`,
        );
      covered.add(`${method} ${path}`);
      // A fuzzed sign-out, revoke or deactivation takes a fixture caller away: give every caller its credentials back.
      await world.refreshPrincipals();
      district = await signInDistrictCallers(world, district);
      await world.services.redis.flushdb();
    }
    console.info(
      JSON.stringify({ operations: operations.length, covered: covered.size, requests, failures: failures.length }),
    );
    expect(failures).toEqual([]);
    expect(covered.size).toBe(operations.length);
  });
});
