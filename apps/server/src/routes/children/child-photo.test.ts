import { archiveChild, createBooking, createChild, eraseChild, listAuditForSubject, schema } from '@affection/db';
import { type ApiWorld, createApiWorld, type TestDatabaseKind } from '@affection/test-support';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../auth/tokens.ts';

/** Bytes that start like a picture of `kind` (the server judges by the first bytes only). */
function picture(kind: 'png' | 'jpeg' | 'webp', size = 2048): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (i * 37 + 11) & 0xff;
  const head =
    kind === 'png'
      ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
      : kind === 'jpeg'
        ? [0xff, 0xd8, 0xff, 0xe0]
        : [...'RIFF']
            .map((ch) => ch.charCodeAt(0))
            .concat(
              [0, 0, 0, 0],
              [...'WEBP'].map((ch) => ch.charCodeAt(0)),
            );
  bytes.set(head, 0);
  return bytes;
}

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

interface PhotoAnswer {
  photoUrl: string;
  version: string;
  contentType: string;
  byteSize: number;
}

interface ErrorAnswer {
  error: { code: string; userMessageKey: string; details?: { reason?: string; fields?: { path: string }[] } };
}

describe.each<TestDatabaseKind>(['pglite', 'postgres'])('child photo API (%s)', (kind) => {
  let world: ApiWorld;
  let kioskBToken: string;
  beforeAll(async () => {
    world = await createApiWorld(kind);
    kioskBToken = `kiosk-b-${Math.random().toString(36).slice(2)}`;
    await world.database.db
      .update(schema.kiosks)
      .set({ revokedAt: null, enrolledAt: new Date(), deviceTokenHash: hashToken(kioskBToken) })
      .where(eq(schema.kiosks.id, world.b.kiosk.id));
  });
  afterAll(async () => {
    await world?.close();
  });

  async function newChild(givenName: string): Promise<string> {
    const child = await createChild(world.database.db, world.a.home.id, {
      householdId: world.a.household.id,
      familyName: '王',
      givenName,
    });
    return child.id;
  }

  function upload(childId: string, image: string, as: 'teacherA' | 'teacherB' | 'adminA' | 'kioskA' = 'teacherA') {
    return world.request(`/api/children/${childId}/photo`, { method: 'PUT', as, json: { image } });
  }

  it('keeps a photo; staff and the Home’s kiosk read the same bytes; the child and the kiosk’s calls carry its URL', async () => {
    const childId = await newChild('小花');
    const bytes = picture('webp', 40_000);
    const res = await upload(childId, `data:image/webp;base64,${base64Of(bytes)}`);
    expect(res.status).toBe(200);
    const photo = (await res.json()) as PhotoAnswer;
    expect(photo).toMatchObject({ contentType: 'image/webp', byteSize: 40_000 });
    expect(photo.version).toMatch(/^[0-9a-f]{16}$/);
    expect(photo.photoUrl).toBe(`/api/children/${childId}/photo?v=${photo.version}`);

    const child = (await (await world.request(`/api/children/${childId}`, { as: 'teacherA' })).json()) as {
      hasPhoto: boolean;
      photoUrl: string | null;
    };
    expect(child).toMatchObject({ hasPhoto: true, photoUrl: photo.photoUrl });

    const staffRead = await world.request(photo.photoUrl, { as: 'teacherA' });
    expect(staffRead.status).toBe(200);
    expect(staffRead.headers.get('content-type')).toBe('image/webp');
    expect(staffRead.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
    expect(staffRead.headers.get('etag')).toBe(`"${photo.version}"`);
    expect(new Uint8Array(await staffRead.arrayBuffer())).toEqual(bytes);

    const kioskRead = await world.request(`/api/kiosk/children/${childId}/photo?v=${photo.version}`, { as: 'kioskA' });
    expect(kioskRead.status).toBe(200);
    expect(kioskRead.headers.get('cache-control')).toMatch(/^private/);
    expect(new Uint8Array(await kioskRead.arrayBuffer())).toEqual(bytes);

    // Same ETag: no bytes again. An old version in the URL is answered but not kept.
    const again = await world.request(photo.photoUrl, {
      as: 'teacherA',
      headers: { 'if-none-match': `"${photo.version}"` },
    });
    expect(again.status).toBe(304);
    const stale = await world.request(`/api/children/${childId}/photo?v=0000000000000000`, { as: 'teacherA' });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cache-control')).toBe('private, no-cache');

    const audit = await listAuditForSubject(world.database.db, 'child', childId);
    const set = audit.find((event) => event.action === 'child.photo.set');
    expect(set?.details).toEqual({ version: photo.version });
  });

  it('replaces a photo with a new version and removes it (then 404, and the child has no URL)', async () => {
    const childId = await newChild('小草');
    const first = (await (await upload(childId, base64Of(picture('jpeg')))).json()) as PhotoAnswer;
    const second = (await (await upload(childId, base64Of(picture('png', 3000)))).json()) as PhotoAnswer;
    expect(second.version).not.toBe(first.version);
    expect(second.contentType).toBe('image/png');
    const read = await world.request(second.photoUrl, { as: 'teacherA' });
    expect(read.headers.get('content-type')).toBe('image/png');

    const removed = await world.request(`/api/children/${childId}/photo`, { method: 'DELETE', as: 'teacherA' });
    expect(removed.status).toBe(204);
    expect((await world.request(second.photoUrl, { as: 'teacherA' })).status).toBe(404);
    expect((await world.request(`/api/kiosk/children/${childId}/photo`, { as: 'kioskA' })).status).toBe(404);
    const child = (await (await world.request(`/api/children/${childId}`, { as: 'teacherA' })).json()) as {
      photoUrl: string | null;
    };
    expect(child.photoUrl).toBeNull();
    // Removing again is no change.
    expect((await world.request(`/api/children/${childId}/photo`, { method: 'DELETE', as: 'teacherA' })).status).toBe(
      204,
    );
  });

  it('refuses a file that is not a JPEG, PNG or WebP with 415, whatever its data URL says', async () => {
    const childId = await newChild('小石');
    const gif = new TextEncoder().encode('GIF89a and then some bytes');
    const res = await upload(childId, `data:image/png;base64,${base64Of(gif)}`);
    expect(res.status).toBe(415);
    const body = (await res.json()) as ErrorAnswer;
    expect(body.error).toMatchObject({ userMessageKey: 'error.photo.wrong-type', details: { reason: 'wrong-type' } });
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    expect((await upload(childId, base64Of(svg))).status).toBe(415);
    expect((await world.request(`/api/children/${childId}/photo`, { as: 'teacherA' })).status).toBe(404);
  });

  it('refuses a photo over 300 KB with 413 and text that is not base64 with 400 on the field', async () => {
    const childId = await newChild('小山');
    const big = await upload(childId, base64Of(picture('jpeg', 300 * 1024 + 1)));
    expect(big.status).toBe(413);
    expect(((await big.json()) as ErrorAnswer).error).toMatchObject({
      userMessageKey: 'error.photo.too-large',
      details: { reason: 'too-large' },
    });
    // Exactly the limit is kept.
    expect((await upload(childId, base64Of(picture('jpeg', 300 * 1024)))).status).toBe(200);

    const bad = await upload(childId, 'this is not base64!');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorAnswer).error.details?.fields?.[0]?.path).toBe('image');
    const empty = await upload(childId, '');
    expect(empty.status).toBe(400);
    const extra = await world.request(`/api/children/${childId}/photo`, {
      method: 'PUT',
      as: 'teacherA',
      json: { image: base64Of(picture('png')), name: 'x' },
    });
    expect(extra.status).toBe(400);
  });

  it("keeps Homes apart: another Home's staff and kiosk get 404, kiosks and strangers cannot upload", async () => {
    const childId = await newChild('小月');
    const photo = (await (await upload(childId, base64Of(picture('webp')))).json()) as PhotoAnswer;

    expect((await upload(childId, base64Of(picture('png')), 'teacherB')).status).toBe(404);
    expect((await world.request(photo.photoUrl, { as: 'teacherB' })).status).toBe(404);
    expect((await world.request(`/api/children/${childId}/photo`, { method: 'DELETE', as: 'teacherB' })).status).toBe(
      404,
    );
    const kioskB = await world.request(`/api/kiosk/children/${childId}/photo?v=${photo.version}`, {
      headers: { authorization: `Kiosk ${kioskBToken}` },
    });
    expect(kioskB.status).toBe(404);
    // Home B's kiosk does see Home B's own child when it has a photo.
    const own = await world.request(`/api/children/${world.b.child.id}/photo`, {
      method: 'PUT',
      as: 'teacherB',
      json: { image: base64Of(picture('jpeg')) },
    });
    expect(own.status).toBe(200);
    const ownRead = await world.request(`/api/kiosk/children/${world.b.child.id}/photo`, {
      headers: { authorization: `Kiosk ${kioskBToken}` },
    });
    expect(ownRead.status).toBe(200);

    expect((await upload(childId, base64Of(picture('png')), 'kioskA')).status).toBe(403);
    expect((await world.request(photo.photoUrl, { as: 'anonymous' })).status).toBe(401);
    expect((await world.request(photo.photoUrl, { as: 'kioskA' })).status).toBe(403);
    expect((await world.request(photo.photoUrl, { as: 'familyA' })).status).toBe(403);
    expect((await world.request(`/api/kiosk/children/${childId}/photo`, { as: 'teacherA' })).status).toBe(403);
    expect((await world.request(`/api/kiosk/children/${childId}/photo`, { as: 'familyA' })).status).toBe(403);
    // Without the CSRF token a signed-in teacher cannot change it.
    const noCsrf = await world.app.request(`/api/children/${childId}/photo`, {
      method: 'DELETE',
      headers: { cookie: world.headersFor('teacherA').cookie! },
    });
    expect(noCsrf.status).toBe(403);
  });

  it('hides an archived child’s photo from the kiosk (staff still see it) and erasure deletes the bytes', async () => {
    const childId = await newChild('小雪');
    const photo = (await (await upload(childId, base64Of(picture('webp')))).json()) as PhotoAnswer;
    await archiveChild(world.database.db, world.a.home.id, childId, new Date());
    expect((await world.request(`/api/kiosk/children/${childId}/photo`, { as: 'kioskA' })).status).toBe(404);
    expect((await world.request(photo.photoUrl, { as: 'teacherA' })).status).toBe(200);

    const erasure = await eraseChild(world.database.db, world.a.home.id, childId, new Date());
    expect(erasure?.counts.photos).toBe(1);
    expect(
      await world.database.db.select().from(schema.childPhotos).where(eq(schema.childPhotos.childId, childId)),
    ).toEqual([]);
    expect((await world.request(photo.photoUrl, { as: 'teacherA' })).status).toBe(404);
  });

  it("gives the kiosk's calls a photo URL per child (null without one) that the kiosk can read", async () => {
    const t0 = world.services.now();
    const withPhoto = world.a.child.id;
    const without = await newChild('小云');
    const booked = await createBooking(world.database.db, {
      homeId: world.a.home.id,
      kioskId: world.a.kiosk.id,
      householdId: world.a.household.id,
      contactId: world.a.contact.id,
      childIds: [withPhoto, without],
      start: new Date(t0.getTime() + 10 * 60_000),
      end: new Date(t0.getTime() + 25 * 60_000),
      status: 'confirmed',
      source: 'teacher',
      now: t0,
    });
    expect(booked.ok).toBe(true);
    const photo = (await (await upload(withPhoto, base64Of(picture('jpeg')))).json()) as PhotoAnswer;

    const listed = await world.request('/api/kiosk/calls', { as: 'kioskA' });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as {
      calls: { children: { id: string; hasPhoto: boolean; photoUrl: string | null }[] }[];
    };
    const children = body.calls.flatMap((call) => call.children);
    const url = `/api/kiosk/children/${withPhoto}/photo?v=${photo.version}`;
    expect(children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: withPhoto, hasPhoto: true, photoUrl: url }),
        expect.objectContaining({ id: without, hasPhoto: false, photoUrl: null }),
      ]),
    );
    const read = await world.request(url, { as: 'kioskA' });
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
  });
});
