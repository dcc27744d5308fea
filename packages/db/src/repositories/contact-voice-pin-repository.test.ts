import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimVoicePinAttempt,
  clearVoicePin,
  createContact,
  createHome,
  createHousehold,
  getVoicePinStatus,
  recordVoicePinSuccess,
  schema,
  setVoicePin,
  type VoicePinLimits,
} from '../index.ts';

const T0 = new Date('2026-09-07T04:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const LIMITS: VoicePinLimits = { maxAttempts: 5, windowMs: 60 * 60_000, cooldownMs: 60 * 60_000 };
/** Stands in for an argon2id hash: the repository stores and returns it as given. */
const HASH = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA';

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('contact phone PINs (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let otherHomeId: string;
  let contactId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    homeId = (await createHome(db, { name: '测试之家' })).id;
    otherHomeId = (await createHome(db, { name: '别的之家' })).id;
    const household = await createHousehold(db, homeId, { name: '王家' });
    contactId = (
      await createContact(db, homeId, {
        householdId: household.id,
        name: '李秀英',
        relation: 'mother',
        phone: '+8613812345678',
      })
    ).id;
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.delete(schema.contactVoicePins);
  });

  const claim = (minutes: number) =>
    claimVoicePinAttempt(database.db, homeId, contactId, { ...LIMITS, now: at(minutes) });
  const setPin = () =>
    setVoicePin(database.db, { homeId, contactId, pinHash: HASH, setBy: { kind: 'staff', id: 'stf_x' }, now: T0 });

  it('sets, reads and clears a PIN within its Home only, never returning the hash in the status', async () => {
    expect(await claim(0)).toEqual({ kind: 'no-pin' });
    const status = await setPin();
    expect(status).toEqual({ contactId, setByKind: 'staff', setAt: T0, lockedUntil: null });
    expect(await getVoicePinStatus(database.db, homeId, contactId)).toEqual(status);
    expect(await getVoicePinStatus(database.db, otherHomeId, contactId)).toBeNull();
    expect(await clearVoicePin(database.db, otherHomeId, contactId)).toBe(false);
    // Another Home cannot overwrite it either.
    expect(
      await setVoicePin(database.db, {
        homeId: otherHomeId,
        contactId,
        pinHash: 'x',
        setBy: { kind: 'staff', id: 'stf_y' },
        now: T0,
      }),
    ).toBeNull();
    expect(await getVoicePinStatus(database.db, homeId, contactId)).toEqual(status);
    expect(await clearVoicePin(database.db, homeId, contactId)).toBe(true);
    expect(await clearVoicePin(database.db, homeId, contactId)).toBe(false);
    expect(await getVoicePinStatus(database.db, homeId, contactId)).toBeNull();
  });

  it('counts every try, locks on the fifth within the window, and starts again after the cooldown', async () => {
    await setPin();
    for (let n = 1; n <= 4; n += 1) {
      expect(await claim(n)).toEqual({ kind: 'claimed', pinHash: HASH, attempts: n, lockedUntil: null });
    }
    expect(await claim(5)).toEqual({ kind: 'claimed', pinHash: HASH, attempts: 5, lockedUntil: at(65) });
    expect(await claim(6)).toEqual({ kind: 'locked', lockedUntil: at(65) });
    expect(await claim(64)).toEqual({ kind: 'locked', lockedUntil: at(65) });
    expect(await claim(65)).toEqual({ kind: 'claimed', pinHash: HASH, attempts: 1, lockedUntil: null });
  });

  it('forgets tries older than the window, and all of them after a right PIN', async () => {
    await setPin();
    for (let n = 0; n < 4; n += 1) await claim(n);
    // The last try was at minute 3: an hour later the count starts again.
    expect(await claim(63)).toMatchObject({ kind: 'claimed', attempts: 1 });
    await claim(64);
    await recordVoicePinSuccess(database.db, homeId, contactId);
    expect(await claim(65)).toMatchObject({ kind: 'claimed', attempts: 1 });
  });

  it('gives tries made at the same time no more than the limit between them', async () => {
    await setPin();
    const claims = await Promise.all(Array.from({ length: 20 }, () => claim(0)));
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(LIMITS.maxAttempts);
    expect(claims.filter((c) => c.kind === 'locked')).toHaveLength(20 - LIMITS.maxAttempts);
  });

  it('starts a replaced PIN with no tries and no lock', async () => {
    await setPin();
    for (let n = 0; n < 5; n += 1) await claim(0);
    expect((await getVoicePinStatus(database.db, homeId, contactId))?.lockedUntil).toEqual(at(60));
    expect((await setPin())?.lockedUntil).toBeNull();
    expect(await claim(1)).toMatchObject({ kind: 'claimed', attempts: 1 });
  });
});
