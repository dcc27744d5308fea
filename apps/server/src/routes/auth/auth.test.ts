import { once } from 'node:events';
import type { Staff } from '@affection/core';
import { createStaff, listAuditForSubject, schema, updateStaff } from '@affection/db';
import { type ApiWorld, createApiWorld, FIXTURE_PASSWORD, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE_DEFAULTS } from '../../auth/login-throttle.ts';
import { hashPassword } from '../../auth/passwords.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../auth/session-settings.ts';
import { DEVICE_COOKIE } from './device-cookie.ts';

const HOUR = 3600_000;

/** A signed-in browser: its cookie and the CSRF token the login answered. */
interface Browser {
  cookie: string;
  csrfToken: string;
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: {
      retryAfterSeconds?: number;
      fields?: { path: string; key: string; message: Record<string, string> }[];
    };
  };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('staff sign-in API (%s)', (kind) => {
  let world: ApiWorld;
  let start: Date;
  let serial = 0;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    start = world.services.now();
    // The Redis-down test stops the server on purpose; the client reports it as error events.
    world.services.redis.on('error', () => {});
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(async () => {
    // Every test starts with no sign-in tries counted.
    await world.services.redis.flushdb();
  });
  afterEach(() => {
    world.setNow(start);
    world.services.settings.trustProxy = false;
    world.services.settings.secureCookies = false;
  });

  /** Headers that make a request come from `address` (with `trustProxy` on). */
  function fromAddress(address: string): Record<string, string> {
    return { 'x-forwarded-for': address };
  }

  function login(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return Promise.resolve(
      world.app.request('/api/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }),
    );
  }

  async function signIn(loginName: string, password = FIXTURE_PASSWORD): Promise<Browser> {
    const res = await login({ login: loginName, password });
    expect(res.status).toBe(200);
    return browserOf(res);
  }

  async function browserOf(res: Response): Promise<Browser> {
    const setCookie = res.headers.get('set-cookie') ?? '';
    const token = new RegExp(`${STAFF_COOKIE}=([^;]+)`).exec(setCookie)?.[1];
    expect(token).toBeTruthy();
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: `${STAFF_COOKIE}=${token}`, csrfToken: body.csrfToken };
  }

  function me(browser: Browser): Promise<Response> {
    return Promise.resolve(world.app.request('/api/auth/me', { headers: { cookie: browser.cookie } }));
  }

  function post(path: string, browser: Browser, json?: unknown, withCsrf = true): Promise<Response> {
    const headers: Record<string, string> = { cookie: browser.cookie };
    if (withCsrf) headers[CSRF_HEADER] = browser.csrfToken;
    if (json !== undefined) headers['content-type'] = 'application/json';
    return Promise.resolve(
      world.app.request(path, {
        method: 'POST',
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
      }),
    );
  }

  /** A new teacher of Home A with the fixture password, so tests can change it freely. */
  async function addTeacher(login: { username?: string; phone?: string } = {}): Promise<Staff> {
    serial += 1;
    return createStaff(world.database.db, world.a.home.id, {
      role: 'teacher',
      displayName: `测试老师${serial}`,
      username: login.phone && !login.username ? null : (login.username ?? `Teacher-${kind}-${serial}`),
      phone: login.phone ?? null,
      passwordHash: await hashPassword(FIXTURE_PASSWORD),
    });
  }

  it('signs in by username in any case and spacing, answers me, and signs out', async () => {
    const admin = world.a.admin;
    const res = await login({ login: `  ${admin.username!.toUpperCase()} `, password: FIXTURE_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const browser = await browserOf(res);
    expect(browser.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const who = await me(browser);
    expect(who.status).toBe(200);
    expect(await who.json()).toEqual({
      staff: { id: admin.id, displayName: admin.displayName, role: 'admin', homeId: world.a.home.id, districtId: null },
      csrfToken: browser.csrfToken,
    });

    const out = await post('/api/auth/logout', browser);
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(new RegExp(`^${STAFF_COOKIE}=;.*Max-Age=0`));
    const after = await me(browser);
    expect(after.status).toBe(401);
    expect(((await after.json()) as ErrorBody).error.code).toBe('unauthenticated');

    const trail = await listAuditForSubject(world.database.db, 'staff', admin.id);
    const actions = trail.map((e) => e.action);
    expect(actions).toContain('staff.login');
    expect(actions).toContain('staff.logout');
    const loginEvent = trail.find((e) => e.action === 'staff.login')!;
    expect(loginEvent).toMatchObject({ actorKind: 'staff', actorId: admin.id, homeId: world.a.home.id });
    expect(JSON.stringify(loginEvent.details)).not.toContain(admin.username!);
  });

  it('signs in by phone number however it is typed', async () => {
    const teacher = await addTeacher({ phone: '+8613700001111' });
    for (const typed of ['13700001111', '137 0000 1111', '+86 137-0000-1111']) {
      const browser = await signIn(typed);
      const body = (await (await me(browser)).json()) as { staff: { id: string } };
      expect(body.staff.id).toBe(teacher.id);
    }
  });

  it('answers a wrong password and an unknown login with the same 401, audited by ids only', async () => {
    const wrong = await login({ login: world.a.teacher.username, password: 'not the password at all' });
    const unknown = await login({ login: 'nobody-called-this', password: FIXTURE_PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const wrongBody = (await wrong.json()) as ErrorBody;
    const unknownBody = (await unknown.json()) as ErrorBody;
    expect(wrongBody.error.code).toBe('unauthenticated');
    expect(wrongBody.error.message).toBe(unknownBody.error.message);
    expect(wrongBody.error.message).not.toMatch(/password is wrong|no such user|unknown user/i);

    const failed = (await world.database.db.select().from(schema.auditEvents)).filter(
      (e) => e.action === 'staff.login-failed',
    );
    expect(failed.map((e) => e.subjectId).sort()).toEqual([world.a.teacher.id, null].sort());
    expect(JSON.stringify(failed)).not.toContain('nobody-called-this');
    expect(JSON.stringify(world.logs)).not.toContain('nobody-called-this');
  });

  it('refuses the 6th try on one account with 429 and Retry-After, even with the right password', async () => {
    const teacher = await addTeacher();
    const name = teacher.username!;
    const variants = [name, name.toUpperCase(), ` ${name}`, name.toLowerCase(), `${name} `];
    for (const typed of variants) {
      const res = await login({ login: typed, password: 'wrong password!' });
      expect(res.status).toBe(401);
    }
    const sixth = await login({ login: name, password: FIXTURE_PASSWORD });
    expect(sixth.status).toBe(429);
    expect(sixth.headers.get('set-cookie')).toBeNull();
    const retryAfter = Number(sixth.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_THROTTLE_DEFAULTS.failureWindowSeconds);
    const body = (await sixth.json()) as ErrorBody;
    expect(body.error.code).toBe('rate-limited');
    expect(body.error.details?.retryAfterSeconds).toBe(retryAfter);

    // The refused try never reached the password check.
    const trail = await listAuditForSubject(world.database.db, 'staff', teacher.id);
    expect(trail.filter((e) => e.action === 'staff.login-failed')).toHaveLength(5);
    expect(trail.filter((e) => e.action === 'staff.login')).toHaveLength(0);
    // Other accounts from the same address are not affected.
    await signIn(world.a.admin.username!);
  });

  it('counts an account by its phone number however it is typed', async () => {
    await addTeacher({ phone: '+8613700002222' });
    for (const typed of ['13700002222', '137 0000 2222', '+8613700002222', '+86 137 0000 2222', '137-0000-2222']) {
      expect((await login({ login: typed, password: 'wrong password!' })).status).toBe(401);
    }
    expect((await login({ login: '13700002222', password: FIXTURE_PASSWORD })).status).toBe(429);
  });

  it('starts an account afresh after a right password', async () => {
    const teacher = await addTeacher();
    for (let round = 0; round < 2; round += 1) {
      for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.accountFailures - 1; i += 1) {
        expect((await login({ login: teacher.username, password: 'wrong password!' })).status).toBe(401);
      }
      await signIn(teacher.username!);
    }
  });

  it('refuses an address after 20 failed tries on any accounts, ignoring X-Forwarded-For unless trusted', async () => {
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.addressFailures; i += 1) {
      const res = await login(
        { login: `someone-${i}`, password: 'wrong password!' },
        { 'x-forwarded-for': `198.51.100.${i + 1}` },
      );
      expect(res.status).toBe(401);
    }
    const refused = await login(
      { login: world.a.admin.username, password: FIXTURE_PASSWORD },
      { 'x-forwarded-for': '198.51.100.200' },
    );
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);

    // Behind a trusted proxy, the address the proxy appended (the last one) is the caller.
    world.services.settings.trustProxy = true;
    const viaProxy = await login(
      { login: world.a.admin.username, password: FIXTURE_PASSWORD },
      { 'x-forwarded-for': '127.0.0.1, 198.51.100.200' },
    );
    expect(viaProxy.status).toBe(200);
    const spoofed = await login(
      { login: world.a.admin.username, password: FIXTURE_PASSWORD },
      { 'x-forwarded-for': '198.51.100.201, 127.0.0.1' },
    );
    expect(spoofed.status).toBe(429);
  });

  it('caps sign-in requests per address, right or wrong', async () => {
    world.services.settings.trustProxy = true;
    const from = { 'x-forwarded-for': '203.0.113.50' };
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.addressRequests; i += 1) {
      const res = await login({ login: world.a.teacher.username, password: FIXTURE_PASSWORD }, from);
      expect(res.status).toBe(200);
    }
    const over = await login({ login: world.a.teacher.username, password: FIXTURE_PASSWORD }, from);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(LOGIN_THROTTLE_DEFAULTS.requestWindowSeconds);
    const elsewhere = await login(
      { login: world.a.teacher.username, password: FIXTURE_PASSWORD },
      { 'x-forwarded-for': '203.0.113.51' },
    );
    expect(elsewhere.status).toBe(200);
  });

  it('sets an httpOnly, SameSite=Lax cookie, Secure only when configured', async () => {
    const plain = await login({ login: world.a.teacher.username, password: FIXTURE_PASSWORD });
    const plainCookie = plain.headers.get('set-cookie')!;
    expect(plainCookie).toMatch(new RegExp(`^${STAFF_COOKIE}=[A-Za-z0-9_-]{43};`));
    expect(plainCookie).toContain('HttpOnly');
    expect(plainCookie).toContain('SameSite=Lax');
    expect(plainCookie).toContain('Path=/');
    expect(plainCookie).toContain('Max-Age=43200');
    expect(plainCookie).not.toContain('Secure');

    world.services.settings.secureCookies = true;
    const secure = await login({ login: world.a.teacher.username, password: FIXTURE_PASSWORD });
    expect(secure.headers.get('set-cookie')).toMatch(/; Secure/);
    const out = await post('/api/auth/logout', await browserOf(secure));
    expect(out.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('requires the CSRF token to sign out or change the password', async () => {
    const teacher = await addTeacher();
    const browser = await signIn(teacher.username!);
    const noToken = await post('/api/auth/logout', browser, undefined, false);
    expect(noToken.status).toBe(403);
    const wrongToken = await world.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { cookie: browser.cookie, [CSRF_HEADER]: 'x'.repeat(43) },
    });
    expect(wrongToken.status).toBe(403);
    expect((await me(browser)).status).toBe(200);

    const change = await post(
      '/api/auth/password',
      browser,
      { currentPassword: FIXTURE_PASSWORD, newPassword: 'a brand new passphrase' },
      false,
    );
    expect(change.status).toBe(403);
    await signIn(teacher.username!, FIXTURE_PASSWORD);
  });

  it('changes the password and signs out every other session', async () => {
    const teacher = await addTeacher();
    const here = await signIn(teacher.username!);
    const elsewhere = await signIn(teacher.username!);
    const newPassword = 'a brand new passphrase';

    const changed = await post('/api/auth/password', here, { currentPassword: FIXTURE_PASSWORD, newPassword });
    expect(changed.status).toBe(204);
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await login({ login: teacher.username, password: FIXTURE_PASSWORD })).status).toBe(401);
    await signIn(teacher.username!, newPassword);

    const trail = await listAuditForSubject(world.database.db, 'staff', teacher.id);
    expect(trail.find((e) => e.action === 'staff.password-change')).toMatchObject({ actorId: teacher.id });
  });

  it('refuses a wrong current password, the same password and a short one with field problems', async () => {
    const teacher = await addTeacher();
    const browser = await signIn(teacher.username!);
    const cases = [
      [
        { currentPassword: 'not my password', newPassword: 'a brand new passphrase' },
        'currentPassword',
        'validation.password_wrong',
      ],
      [{ currentPassword: FIXTURE_PASSWORD, newPassword: FIXTURE_PASSWORD }, 'newPassword', 'validation.password_same'],
      [{ currentPassword: FIXTURE_PASSWORD, newPassword: 'short' }, 'newPassword', 'validation.too_short'],
      [{ currentPassword: FIXTURE_PASSWORD }, 'newPassword', 'validation.required'],
    ] as const;
    for (const [body, path, key] of cases) {
      const res = await post('/api/auth/password', browser, body);
      expect(res.status).toBe(400);
      const error = ((await res.json()) as ErrorBody).error;
      expect(error.code).toBe('validation-failed');
      const field = error.details?.fields?.find((f) => f.path === path);
      expect(field?.key).toBe(key);
      expect(field?.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    }
    // Nothing changed.
    await signIn(teacher.username!, FIXTURE_PASSWORD);
  });

  it('limits wrong current passwords like sign-in tries', async () => {
    const teacher = await addTeacher();
    const browser = await signIn(teacher.username!);
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.accountFailures; i += 1) {
      const res = await post('/api/auth/password', browser, {
        currentPassword: `guess number ${i}`,
        newPassword: 'a brand new passphrase',
      });
      expect(res.status).toBe(400);
    }
    const refused = await post('/api/auth/password', browser, {
      currentPassword: FIXTURE_PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it("ends a deactivated staff member's session and refuses their sign-in", async () => {
    const teacher = await addTeacher();
    const browser = await signIn(teacher.username!);
    await updateStaff(world.database.db, world.a.home.id, teacher.id, { active: false });
    expect((await me(browser)).status).toBe(401);
    const again = await login({ login: teacher.username, password: FIXTURE_PASSWORD });
    expect(again.status).toBe(401);
    const unknown = await login({ login: 'nobody-at-all', password: FIXTURE_PASSWORD });
    expect(((await again.json()) as ErrorBody).error.message).toBe(((await unknown.json()) as ErrorBody).error.message);
  });

  it('ends a session after 2 hours without a request', async () => {
    const t0 = new Date(start.getTime() + 24 * HOUR);
    world.setNow(t0);
    const browser = await signIn(world.a.teacher.username!);
    world.setNow(new Date(t0.getTime() + 2 * HOUR - 60_000));
    const quiet = await signIn(world.a.admin.username!);
    world.setNow(new Date(t0.getTime() + 2 * HOUR));
    expect((await me(browser)).status).toBe(401);
    expect((await me(quiet)).status).toBe(200);
  });

  it('ends a session kept busy after 12 hours', async () => {
    const t0 = new Date(start.getTime() + 48 * HOUR);
    world.setNow(t0);
    const browser = await signIn(world.a.teacher.username!);
    for (let hour = 1; hour < 12; hour += 1) {
      world.setNow(new Date(t0.getTime() + hour * HOUR));
      expect((await me(browser)).status).toBe(200);
    }
    world.setNow(new Date(t0.getTime() + 12 * HOUR - 1000));
    expect((await me(browser)).status).toBe(200);
    world.setNow(new Date(t0.getTime() + 12 * HOUR));
    expect((await me(browser)).status).toBe(401);
  });

  it('answers 400 with field problems for malformed bodies, without counting a try', async () => {
    const empty = await login({});
    expect(empty.status).toBe(400);
    const fields = ((await empty.json()) as ErrorBody).error.details?.fields ?? [];
    expect(Object.fromEntries(fields.map((f) => [f.path, f.key]))).toEqual({
      login: 'validation.required',
      password: 'validation.required',
    });

    const odd = await login({ login: '   ', password: 42, extra: true });
    const oddFields = ((await odd.json()) as ErrorBody).error.details?.fields ?? [];
    expect(odd.status).toBe(400);
    expect(oddFields.map((f) => f.key).sort()).toEqual(
      ['validation.invalid_type', 'validation.too_short', 'validation.unknown_field'].sort(),
    );

    const tooLong = await login({ login: 'x'.repeat(101), password: 'y'.repeat(257) });
    expect(tooLong.status).toBe(400);

    const broken = await world.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.code).toBe('bad-request');
    expect(await world.services.redis.keys('throttle:login:*')).toEqual([]);
  });

  it('lets only staff read and end a session', async () => {
    expect((await world.request('/api/auth/me')).status).toBe(401);
    expect((await world.request('/api/auth/me', { as: 'kioskA' })).status).toBe(403);
    expect((await world.request('/api/auth/me', { as: 'familyA' })).status).toBe(403);
    expect((await world.request('/api/auth/logout', { method: 'POST' })).status).toBe(401);
    expect((await world.request('/api/auth/password', { as: 'familyA', json: {} })).status).toBe(403);
  });

  it('ends the session a browser carried when it signs in again', async () => {
    const teacher = await addTeacher();
    const first = await signIn(teacher.username!);
    const second = await login({ login: teacher.username, password: FIXTURE_PASSWORD }, { cookie: first.cookie });
    expect(second.status).toBe(200);
    expect((await me(first)).status).toBe(401);
    expect((await me(await browserOf(second))).status).toBe(200);
  });

  it('counts tries per account: a username and a phone number of one account share 5, not 10', async () => {
    const teacher = await addTeacher({ username: `both-${kind}`, phone: '+8613700003333' });
    for (const typed of [teacher.username!, '13700003333', teacher.username!, '137 0000 3333', teacher.username!]) {
      expect((await login({ login: typed, password: 'wrong password!' })).status).toBe(401);
    }
    expect((await login({ login: '13700003333', password: FIXTURE_PASSWORD })).status).toBe(429);
    expect((await login({ login: teacher.username, password: FIXTURE_PASSWORD })).status).toBe(429);
  });

  /** Moves the app's clock on by `seconds`. */
  function waitSeconds(seconds: number): void {
    world.setNow(new Date(world.services.now().getTime() + seconds * 1000));
  }

  it('slows an account down rather than locking it: after the wait, the right password works', async () => {
    world.services.settings.trustProxy = true;
    const teacher = await addTeacher();
    // Five strangers, one wrong password each: no single address reaches its own limit.
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.accountFailures; i += 1) {
      const res = await login({ login: teacher.username, password: 'wrong password!' }, fromAddress(`198.51.100.${i}`));
      expect(res.status).toBe(401);
    }
    const slowed = await login({ login: teacher.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.1'));
    expect(slowed.status).toBe(429);
    const wait = Number(slowed.headers.get('retry-after'));
    expect(wait).toBe(LOGIN_THROTTLE_DEFAULTS.accountBaseDelaySeconds);
    waitSeconds(wait);
    expect(
      (await login({ login: teacher.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.1'))).status,
    ).toBe(200);
  });

  it('doubles the wait with every further try on a slowed-down account, up to the cap', async () => {
    world.services.settings.trustProxy = true;
    const teacher = await addTeacher();
    const waits: number[] = [];
    for (let i = 0; waits.length < 12; i += 1) {
      const res = await login({ login: teacher.username, password: 'wrong password!' }, fromAddress(`198.51.100.${i}`));
      if (res.status === 429) {
        const wait = Number(res.headers.get('retry-after'));
        waits.push(wait);
        waitSeconds(wait);
      } else {
        expect(res.status).toBe(401);
      }
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
  });

  it('stops one address after 5 failures on one account, without stopping the account elsewhere', async () => {
    world.services.settings.trustProxy = true;
    const teacher = await addTeacher();
    const attacker = fromAddress('203.0.113.66');
    for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.accountAddressFailures; i += 1) {
      expect((await login({ login: teacher.username, password: 'wrong password!' }, attacker)).status).toBe(401);
    }
    const stopped = await login({ login: teacher.username, password: FIXTURE_PASSWORD }, attacker);
    expect(stopped.status).toBe(429);
    expect(Number(stopped.headers.get('retry-after'))).toBeGreaterThan(
      LOGIN_THROTTLE_DEFAULTS.accountMaxDelaySeconds / 2,
    );
    // Once the account's short wait is over, its owner signs in from elsewhere; the attacker's address still waits.
    waitSeconds(LOGIN_THROTTLE_DEFAULTS.accountBaseDelaySeconds);
    expect(
      (await login({ login: teacher.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.30'))).status,
    ).toBe(200);
    expect((await login({ login: teacher.username, password: FIXTURE_PASSWORD }, attacker)).status).toBe(429);
  });

  it('lets a browser the account signed in from before sign in while strangers slow the account down', async () => {
    world.services.settings.trustProxy = true;
    const admin = world.a.admin;
    const first = await login({ login: admin.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.10'));
    expect(first.status).toBe(200);
    const deviceCookie = first.headers.getSetCookie().find((cookie) => cookie.startsWith(`${DEVICE_COOKIE}=`));
    expect(deviceCookie).toMatch(/HttpOnly/);
    const device = deviceCookie!.split(';')[0]!;
    // Strangers from twelve addresses: more than enough to lock an account that locks.
    for (let i = 0; i < 12; i += 1) {
      await login({ login: admin.username, password: `guess ${i}` }, fromAddress(`198.51.100.${100 + i}`));
    }
    const stranger = await login({ login: admin.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.11'));
    expect(stranger.status).toBe(429);
    const known = await login(
      { login: admin.username, password: FIXTURE_PASSWORD },
      { ...fromAddress('192.0.2.12'), cookie: device },
    );
    expect(known.status).toBe(200);
    // Its sign-in does not lift the slowdown the strangers caused, and a made-up device cookie is no key.
    expect((await login({ login: admin.username, password: FIXTURE_PASSWORD }, fromAddress('192.0.2.11'))).status).toBe(
      429,
    );
    const forged = await login(
      { login: admin.username, password: FIXTURE_PASSWORD },
      { ...fromAddress('192.0.2.13'), cookie: `${DEVICE_COOKIE}=${'x'.repeat(43)}` },
    );
    expect(forged.status).toBe(429);
  });

  it('keeps signing in, and throttling, on counts in this process while Redis is down', async () => {
    const teacher = await addTeacher();
    const browser = await signIn(world.a.teacher.username!);
    await world.redisServer.kill('SIGKILL');
    try {
      const res = await login({ login: world.a.teacher.username, password: FIXTURE_PASSWORD });
      expect(res.status).toBe(200);
      // Still throttled: five wrong passwords, then the account waits.
      for (let i = 0; i < LOGIN_THROTTLE_DEFAULTS.accountFailures; i += 1) {
        expect((await login({ login: teacher.username, password: 'wrong password!' })).status).toBe(401);
      }
      const refused = await login({ login: teacher.username, password: FIXTURE_PASSWORD });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Existing sessions live in the database and keep working.
      expect((await me(browser)).status).toBe(200);
    } finally {
      await world.redisServer.restart();
    }
    if (world.services.redis.status !== 'ready') await once(world.services.redis, 'ready');
    await signIn(world.a.teacher.username!);
  });
});
