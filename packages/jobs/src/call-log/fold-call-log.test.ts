import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideCallOutcome } from '../call-end/decide-call-outcome.ts';
import { type CallFacts, foldCallLog, type RoomEventFact } from './fold-call-log.ts';

const T0 = Date.parse('2026-11-18T04:15:00.000Z');
const KID = 'kid:chd_aaaaaaaaaaaaaaaa';
const SISTER = 'kid:chd_bbbbbbbbbbbbbbbb';
const MUM = 'parent:cnt_aaaaaaaaaaaaaaaa';
const DAD_PHONE = 'phone:cnt_bbbbbbbbbbbbbbbb';
const TEACHER = 'staff:stf_aaaaaaaaaaaaaaaa';

let ids = 0;
/** LiveKit stamps events in whole seconds; join times to the millisecond. */
function at(seconds: number): Date {
  return new Date(T0 + seconds * 1000);
}
function joined(identity: string, seconds: number, joinedMs = T0 + seconds * 1000 + 250): RoomEventFact {
  ids += 1;
  return {
    eventId: `EV_join${ids}`,
    type: 'participant-joined',
    occurredAt: new Date(Math.floor(joinedMs / 1000) * 1000),
    identity,
    joinedAt: new Date(joinedMs),
  };
}
function left(join: RoomEventFact, seconds: number): RoomEventFact {
  ids += 1;
  return { ...join, eventId: `EV_left${ids}`, type: 'participant-left', occurredAt: at(seconds) };
}
function room(type: 'room-started' | 'room-finished', seconds: number): RoomEventFact {
  ids += 1;
  return { eventId: `EV_room${ids}`, type, occurredAt: at(seconds), identity: null, joinedAt: null };
}
function facts(events: RoomEventFact[], extra: Partial<CallFacts> = {}): CallFacts {
  return { events, kioskReports: [], roomCloses: [], ...extra };
}
/** A whole call: each party joins at `from` (+250 ms) and leaves at `to`. */
function call(parties: [identity: string, from: number, to: number][]): RoomEventFact[] {
  const events: RoomEventFact[] = [room('room-started', -60)];
  for (const [identity, from, to] of parties) {
    const join = joined(identity, from);
    events.push(join, left(join, to));
  }
  return events;
}

