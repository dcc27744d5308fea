import { DEMO_LOGINS, schema, seedDemoHome, seedHome, selectRows } from '@affection/db';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cheapHash = async (password: string) => `test-hash:${password.length}`;

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('demo and synthetic seeds (%s)', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('seeds the demo Home the README describes', async () => {
    const seeded = await seedDemoHome(database.db, { hashPassword: cheapHash, now: new Date('2026-09-01T00:00:00Z') });
    expect(seeded.childCount).toBe(60);
    expect(seeded.householdCount).toBeGreaterThanOrEqual(40);
    expect(seeded.householdCount).toBeLessThanOrEqual(50);
    expect(seeded.kioskIds).toHaveLength(2);
    expect(seeded.logins.map((l) => l.username)).toEqual([
      'admin',
      'teacher1',
      'teacher2',
      'teacher3',
      'teacher4',
      'teacher5',
      'teacher6',
    ]);
    expect(seeded.logins[0]?.password).toBe(DEMO_LOGINS.admin.password);

    const [stats] = await selectRows<{
      siblings: number;
      abroad: number;
      phone_only: number;
      pending: number;
      rota_days: number;
      rules: number;
    }>(
      database.db,
      sql`select
        (select count(*)::int from (select household_id from children where home_id = ${seeded.homeId} group by household_id having count(*) > 1) s) as siblings,
        (select count(*)::int from contacts where home_id = ${seeded.homeId} and time_zone <> 'Asia/Shanghai') as abroad,
        (select count(*)::int from contacts where home_id = ${seeded.homeId} and channel = 'phone') as phone_only,
        (select count(*)::int from contacts where home_id = ${seeded.homeId} and approved_at is null) as pending,
        (select count(distinct weekday)::int from duty_patterns where home_id = ${seeded.homeId}) as rota_days,
        (select count(*)::int from opening_rules where home_id = ${seeded.homeId}) as rules`,
    );
    expect(stats?.siblings).toBeGreaterThan(5);
    expect(stats?.abroad).toBeGreaterThanOrEqual(1);
    expect(stats?.phone_only).toBeGreaterThan(0);
    expect(stats?.pending).toBeGreaterThan(0);
    expect(stats?.rota_days).toBe(5);
    expect(stats?.rules).toBe(10);
    const windows = await database.db.select().from(schema.availabilityWindows);
    expect(windows.length).toBeGreaterThan(seeded.contactCount);
  });

  it('seeds a large synthetic Home beside it', async () => {
    const seeded = await seedHome(database.db, {
      name: 'Synthetic Home',
      children: 1000,
      kiosks: 4,
      teachers: 12,
      hashPassword: cheapHash,
      adminLogin: { username: 'synthetic-admin', password: 'synthetic-admin-pass' },
      teacherPassword: 'synthetic-teacher-pass',
      teacherUsernamePrefix: 'synthetic-teacher',
      now: new Date('2026-09-01T00:00:00Z'),
      seed: 7,
    });
    expect(seeded.childCount).toBe(1000);
    const [count] = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from children where home_id = ${seeded.homeId}`,
    );
    expect(count?.n).toBe(1000);
  });
});
