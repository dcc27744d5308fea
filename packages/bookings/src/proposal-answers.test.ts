import { isAppError } from '@affection/core';
import { getBooking, listAuditForSubject } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingActor } from './booking-actor.ts';
import { confirmProposals } from './confirm-proposals.ts';
import { declineProposal } from './decline-proposal.ts';
import { seedTestBooking, seedTestWorld, type TestWorld } from './test-world.ts';

/** Wednesday 9 September 2026 at `hh:mm` in Shanghai. */
const wednesdayAt = (hh: number, mm = 0) => new Date(Date.UTC(2026, 8, 9, hh - 8, mm));

describe("a teacher's answers to the weekly proposals (PGlite)", () => {
  let database: TestDatabase;
  let world: TestWorld;
  let other: TestWorld;
  let teacher: BookingActor;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    world = await seedTestWorld(database.db);
    other = await seedTestWorld(database.db);
    teacher = { kind: 'staff', staffId: world.staffId, role: 'teacher' };
  });
  afterAll(async () => {
    await database?.close();
  });

  it('declineProposal keeps the reason on the booking, audits ids only, plans once and refuses a second answer', async () => {
    const proposal = await seedTestBooking(database.db, world, 0, { start: wednesdayAt(10), status: 'proposed' });
    world.planned.length = 0;
    const input = { homeId: world.homeId, bookingId: proposal.id, reason: '家长这周回老家' };
    const declined = await declineProposal(world.deps, teacher, { ...input, expectedVersion: proposal.version });
    expect(declined).toMatchObject({
      ok: true,
      booking: { status: 'declined', cancelReason: '家长这周回老家', version: proposal.version + 1 },
    });
    expect(world.planned).toEqual([proposal.id]);
    const trail = await listAuditForSubject(database.db, 'booking', proposal.id);
    expect(trail.map((e) => [e.action, e.actorId])).toEqual([['booking.decline', world.staffId]]);
    expect(JSON.stringify(trail)).not.toContain('回老家');
    expect(await declineProposal(world.deps, teacher, input)).toEqual({ ok: false, reason: 'not-active' });
    expect(world.planned).toEqual([proposal.id]);

    const confirmed = await seedTestBooking(database.db, world, 1, { start: wednesdayAt(11) });
    expect(await declineProposal(world.deps, teacher, { ...input, bookingId: confirmed.id })).toEqual({
      ok: false,
      reason: 'not-active',
    });
    expect((await getBooking(database.db, world.homeId, confirmed.id))?.status).toBe('confirmed');
    const stranger = await declineProposal(world.deps, teacher, { ...input, homeId: other.homeId }).catch(
      (error: unknown) => error,
    );
    expect(isAppError(stranger) && stranger.code).toBe('not-found');
  });

  it('confirmProposals confirms each on its own and answers per booking, never across Homes', async () => {
    const first = await seedTestBooking(database.db, world, 0, { start: wednesdayAt(14), status: 'proposed' });
    const second = await seedTestBooking(database.db, world, 1, {
      start: wednesdayAt(14),
      kioskId: world.kioskIds[1],
      status: 'proposed',
    });
    const theirs = await seedTestBooking(database.db, other, 0, { start: wednesdayAt(14), status: 'proposed' });
    const notAProposal = await seedTestBooking(database.db, world, 0, { start: wednesdayAt(16) });
    world.planned.length = 0;
    const results = await confirmProposals(world.deps, teacher, {
      homeId: world.homeId,
      bookingIds: [first.id, theirs.id, notAProposal.id, second.id, first.id],
    });
    expect(results.map((r) => (r.ok ? [r.bookingId, r.booking.status] : [r.bookingId, r.reason]))).toEqual([
      [first.id, 'confirmed'],
      [theirs.id, 'not-found'],
      [notAProposal.id, 'not-active'],
      [second.id, 'confirmed'],
    ]);
    expect(world.planned).toEqual([first.id, second.id]);
    expect((await getBooking(database.db, other.homeId, theirs.id))?.status).toBe('proposed');
    const trail = await listAuditForSubject(database.db, 'booking', second.id);
    expect(trail.map((e) => e.action)).toEqual(['booking.confirm']);
  });
});
