import { type Database, LISTENER_NAME, openDatabase, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind, waitUntil } from '@affection/test-support';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, STAFF_COOKIE } from './session-settings.ts';
import { hashToken, newToken } from './tokens.ts';

/** A new session of Home A's teacher, as sign-in makes it: its id and the headers that carry it. */
async function insertTeacherSession(world: ApiWorld): Promise<{ id: string; headers: Record<string, string> }> {
  const token = newToken();
  const csrf = newToken();
  const id = `ses_${newToken().slice(0, 12)}`;
  const now = new Date();
  await world.database.db.insert(schema.staffSessions).values({
    id,
    staffId: world.a.teacher.id,
    tokenHash: hashToken(token),
    csrfToken: csrf,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + 3600_000),
  });
  return { id, headers: { cookie: `${STAFF_COOKIE}=${token}`, [CSRF_HEADER]: csrf } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('staff sessions held in memory (%s)', (kind) => {
  let world: ApiWorld;
  /** Another process's connection on a PostgreSQL server (none on PGlite: the same instance). */
  let elsewhere: Database | null = null;

  beforeAll(async () => {
    world = await createApiWorld(kind);
    const url = world.database.pool?.options.connectionString;
    if (url) elsewhere = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
  });
  afterAll(async () => {
    await elsewhere?.close();
    await world?.close();
  });

  const newSession = () => insertTeacherSession(world);
  const me = (headers: Record<string, string>) => world.request('/api/auth/me', { headers });
  /** The database a change is written through: another process's connection where there is one. */
  const writer = () => (elsewhere ?? world.database).db;

  it('answers from memory for a while: a change nobody announces (the last use moved back) is not read again', async () => {
    const session = await newSession();
    expect((await me(session.headers)).status).toBe(200);
    // Two days idle by the table alone: only a touch of the session moves it, and a touch is not announced.
    await writer()
      .update(schema.staffSessions)
      .set({ lastSeenAt: new Date(Date.now() - 2 * 86_400_000) })
      .where(eq(schema.staffSessions.id, session.id));
    expect((await me(session.headers)).status).toBe(200);
  });

  it('signs a session out at once when another process revokes it, and when its account is deactivated', async () => {
    const revoked = await newSession();
    expect((await me(revoked.headers)).status).toBe(200);
    await writer()
      .update(schema.staffSessions)
      .set({ revokedAt: new Date() })
      .where(eq(schema.staffSessions.id, revoked.id));
    expect((await me(revoked.headers)).status).toBe(401);

    const deactivated = await newSession();
    expect((await me(deactivated.headers)).status).toBe(200);
    await writer().update(schema.staff).set({ active: false }).where(eq(schema.staff.id, world.a.teacher.id));
    try {
      expect((await me(deactivated.headers)).status).toBe(401);
    } finally {
      await writer().update(schema.staff).set({ active: true }).where(eq(schema.staff.id, world.a.teacher.id));
    }
    expect((await me(deactivated.headers)).status).toBe(200);
  });
});

describe('staff sessions while the change feed is lost (postgres)', () => {
  let world: ApiWorld;

  beforeAll(async () => {
    world = await createApiWorld('postgres');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('reads every session from the database meanwhile, so a revocation still counts at once', async () => {
    const { id, headers } = await insertTeacherSession(world);
    expect((await world.request('/api/auth/me', { headers })).status).toBe(200);
    const { rows } = (await world.database.db.execute(
      sql`select count(pg_terminate_backend(pid))::int as killed from pg_stat_activity
          where application_name = ${LISTENER_NAME} and datname = current_database()`,
    )) as unknown as { rows: { killed: number }[] };
    expect(rows[0]?.killed).toBe(1);
    // Revoked while nobody listens: no notification will ever tell of it.
    await world.database.db
      .update(schema.staffSessions)
      .set({ revokedAt: new Date() })
      .where(eq(schema.staffSessions.id, id));
    expect((await world.request('/api/auth/me', { headers })).status).toBe(401);
    // The teacher's fixture session keeps working throughout, and the feed comes back by itself.
    await waitUntil(async () => (await world.request('/api/auth/me', { as: 'teacherA' })).status === 200, {
      timeoutMs: 10_000,
      what: "the fixture teacher's session to be accepted",
    });
    expect((await world.request('/api/auth/me', { headers })).status).toBe(401);
  });
});
