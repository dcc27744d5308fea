import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type ApiWorld, createApiWorld, FIXTURE_PASSWORD } from '@affection/test-support';
import { type ServerType, serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../apps/server/src/app.ts';
import { answerClientErrors } from '../../apps/server/src/errors/answer-client-errors.ts';

type ErrorAnswer = {
  error: {
    code: string;
    message: string;
    userMessageKey: string;
    requestId: string;
    details?: { target?: string; fields?: { path: string; key: string; message: { 'zh-CN': string; en: string } }[] };
  };
};

/** The one error body: code, message, userMessageKey and requestId, and nothing else beside details. */
function expectErrorBody(body: unknown): asserts body is ErrorAnswer {
  expect(body).toMatchObject({
    error: {
      code: expect.any(String),
      message: expect.any(String),
      userMessageKey: expect.stringMatching(/^error\./),
      requestId: expect.any(String),
    },
  });
  const keys = Object.keys((body as ErrorAnswer).error).filter((key) => key !== 'details');
  expect(keys.sort()).toEqual(['code', 'message', 'requestId', 'userMessageKey']);
}

describe('text the server refuses, and how it says so', () => {
  let world: ApiWorld;
  let server: ServerType;
  let baseUrl: string;
  beforeAll(async () => {
    world = await createApiWorld('pglite');
    const app = createApp(world.services);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    answerClientErrors(server, world.services.logger);
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await world?.close();
  });

  /** Posts raw bytes as JSON, as a browser or a script could. */
  const postBytes = (path: string, bytes: Uint8Array, as: 'teacherA' | 'anonymous' = 'teacherA') =>
    world.app.request(path, {
      method: 'POST',
      headers: { ...world.headersFor(as), 'content-type': 'application/json' },
      body: Buffer.from(bytes),
    });

  it('refuses a NUL or another control character in a name with the field message, in both languages', async () => {
    for (const name of ['王\u0000家', '王\u0007家', '王\u001b[31m家', '王\u0085家']) {
      const res = await world.request('/api/households', { as: 'teacherA', json: { name } });
      expect(res.status).toBe(400);
      const body = await res.json();
      expectErrorBody(body);
      expect(body.error.code).toBe('validation-failed');
      expect(body.error.details?.fields?.[0]).toMatchObject({
        path: 'name',
        key: 'validation.invalid_format',
        message: { 'zh-CN': expect.any(String), en: expect.any(String) },
      });
    }
  });

  it('refuses NUL in the sign-in fields (it reached the database and answered 500)', async () => {
    for (const json of [
      { login: 'teacher\u0000', password: FIXTURE_PASSWORD },
      { login: world.a.teacher.username, password: `${FIXTURE_PASSWORD}\u0000` },
    ]) {
      const res = await world.request('/api/auth/login', { json });
      expect(res.status).toBe(400);
      expectErrorBody(await res.json());
    }
  });

  it('refuses a line break in a one-line field and keeps it in notes', async () => {
    const household = await world.request('/api/households', { as: 'teacherA', json: { name: '王家\n第二行' } });
    expect(household.status).toBe(400);
    const child = await world.request('/api/children', {
      as: 'teacherA',
      json: {
        householdId: world.a.household.id,
        familyName: '王',
        givenName: '小红',
        notes: '第一行\n第二行\t缩进',
      },
    });
    expect(child.status).toBe(201);
    expect(((await child.json()) as { notes: string }).notes).toBe('第一行\n第二行\t缩进');
  });

  it('refuses a lone surrogate, escaped in JSON or not', async () => {
    const escaped = new TextEncoder().encode('{"name":"王\\ud800家"}');
    const res = await postBytes('/api/households', escaped);
    expect(res.status).toBe(400);
    const body = await res.json();
    expectErrorBody(body);
    expect(body.error.details?.fields?.[0]?.path).toBe('name');
  });

  it('refuses a body that is not UTF-8 with 400 and stores nothing (it was stored with U+FFFD)', async () => {
    const before = await world.request('/api/households?limit=200', { as: 'teacherA' });
    const count = ((await before.json()) as { items: unknown[] }).items.length;
    const prefix = new TextEncoder().encode('{"name":"王');
    const suffix = new TextEncoder().encode('家"}');
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe5, 0x8f], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const res = await postBytes('/api/households', new Uint8Array([...prefix, ...bad, ...suffix]));
      expect(res.status).toBe(400);
      const body = await res.json();
      expectErrorBody(body);
      expect(body.error.code).toBe('bad-request');
      expect(body.error.message).toMatch(/UTF-8/);
    }
    const after = await world.request('/api/households?limit=200', { as: 'teacherA' });
    const items = ((await after.json()) as { items: { name: string }[] }).items;
    expect(items.length).toBe(count);
    expect(items.some((item) => item.name.includes('\ufffd'))).toBe(false);
  });

  it('refuses a control character in a query parameter', async () => {
    const res = await world.request(`/api/children?search=${encodeURIComponent('小\u0000明')}`, { as: 'teacherA' });
    expect(res.status).toBe(400);
    const body = await res.json();
    expectErrorBody(body);
    expect(body.error.details).toMatchObject({ target: 'query', fields: [{ path: 'search' }] });
  });

  it('answers malformed JSON, an unknown route and a wrong method with the one error body', async () => {
    const malformed = await postBytes('/api/households', new TextEncoder().encode('{"name":'));
    expect(malformed.status).toBe(400);
    expectErrorBody(await malformed.json());
    const unknown = await world.request('/api/no-such-thing', { as: 'teacherA' });
    expect(unknown.status).toBe(404);
    expectErrorBody(await unknown.json());
    const wrongMethod = await world.request('/api/households', { as: 'teacherA', method: 'PUT' });
    expect(wrongMethod.status).toBeGreaterThanOrEqual(400);
    expect(wrongMethod.status).toBeLessThan(500);
    expectErrorBody(await wrongMethod.json());
  });

  it('answers a page that is not built with 503 in the one error body, saying how to build it', async () => {
    const appsDir = await mkdtemp(path.join(os.tmpdir(), 'affection-unbuilt-'));
    try {
      const res = await createApp(world.services, { appsDir }).request('/kiosk/');
      expect(res.status).toBe(503);
      const body = await res.json();
      expectErrorBody(body);
      expect(body.error.message).toContain('npm run build:web');
    } finally {
      await rm(appsDir, { recursive: true, force: true });
    }
  });

  it('answers a body over the limit with 413 in the one error body', async () => {
    const res = await postBytes('/api/households', new Uint8Array(2 * 1024 * 1024).fill(0x20));
    expect(res.status).toBe(413);
    expectErrorBody(await res.json());
  });

  it('answers headers over the limit with 431 in the one error body, through the real HTTP server', async () => {
    const answer = await new Promise<{ status: number; type: string | undefined; text: string }>((resolve, reject) => {
      const req = http.request(`${baseUrl}/api/households`, { headers: { cookie: `x=${'a'.repeat(40_000)}` } });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toMatch(/^application\/json/);
    expectErrorBody(JSON.parse(answer.text));
    const refused = world.logs.find((line) => line.msg === 'request refused by the HTTP parser');
    expect(refused).toMatchObject({ status: 431 });
    expect(JSON.stringify(refused)).not.toContain('aaaa');
  });
});
