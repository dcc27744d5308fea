import {
  type CallParticipantKind,
  type CallRoomEventType,
  parseParticipantIdentity,
  participantKindOf,
} from '@affection/core';

/** How the call log's own summary of a participant is marked in `call_logs.participants`. */
export const CALL_LOG_SUMMARY_SOURCE = 'call-log';

/** How what the room API showed at close is marked in `call_logs.participants`. */
export const ROOM_API_SOURCE = 'room-api';

/** A stored LiveKit event of the room, as the fold reads it. */
export interface RoomEventFact {
  /** The provider's event id: the tie-break after the event time, so the order never depends on delivery. */
  eventId: string;
  type: CallRoomEventType;
  /** When LiveKit created the event (whole seconds). */
  occurredAt: Date;
  /** The participant's identity, when the event is about one of ours (`kid:`, `parent:`, `phone:`, `staff:`). */
  identity: string | null;
  /** When that participant joined (LiveKit's own, to the millisecond): the same on its join and leave events. */
  joinedAt: Date | null;
}

/** The kiosk's own report of a child's stay. */
export interface KioskReportFact {
  identity: string;
  joinedAt: Date;
  leftAt: Date | null;
}

/** Who the room API showed in the room when the call was closed. */
export interface RoomCloseFact {
  closedAt: Date;
  present: { identity: string; joinedAt: Date }[];
}

/** Everything known about one call: the facts the fold reads. */
export interface CallFacts {
  events: readonly RoomEventFact[];
  kioskReports: readonly KioskReportFact[];
  /** At most one in practice (the close step); several are read as several closes. */
  roomCloses: readonly RoomCloseFact[];
}

/** One stay in the room; `leftAt` null while still there. */
export interface CallPeriod {
  joinedAt: string;
  leftAt: string | null;
}

/** The log's summary of one participant (an entry of `call_logs.participants`). */
export interface CallLogParticipant {
  identity: string;
  role: 'child' | 'parent' | 'phone' | 'staff';
  kind: CallParticipantKind;
  source: typeof CALL_LOG_SUMMARY_SOURCE;
  /** Where the periods come from: LiveKit (webhooks and the room API) or, for a child LiveKit said nothing about, the kiosk. */
  from: 'livekit' | 'kiosk-report';
  /** Stays in the room, in time order; overlapping stays are merged, a reconnect leaves a gap. */
  periods: CallPeriod[];
  /** Whole seconds in the room (an open stay counts up to the latest known instant). */
  seconds: number;
}

/** What the fold makes of a call's facts. */
export interface FoldedCallLog {
  /** In identity order. */
  participants: CallLogParticipant[];
  /** The first moment a child, parent or phone was in the room; null when nobody came. */
  startedAt: Date | null;
  /** The last moment one of them was there; null when nobody came or someone is still there. */
  endedAt: Date | null;
  /** Whole seconds a child and a parent (on the page or the phone) were in the room together. */
  overlapSeconds: number;
  /** Whether any child / any parent was in the room at all. */
  hasChild: boolean;
  hasParent: boolean;
  /** Contacts (by id) who were in the room, on the page or the phone. */
  presentContactIds: string[];
  /** The latest instant any fact speaks of: open stays are counted up to here. */
  asOf: Date | null;
}

interface Span {
  start: number;
  /** Null while open. */
  end: number | null;
}

/** LiveKit sends 0 for a join time it does not know: anything before 2000 is not a time. */
const EARLIEST_REAL_MS = Date.UTC(2000, 0, 1);

function isLeave(type: CallRoomEventType): boolean {
  return type === 'participant-left' || type === 'participant-connection-aborted';
}

function compareEvents(a: RoomEventFact, b: RoomEventFact): number {
  return (
    a.occurredAt.getTime() - b.occurredAt.getTime() || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

/** Sorts and joins overlapping or touching spans; zero-length stays are kept (someone was there). */
function mergeSpans(spans: readonly Span[], asOf: number): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || (a.end ?? asOf) - (b.end ?? asOf));
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start <= (last.end ?? Number.POSITIVE_INFINITY)) {
      if (last.end !== null) last.end = span.end === null ? null : Math.max(last.end, span.end);
    } else merged.push({ ...span });
  }
  return merged;
}

