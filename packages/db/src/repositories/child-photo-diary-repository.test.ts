import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChild,
  createDiaryEntry,
  createHome,
  createHousehold,
  createId,
  createStaff,
  deleteDiaryEntry,
  getChild,
  getChildPhoto,
  listDiaryEntries,
  photoVersionOf,
  removeChildPhoto,
  saveChildPhoto,
  schema,
  updateDiaryEntry,
} from '../index.ts';

const NOW = new Date('2026-09-07T04:00:00Z');

/** Every byte value, twice, after a JPEG's first bytes: what goes in must come out, whatever the driver. */
function jpegBytes(seed: number): Uint8Array {
  const bytes = new Uint8Array(520);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  for (let i = 4; i < bytes.length; i += 1) bytes[i] = (i + seed) & 0xff;
  return bytes;
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('child photo and diary repositories (%s)', (kind) => {
  let database: TestDatabase;
  let homeId: string;
  let otherHomeId: string;
  let teacherId: string;
  let householdId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const db = database.db;
    homeId = (await createHome(db, { name: '测试之家' })).id;
    otherHomeId = (await createHome(db, { name: '别的之家' })).id;
    teacherId = (
      await createStaff(db, homeId, { role: 'teacher', displayName: '王老师', username: 'wang', passwordHash: 'x' })
    ).id;
    householdId = (await createHousehold(db, homeId, { name: '刘家' })).id;
  });
  afterAll(async () => {
    await database?.close();
  });

  const newChild = async (givenName: string) =>
    (await createChild(database.db, homeId, { householdId, familyName: '刘', givenName })).id;

  it('keeps the photo bytes exactly, versions them by their hash, replaces and removes them', async () => {
    const db = database.db;
    const childId = await newChild('小雨');
    const first = jpegBytes(1);
    expect(
      await saveChildPhoto(db, homeId, childId, {
        contentType: 'image/jpeg',
        data: first,
        uploadedBy: teacherId,
        at: NOW,
      }),
    ).toEqual({
      version: photoVersionOf(first),
    });
    const stored = await getChildPhoto(db, homeId, childId);
    expect(stored).toMatchObject({ contentType: 'image/jpeg', byteSize: 520, version: photoVersionOf(first) });
    expect(stored?.data).toBeInstanceOf(Uint8Array);
    expect([...stored!.data]).toEqual([...first]);
    expect((await getChild(db, homeId, childId))?.photoVersion).toBe(photoVersionOf(first));

    const second = jpegBytes(2);
    await saveChildPhoto(db, homeId, childId, {
      contentType: 'image/jpeg',
      data: second,
      uploadedBy: teacherId,
      at: NOW,
    });
    expect(photoVersionOf(second)).not.toBe(photoVersionOf(first));
    expect([...(await getChildPhoto(db, homeId, childId))!.data]).toEqual([...second]);
    expect(await db.select().from(schema.childPhotos).where(eq(schema.childPhotos.childId, childId))).toHaveLength(1);

    // Another Home sees nothing and changes nothing.
    expect(await getChildPhoto(db, otherHomeId, childId)).toBeNull();
    expect(
      await saveChildPhoto(db, otherHomeId, childId, {
        contentType: 'image/png',
        data: first,
        uploadedBy: teacherId,
        at: NOW,
      }),
    ).toBeNull();
    expect(await removeChildPhoto(db, otherHomeId, childId, NOW)).toBeNull();

    expect(await removeChildPhoto(db, homeId, childId, NOW)).toEqual({ removed: true });
    expect(await removeChildPhoto(db, homeId, childId, NOW)).toEqual({ removed: false });
    expect(await getChildPhoto(db, homeId, childId)).toBeNull();
    expect((await getChild(db, homeId, childId))?.photoVersion).toBeNull();
  });

  it('refuses in the database a photo whose size does not match its bytes, and an unknown type', async () => {
    const db = database.db;
    const childId = await newChild('小风');
    const row = { childId, homeId, data: jpegBytes(3), version: 'x', uploadedAt: NOW };
    await expect(
      db.insert(schema.childPhotos).values({ ...row, contentType: 'image/jpeg', byteSize: 10 }),
    ).rejects.toThrow();
    await expect(
      db.insert(schema.childPhotos).values({ ...row, contentType: 'image/gif' as 'image/png', byteSize: 520 }),
    ).rejects.toThrow();
  });

  it('lists a diary newest day first with the author, changes and deletes entries, and keeps Homes apart', async () => {
    const db = database.db;
    const childId = await newChild('小星');
    const entry = (date: string, text: string) =>
      createDiaryEntry(db, homeId, childId, teacherId, { entryDate: date, text, mood: 3, tags: ['study'] }, NOW);
    const older = await entry('2026-09-01', '开学了');
    const newer = await entry('2026-09-05', '想妈妈');
    expect(newer).toMatchObject({ authorName: '王老师', staffId: teacherId, tags: ['study'], entryDate: '2026-09-05' });
    expect(newer!.id).toMatch(/^dia_[0-9a-z]{16}$/);
    expect((await listDiaryEntries(db, homeId, childId))?.map((e) => e.text)).toEqual(['想妈妈', '开学了']);

    const later = new Date(NOW.getTime() + 60_000);
    const changed = await updateDiaryEntry(db, homeId, older!.id, { text: '开学第一天', tags: [], mood: null }, later);
    expect(changed).toMatchObject({ text: '开学第一天', tags: [], mood: null, updatedAt: later, createdAt: NOW });

    expect(await listDiaryEntries(db, otherHomeId, childId)).toBeNull();
    expect(
      await createDiaryEntry(
        db,
        otherHomeId,
        childId,
        teacherId,
        { entryDate: '2026-09-01', text: 'x', mood: null, tags: [] },
        NOW,
      ),
    ).toBeNull();
    expect(await updateDiaryEntry(db, otherHomeId, newer!.id, { text: 'x' }, NOW)).toBeNull();
    expect(await deleteDiaryEntry(db, otherHomeId, newer!.id)).toBe(false);

    expect(await deleteDiaryEntry(db, homeId, newer!.id)).toBe(true);
    expect((await listDiaryEntries(db, homeId, childId))?.map((e) => e.id)).toEqual([older!.id]);
  });

  it('refuses in the database a tag outside the closed list and a mood outside 1–5', async () => {
    const db = database.db;
    const childId = await newChild('小月');
    const row = {
      id: createId('diaryEntry'),
      homeId,
      childId,
      staffId: teacherId,
      entryDate: '2026-09-01',
      text: '好',
    };
    await expect(db.insert(schema.diaryEntries).values({ ...row, tags: ['sports'] })).rejects.toThrow();
    await expect(db.insert(schema.diaryEntries).values({ ...row, mood: 6 })).rejects.toThrow();
    await db.insert(schema.diaryEntries).values({ ...row, tags: ['health', 'family'] });
    expect((await listDiaryEntries(db, homeId, childId))?.[0]?.tags).toEqual(['health', 'family']);
  });
});