describe('foldCallLog', () => {
  it('gives each identity its stays, kind and total, and the seconds child and parent were together', () => {
    const log = foldCallLog(
      facts([
        ...call([
          [KID, 0, 600],
          [MUM, 20, 590],
        ]),
        room('room-finished', 660),
      ]),
    );
    expect(log.participants).toEqual([
      {
        identity: KID,
        role: 'child',
        kind: 'kiosk',
        source: 'call-log',
        from: 'livekit',
        periods: [{ joinedAt: '2026-11-18T04:15:00.250Z', leftAt: '2026-11-18T04:25:00.000Z' }],
        seconds: 599,
      },
      {
        identity: MUM,
        role: 'parent',
        kind: 'web',
        source: 'call-log',
        from: 'livekit',
        periods: [{ joinedAt: '2026-11-18T04:15:20.250Z', leftAt: '2026-11-18T04:24:50.000Z' }],
        seconds: 569,
      },
    ]);
    expect(log.overlapSeconds).toBe(569);
    expect(log.startedAt?.toISOString()).toBe('2026-11-18T04:15:00.250Z');
    expect(log.endedAt?.toISOString()).toBe('2026-11-18T04:25:00.000Z');
    expect(log).toMatchObject({ hasChild: true, hasParent: true, presentContactIds: ['cnt_aaaaaaaaaaaaaaaa'] });
  });

  it('keeps a reconnect as two stays with a gap, and counts only the time together', () => {
    const first = joined(KID, 0);
    const second = joined(KID, 130);
    const mum = joined(MUM, 0);
    const log = foldCallLog(facts([first, left(first, 100), second, left(second, 400), mum, left(mum, 400)]));
    expect(log.participants[0]?.periods).toEqual([
      { joinedAt: '2026-11-18T04:15:00.250Z', leftAt: '2026-11-18T04:16:40.000Z' },
      { joinedAt: '2026-11-18T04:17:10.250Z', leftAt: '2026-11-18T04:21:40.000Z' },
    ]);
    // 99.75 s before the drop + 269.75 s after it.
    expect(log.overlapSeconds).toBe(369);
  });

  it('is the same log whatever the order and however often each event arrives', () => {
    const events = [
      ...call([
        [KID, 0, 300],
        [SISTER, 5, 310],
        [MUM, 30, 200],
        [DAD_PHONE, 180, 320],
        [TEACHER, 10, 20],
      ]),
      room('room-finished', 400),
    ];
    const reference = foldCallLog(facts(events));
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.nat(events.length - 1), { maxLength: 20 }),
        (shuffled, repeats) => {
          const delivered = [...shuffled, ...repeats.map((i) => shuffled[i]!)];
          expect(foldCallLog(facts(delivered))).toEqual(reference);
        },
      ),
    );
  });

  it('rebuilds a stay from its leave when the join was lost, and ends a stay with a lost leave when the room finished', () => {
    const kid = joined(KID, 0);
    const mum = joined(MUM, 10);
    const log = foldCallLog(facts([left(kid, 300), mum, room('room-finished', 320)]));
    expect(log.participants.map((p) => [p.identity, p.periods])).toEqual([
      [KID, [{ joinedAt: '2026-11-18T04:15:00.250Z', leftAt: '2026-11-18T04:20:00.000Z' }]],
      [MUM, [{ joinedAt: '2026-11-18T04:15:10.250Z', leftAt: '2026-11-18T04:20:20.000Z' }]],
    ]);
    expect(log.overlapSeconds).toBe(289);
  });

  it('counts whoever the room API still saw at close until the close, and nobody past it', () => {
    const kid = joined(KID, 0);
    const log = foldCallLog(
      facts([kid, left(kid, 902)], {
        roomCloses: [{ closedAt: at(900), present: [{ identity: MUM, joinedAt: at(100) }] }],
      }),
    );
    expect(log.participants.map((p) => [p.identity, p.periods[0]?.leftAt])).toEqual([
      [KID, '2026-11-18T04:30:00.000Z'],
      [MUM, '2026-11-18T04:30:00.000Z'],
    ]);
    expect(log.overlapSeconds).toBe(800);
    expect(log.endedAt?.toISOString()).toBe('2026-11-18T04:30:00.000Z');
  });

  it("takes a child LiveKit said nothing about from the kiosk's report, and prefers LiveKit otherwise", () => {
    const mum = joined(MUM, 0);
    const sister = joined(SISTER, 0);
    const log = foldCallLog(
      facts([mum, left(mum, 300), sister, left(sister, 60)], {
        kioskReports: [
          { identity: KID, joinedAt: at(10), leftAt: null },
          { identity: SISTER, joinedAt: at(0), leftAt: at(290) },
        ],
        roomCloses: [{ closedAt: at(300), present: [] }],
      }),
    );
    expect(log.participants.map((p) => [p.identity, p.from, p.seconds])).toEqual([
      [KID, 'kiosk-report', 290],
      [SISTER, 'livekit', 59],
      [MUM, 'livekit', 299],
    ]);
    // Either child with Mum: the sister from the start, then her brother until the close.
    expect(log.overlapSeconds).toBe(299);
  });

  it('counts a phone as a parent and a hidden teacher as nobody', () => {
    const log = foldCallLog(
      facts(
        call([
          [KID, 0, 100],
          [TEACHER, 0, 100],
        ]),
      ),
    );
    expect(log).toMatchObject({ hasParent: false, overlapSeconds: 0 });
    const withPhone = foldCallLog(
      facts(
        call([
          [KID, 0, 100],
          [DAD_PHONE, 0, 100],
        ]),
      ),
    );
    expect(withPhone).toMatchObject({
      hasParent: true,
      overlapSeconds: 99,
      presentContactIds: ['cnt_bbbbbbbbbbbbbbbb'],
    });
    expect(withPhone.participants.map((p) => p.kind)).toEqual(['kiosk', 'phone']);
  });

  it('reads a leave stamped before its join (same second) as a zero-length stay: someone came', () => {
    const kid = joined(KID, 0, T0 + 700);
    const log = foldCallLog(facts([kid, { ...left(kid, 0) }]));
    expect(log.participants[0]?.periods).toEqual([
      { joinedAt: '2026-11-18T04:15:00.700Z', leftAt: '2026-11-18T04:15:00.700Z' },
    ]);
    expect(log).toMatchObject({ hasChild: true, overlapSeconds: 0 });
  });

  it('leaves a call still running open, counting up to the latest known instant', () => {
    const kid = joined(KID, 0);
    const mum = joined(MUM, 0);
    const log = foldCallLog(facts([kid, mum, left(mum, 120)]));
    expect(log.endedAt).toBeNull();
    expect(log.participants[0]?.periods[0]?.leftAt).toBeNull();
    expect(log.participants[0]?.seconds).toBe(119);
    expect(log.asOf?.toISOString()).toBe('2026-11-18T04:17:00.000Z');
  });

  it('ignores identities we did not issue and events about nobody', () => {
    const stranger = joined('+8613800138000', 0);
    const log = foldCallLog(facts([stranger, left(stranger, 100), room('room-started', 0)]));
    expect(log.participants).toEqual([]);
    expect(log).toMatchObject({ startedAt: null, endedAt: null, hasChild: false, hasParent: false });
  });
});