function lengthOf(spans: readonly Span[], asOf: number): number {
  return spans.reduce((sum, s) => sum + Math.max(0, (s.end ?? Math.max(asOf, s.start)) - s.start), 0);
}

/** Milliseconds two sets of merged spans share. */
function sharedMs(a: readonly Span[], b: readonly Span[], asOf: number): number {
  let total = 0;
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end ?? Math.max(asOf, x.start), y.end ?? Math.max(asOf, y.start));
      if (end > start) total += end - start;
    }
  }
  return total;
}

function keyOf(identity: string, joinedAtMs: number): string {
  return `${identity}\u0000${joinedAtMs}`;
}

/**
 * Folds everything known about a call into its log, deterministically: the result depends only on the SET of facts,
 * never on the order or number of deliveries, so a duplicated, late or shuffled webhook gives the same log.
 *
 * The rule:
 * - Events are read sorted by (event time, LiveKit event id). A participant's stay is keyed by (identity, LiveKit's
 *   join time), which its join and its leave events both carry: a join opens it, the earliest leave (or aborted
 *   connection) closes it; a leave whose join was lost still gives the stay. A leave stamped (in whole seconds)
 *   before the join is read as a zero-length stay.
 * - The room API at close adds who was still there (a stay until the close). No stay runs past the first close (room
 *   finished, or closed by us) at or after its start: a stay with no leave ends there.
 * - A child LiveKit said nothing about is taken from the kiosk's own reports (a lost webhook loses no log); LiveKit
 *   wins where it has something, as the kiosk's clock is the device's. One exception: a child's LiveKit stay with no
 *   leave that is followed by a later stay of theirs (LiveKit restarted and the kiosk joined the new room) ends at
 *   the kiosk's report of leaving between the two, so the gap shows.
 * - Per identity the stays are merged (a reconnect leaves a gap); a stay with no end yet counts up to `asOf`, the
 *   latest instant any fact speaks of.
 * - `overlapSeconds` = whole seconds in the union of the children's stays intersected with the union of the
 *   parents' and phones' stays; staff (hidden observers) are listed but count for nothing.
 */
