import type { CallRoomEventType } from '@affection/core';
import { type CallLogState, KIOSK_REPORT_SOURCE, type StoredRoomEvent } from '@affection/db';
import { z } from 'zod';
import {
  CALL_LOG_SUMMARY_SOURCE,
  type CallFacts,
  type FoldedCallLog,
  type KioskReportFact,
  ROOM_API_SOURCE,
  type RoomCloseFact,
  type RoomEventFact,
} from './fold-call-log.ts';

const EVENT_TYPES = [
  'room-started',
  'room-finished',
  'participant-joined',
  'participant-left',
  'participant-connection-aborted',
  'track-published',
  'track-unpublished',
  'other',
] as const satisfies readonly CallRoomEventType[];

/** What the LiveKit webhook keeps of an event (`payload` of `webhook_events`); see the webhook handler. */
const StoredPayloadSchema = z.object({
  type: z.enum(EVENT_TYPES),
  occurredAt: z.iso.datetime(),
  participant: z
    .object({ identity: z.string().nullable(), joinedAt: z.iso.datetime().nullable().optional() })
    .nullable()
    .optional(),
});

const KioskReportSchema = z.object({
  identity: z.string(),
  source: z.literal(KIOSK_REPORT_SOURCE),
  joinedAt: z.iso.datetime(),
  leftAt: z.iso.datetime().nullable(),
});

/** What the close step saw in the room, kept in `call_logs.participants`. */
const RoomCloseSchema = z.object({
  source: z.literal(ROOM_API_SOURCE),
  closedAt: z.iso.datetime(),
  present: z.array(z.object({ identity: z.string(), joinedAt: z.iso.datetime() })),
});

/** The room API's view at close, as stored in `call_logs.participants`. */
export type RoomCloseEntry = z.infer<typeof RoomCloseSchema>;

/** A stored event as the fold reads it; null for a payload this version cannot read (it is skipped). */
export function roomEventFactOf(event: Pick<StoredRoomEvent, 'eventId' | 'payload'>): RoomEventFact | null {
  const parsed = StoredPayloadSchema.safeParse(
    typeof event.payload === 'string' ? JSON.parse(event.payload) : event.payload,
  );
  if (!parsed.success) return null;
  const { type, occurredAt, participant } = parsed.data;
  return {
    eventId: event.eventId,
    type,
    occurredAt: new Date(occurredAt),
    identity: participant?.identity ?? null,
    joinedAt: participant?.joinedAt ? new Date(participant.joinedAt) : null,
  };
}

/** The facts a call log is folded from: the room's stored events and the facts kept in `participants`. */
export function callFactsOf(state: Pick<CallLogState, 'events' | 'participants'>): CallFacts {
  const events = state.events.map(roomEventFactOf).filter((e): e is RoomEventFact => e !== null);
  const kioskReports: KioskReportFact[] = [];
  const roomCloses: RoomCloseFact[] = [];
  for (const entry of state.participants) {
    const report = KioskReportSchema.safeParse(entry);
    if (report.success) {
      kioskReports.push({
        identity: report.data.identity,
        joinedAt: new Date(report.data.joinedAt),
        leftAt: report.data.leftAt ? new Date(report.data.leftAt) : null,
      });
      continue;
    }
    const close = RoomCloseSchema.safeParse(entry);
    if (close.success) {
      roomCloses.push({
        closedAt: new Date(close.data.closedAt),
        present: close.data.present.map((p) => ({ identity: p.identity, joinedAt: new Date(p.joinedAt) })),
      });
    }
  }
  return { events, kioskReports, roomCloses };
}

function isSummary(entry: unknown): boolean {
  return (
    typeof entry === 'object' && entry !== null && (entry as { source?: unknown }).source === CALL_LOG_SUMMARY_SOURCE
  );
}

function isRoomClose(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && (entry as { source?: unknown }).source === ROOM_API_SOURCE;
}

/**
 * The new `participants` array: the facts kept as they are (the kiosk's reports, the room API's view at close, and
 * anything else another writer keeps there), then the fold's summaries, replacing the previous ones. With `close`,
 * the room API's view is set: a first view is kept, and a later one replaces it only when it saw someone (a retried
 * close finds the room already empty, which says nothing new).
 */
export function participantsWith(
  existing: readonly unknown[],
  folded: FoldedCallLog | null,
  close?: RoomCloseEntry,
): unknown[] {
  let facts = existing.filter((entry) => !isSummary(entry));
  if (close) {
    const previous = facts.find(isRoomClose);
    if (!previous || close.present.length > 0) facts = [...facts.filter((e) => !isRoomClose(e)), close];
  }
  return folded ? [...facts, ...folded.participants] : facts;
}
