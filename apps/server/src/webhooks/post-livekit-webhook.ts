import { AppError, type CallRoomEvent } from '@affection/core';
import { storeWebhookEventOnce } from '@affection/db';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { safeErrorForLog } from '../errors/safe-error.ts';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { livekitWebhookRoute } from './verify-livekit-request.ts';

/** Where LiveKit posts its webhooks (`webhook.urls` in LiveKit's config: PUBLIC_URL + this path). */
export const LIVEKIT_WEBHOOK_PATH = '/webhooks/livekit';

const BOOKING_ROOM = /^bkg_[0-9a-z]{16}$/;

/**
 * The room an event is about, when it is one of ours (opened for a booking, or named after one).
 * Other rooms' names are not kept: LiveKit names a SIP caller's own room after their phone number.
 */
function ourRoomOf(event: CallRoomEvent): string | null {
  if (event.bookingId) return event.bookingId;
  return event.roomName && BOOKING_ROOM.test(event.roomName) ? event.roomName : null;
}

/**
 * What is kept of an event: ids, types and times only. A participant is kept by identity only
 * when it is one we issue (`kid:chd_…`, `parent:cnt_…`), so no phone number of a SIP caller is stored.
 */
function payloadOf(event: CallRoomEvent): Record<string, unknown> {
  return {
    type: event.type,
    providerType: event.providerType,
    occurredAt: event.occurredAt.toISOString(),
    roomName: ourRoomOf(event),
    bookingId: event.bookingId ?? null,
    homeId: event.homeId ?? null,
    participant: event.participant
      ? {
          identity: event.participant.who ? event.participant.identity : null,
          kind: event.participant.kind ?? null,
          joinedAt: event.participant.joinedAt.toISOString(),
        }
      : null,
  };
}

/**
 * `POST /webhooks/livekit` (webhook): {@link verifyLivekitRequest} has checked the raw body against
 * the JWT in `Authorization` before anything is read. Each event is stored once in `webhook_events`
 * by its id; a replay answers 200 and does nothing. A new event is then handed to
 * `services.onLivekitEvent` (the jobs layer's enqueue); if that fails the event stays stored,
 * unprocessed, for the reconciler, and LiveKit still gets 200.
 */
export function registerPostLivekitWebhook(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', livekitWebhookRoute(LIVEKIT_WEBHOOK_PATH), async (c) => {
    const services = c.get('services');
    const event = c.get('livekitEvent');
    if (!event.id) throw new AppError('bad-request', 'The webhook has no event id.');
    const stored = await storeWebhookEventOnce(services.database.db, {
      source: 'livekit',
      eventId: event.id,
      eventType: event.providerType,
      subject: ourRoomOf(event),
      payload: payloadOf(event),
      now: services.now(),
    });
    const log = c.get('log');
    if (!stored.isNew) {
      log.info({ webhookEventId: stored.id, eventType: event.providerType }, 'livekit webhook replayed: ignored');
      return c.json({ received: true, duplicate: true }, 200);
    }
    if (services.onLivekitEvent) {
      try {
        await services.onLivekitEvent(event, { webhookEventId: stored.id });
      } catch (error) {
        log.warn(
          { webhookEventId: stored.id, eventType: event.providerType, err: safeErrorForLog(error) },
          'livekit event stored but not handed on: left for the reconciler',
        );
      }
    }
    return c.json({ received: true, duplicate: false }, 200);
  });
}