export function foldCallLog(facts: CallFacts): FoldedCallLog {
  const events = [...facts.events].sort(compareEvents);
  const closes = facts.roomCloses
    .map((c) => c.closedAt.getTime())
    .concat(events.filter((e) => e.type === 'room-finished').map((e) => e.occurredAt.getTime()))
    .sort((a, b) => a - b);
  const instants: number[] = [...closes];
  const stays = new Map<string, { identity: string; span: Span }>();
  const stayOf = (identity: string, start: number) => {
    const key = keyOf(identity, start);
    let stay = stays.get(key);
    if (!stay) {
      stay = { identity, span: { start, end: null } };
      stays.set(key, stay);
    }
    return stay;
  };

  for (const event of events) {
    instants.push(event.occurredAt.getTime());
    if (!event.identity || !parseParticipantIdentity(event.identity)) continue;
    if (event.type !== 'participant-joined' && !isLeave(event.type)) continue;
    const joinedMs = event.joinedAt?.getTime() ?? 0;
    const start = joinedMs >= EARLIEST_REAL_MS ? joinedMs : event.occurredAt.getTime();
    const stay = stayOf(event.identity, start);
    instants.push(start);
    if (isLeave(event.type)) {
      const end = Math.max(start, event.occurredAt.getTime());
      stay.span.end = stay.span.end === null ? end : Math.min(stay.span.end, end);
    }
  }
  for (const close of facts.roomCloses) {
    for (const present of close.present) {
      if (!parseParticipantIdentity(present.identity)) continue;
      const joinedMs = present.joinedAt.getTime();
      const closedMs = close.closedAt.getTime();
      const start = joinedMs >= EARLIEST_REAL_MS ? Math.min(joinedMs, closedMs) : closedMs;
      stayOf(present.identity, start);
      instants.push(start);
    }
  }
  // LiveKit restarted (or the kiosk lost the room long enough to join it anew): the first stay never got a leave, and
  // the same child has a later stay. The kiosk's report of leaving, between the two, ends the first one there, so the
  // log shows the gap instead of merging both stays into one.
  const all = [...stays.values()];
  for (const stay of all) {
    if (stay.span.end !== null || parseParticipantIdentity(stay.identity)?.role !== 'child') continue;
    const later = all.filter((o) => o.identity === stay.identity && o.span.start > stay.span.start);
    if (later.length === 0) continue;
    const next = Math.min(...later.map((o) => o.span.start));
    const leaves = facts.kioskReports
      .filter((r) => r.identity === stay.identity && r.leftAt !== null)
      .map((r) => r.leftAt!.getTime())
      .filter((leftMs) => leftMs >= stay.span.start && leftMs <= next);
    if (leaves.length > 0) stay.span.end = Math.max(...leaves);
  }
  // Nobody stays past the first close at or after their start: a stay still open ends there, and a leave reported
  // after it (the room's own goodbyes, whole seconds late) is read as leaving at the close.
  for (const { span } of stays.values()) {
    const close = closes.find((at) => at >= span.start);
    if (close !== undefined) span.end = span.end === null ? close : Math.min(span.end, close);
  }

  const byIdentity = new Map<string, { from: CallLogParticipant['from']; spans: Span[] }>();
  for (const { identity, span } of stays.values()) {
    const entry = byIdentity.get(identity) ?? { from: 'livekit' as const, spans: [] };
    entry.spans.push(span);
    byIdentity.set(identity, entry);
  }
  const fromKiosk = new Map<string, Span[]>();
  for (const report of facts.kioskReports) {
    const who = parseParticipantIdentity(report.identity);
    if (who?.role !== 'child' || byIdentity.has(report.identity)) continue;
    const start = report.joinedAt.getTime();
    let end = report.leftAt ? Math.max(start, report.leftAt.getTime()) : null;
    if (end === null) end = closes.find((at) => at >= start) ?? null;
    instants.push(start, ...(end === null ? [] : [end]));
    fromKiosk.set(report.identity, [...(fromKiosk.get(report.identity) ?? []), { start, end }]);
  }
  for (const [identity, spans] of fromKiosk) byIdentity.set(identity, { from: 'kiosk-report', spans });

  const asOfMs = instants.length > 0 ? Math.max(...instants) : null;
  const asOf = asOfMs ?? 0;
  const participants: CallLogParticipant[] = [];
  const childSpans: Span[] = [];
  const parentSpans: Span[] = [];
  const presentContactIds = new Set<string>();
  for (const identity of [...byIdentity.keys()].sort()) {
    const entry = byIdentity.get(identity)!;
    const who = parseParticipantIdentity(identity)!;
    const merged = mergeSpans(entry.spans, asOf);
    if (who.role === 'child') childSpans.push(...merged);
    if (who.role === 'parent' || who.role === 'phone') {
      parentSpans.push(...merged);
      presentContactIds.add(who.contactId);
    }
    participants.push({
      identity,
      role: who.role,
      kind: participantKindOf(identity)!,
      source: CALL_LOG_SUMMARY_SOURCE,
      from: entry.from,
      periods: merged.map((s) => ({
        joinedAt: new Date(s.start).toISOString(),
        leftAt: s.end === null ? null : new Date(s.end).toISOString(),
      })),
      seconds: Math.floor(lengthOf(merged, asOf) / 1000),
    });
  }
  const children = mergeSpans(childSpans, asOf);
  const parents = mergeSpans(parentSpans, asOf);
  const parties = mergeSpans([...children, ...parents], asOf);
  const first = parties[0];
  const isOpen = parties.some((s) => s.end === null);
  const lastEnd = parties.length > 0 && !isOpen ? Math.max(...parties.map((s) => s.end!)) : null;
  return {
    participants,
    startedAt: first ? new Date(first.start) : null,
    endedAt: lastEnd === null ? null : new Date(lastEnd),
    overlapSeconds: Math.floor(sharedMs(children, parents, asOf) / 1000),
    hasChild: children.length > 0,
    hasParent: parents.length > 0,
    presentContactIds: [...presentContactIds].sort(),
    asOf: asOfMs === null ? null : new Date(asOfMs),
  };
}