describe('decideCallOutcome', () => {
  /** Stays that start exactly on the second, so overlaps are whole seconds. */
  function exact(parties: [string, number, number][]) {
    const events: RoomEventFact[] = [];
    for (const [identity, from, to] of parties) {
      const join = joined(identity, from, T0 + from * 1000);
      events.push(join, left(join, to));
    }
    return decideCallOutcome(foldCallLog(facts(events)));
  }

  it('completes a call where a child and a parent were together 60 s, not 59 s', () => {
    expect(
      exact([
        [KID, 0, 60],
        [MUM, 0, 60],
      ]),
    ).toBe('completed');
    expect(
      exact([
        [KID, 0, 59],
        [MUM, 0, 300],
      ]),
    ).toBe('failed');
  });

  it('says whose no-show it was when only one side came, and failed when nobody did', () => {
    expect(exact([[KID, 0, 600]])).toBe('parent-no-show');
    expect(exact([[MUM, 0, 600]])).toBe('child-no-show');
    expect(exact([[DAD_PHONE, 0, 600]])).toBe('child-no-show');
    expect(exact([[TEACHER, 0, 600]])).toBe('failed');
    expect(exact([])).toBe('failed');
  });

  it('adds up the time together across a reconnect in the middle', () => {
    // 40 s, a drop, then 30 s more: 70 s together.
    expect(
      exact([
        [KID, 0, 40],
        [KID, 50, 80],
        [MUM, 0, 100],
      ]),
    ).toBe('completed');
    // 40 s, a drop, then 19 s more: 59 s.
    expect(
      exact([
        [KID, 0, 40],
        [KID, 50, 69],
        [MUM, 0, 100],
      ]),
    ).toBe('failed');
  });
});

describe('foldCallLog after LiveKit restarted mid-call', () => {
  // Both joined at 0 s; LiveKit died at 30 s (no leave for anyone) and came back; the kiosk rejoined at 33 s and the
  // parent at 35 s; both left at 120 s and the room closed.
  const kidFirst = joined(KID, 0);
  const mumFirst = joined(MUM, 0);
  const kidAgain = joined(KID, 33);
  const mumAgain = joined(MUM, 35);
  const events = [
    room('room-started', -5),
    kidFirst,
    mumFirst,
    room('room-started', 33),
    kidAgain,
    mumAgain,
    left(kidAgain, 120),
    left(mumAgain, 120),
    room('room-finished', 121),
  ];
  const kioskReports = [
    { identity: KID, joinedAt: at(0), leftAt: at(30) },
    { identity: KID, joinedAt: at(33), leftAt: at(120) },
  ];

  it("ends the child's first stay at the kiosk's report of leaving: the gap shows and is not counted together", () => {
    const log = foldCallLog(facts(events, { kioskReports }));
    const kid = log.participants.find((p) => p.identity === KID)!;
    expect(kid.periods).toEqual([
      { joinedAt: kidFirst.joinedAt!.toISOString(), leftAt: at(30).toISOString() },
      { joinedAt: kidAgain.joinedAt!.toISOString(), leftAt: at(120).toISOString() },
    ]);
    // The parent's page reports nothing of its own: its two stays read as one.
    expect(log.participants.find((p) => p.identity === MUM)!.periods).toHaveLength(1);
    // Together 0.25–30 s and 33.25–120 s.
    expect(log.overlapSeconds).toBe(116);
    expect(decideCallOutcome(log)).toBe('completed');
  });

  it('without a kiosk report the stays merge as before, and a report outside the gap changes nothing', () => {
    expect(foldCallLog(facts(events)).participants.find((p) => p.identity === KID)!.periods).toHaveLength(1);
    const late = [{ identity: KID, joinedAt: at(0), leftAt: at(50) }];
    expect(
      foldCallLog(facts(events, { kioskReports: late })).participants.find((p) => p.identity === KID)!.periods,
    ).toHaveLength(1);
  });
});
