import { type ApiWorld, createApiWorld, type PrincipalName } from '@affection/test-support';
import { ApiError, createApiClient } from '@affection/ui';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiContract } from './contract.ts';

/** The client address Node would give the app (the enrolment throttle counts by it). */
const SOCKET = { incoming: { socket: { remoteAddress: '198.51.100.21' } } };

let world: ApiWorld;
beforeAll(async () => {
  world = await createApiWorld('pglite');
});
afterAll(async () => {
  await world?.close();
});

/** The typed client on the real app, with the cookie a browser would keep for `who`. */
function clientAs(who: PrincipalName, options: { csrf?: boolean; onUnauthorized?: (e: ApiError) => void } = {}) {
  const { cookie, 'x-csrf-token': csrf, ...device } = world.headersFor(who);
  return createApiClient<ApiContract>({
    authorization: () => device.authorization ?? null,
    csrfToken: () => (options.csrf === false ? null : (csrf ?? null)),
    ...(options.onUnauthorized ? { onUnauthorized: options.onUnauthorized } : {}),
    fetch: async (url, init) => {
      const headers = new Headers(init?.headers);
      if (cookie) headers.set('cookie', cookie);
      return world.app.request(String(url), { ...init, headers }, SOCKET);
    },
  });
}

async function refusalOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('the typed client on the contract', () => {
  it('reads a route with path parameters as staff and gets the typed answer', async () => {
    const child = await clientAs('teacherA').call('GET /api/children/{id}', { params: { id: world.a.child.id } });
    expect(child).toMatchObject({ id: world.a.child.id, givenName: world.a.child.givenName });
  });

  it('sends query fields and the CSRF header on a change', async () => {
    const api = clientAs('teacherA');
    const list = await api.call('GET /api/children', { query: { limit: 1 } });
    expect(list.items).toHaveLength(1);
    const renamed = await api.call('PATCH /api/children/{id}', {
      params: { id: world.a.child.id },
      body: { className: '四年级一班' },
    });
    expect(renamed.className).toBe('四年级一班');
  });

  it('turns the one error body into an ApiError: code, status, message key, request id', async () => {
    const withoutCsrf = clientAs('teacherA', { csrf: false });
    const error = await refusalOf(
      withoutCsrf.call('PATCH /api/children/{id}', { params: { id: world.a.child.id }, body: { className: 'x' } }),
    );
    expect(error).toMatchObject({ status: 403, code: 'forbidden', userMessageKey: 'error.auth.csrf' });
    expect(error.requestId).toMatch(/.+/);
  });

  it('gives the per-field problems of a validation failure', async () => {
    const error = await refusalOf(
      clientAs('teacherA').call('POST /api/children', {
        body: { householdId: world.a.household.id, familyName: '', givenName: '小红' },
      }),
    );
    expect(error).toMatchObject({
      status: 400,
      code: 'validation-failed',
      userMessageKey: 'error.common.validation-failed',
    });
    expect(error.fields.map((f) => f.path)).toEqual(['familyName']);
    expect(error.fields[0]?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
  });

  it("gives a route's refusal reason and its message key; an anonymous call's 401 does not sign the device out", async () => {
    let signedOut = 0;
    const api = clientAs('kioskA', { onUnauthorized: () => signedOut++ });
    const error = await refusalOf(api.call('POST /api/kiosk/enrol', { body: { code: '00000000' }, anonymous: true }));
    expect(error).toMatchObject({ status: 401, reason: 'code-invalid', userMessageKey: 'error.kiosk.code-invalid' });
    expect(signedOut).toBe(0);
  });

  it('sends the device token of a kiosk and of a parent, and reports a 401 once', async () => {
    const calls = await clientAs('kioskA').call('GET /api/kiosk/calls');
    expect(Array.isArray(calls.calls)).toBe(true);
    const me = await clientAs('familyA').call('GET /api/family/me');
    expect(me.contact.id).toBe(world.a.contact.id);
    let signedOut = 0;
    const stale = createApiClient<ApiContract>({
      authorization: () => 'Kiosk not-a-token',
      onUnauthorized: () => signedOut++,
      fetch: async (url, init) => world.app.request(String(url), init, SOCKET),
    });
    const error = await refusalOf(stale.call('GET /api/kiosk/calls'));
    expect(error.status).toBe(401);
    expect(signedOut).toBe(1);
  });

  it('reports no answer as status 0 with a client message key', async () => {
    const offline = createApiClient<ApiContract>({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const error = await refusalOf(offline.call('GET /healthz'));
    expect(error).toMatchObject({ status: 0, code: 'network', userMessageKey: 'error.client.network' });
  });
});
