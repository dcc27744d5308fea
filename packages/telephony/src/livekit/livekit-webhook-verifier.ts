import type { CallRoomEvent, CallRoomEventType } from '@affection/core';
import { WebhookReceiver } from 'livekit-server-sdk';
import { parseRoomMetadata, toCallParticipant } from './livekit-call-rooms.ts';
import { requireOptions, scrubLivekitMessage } from './livekit-errors.ts';

/** The answer to {@link LivekitWebhookVerifier.verify}. */
export type LivekitWebhookCheck =
  | { ok: true; event: CallRoomEvent }
  | { ok: false; reason: 'invalid-signature'; message: string };

const EVENT_TYPES: Readonly<Record<string, CallRoomEventType>> = {
  room_started: 'room-started',
  room_finished: 'room-finished',
  participant_joined: 'participant-joined',
  participant_left: 'participant-left',
  participant_connection_aborted: 'participant-connection-aborted',
  track_published: 'track-published',
  track_unpublished: 'track-unpublished',
};

/**
 * Verifies LiveKit webhooks: the `Authorization` header is a JWT signed with our API secret
 * whose `sha256` claim covers the raw body. Read nothing from a request before it passes.
 * Throws at construction when credentials are missing.
 *
 * @example
 * const check = await verifier.verify(await c.req.text(), c.req.header('Authorization'));
 * if (!check.ok) return c.text('', 401);
 */
export class LivekitWebhookVerifier {
  readonly #receiver: WebhookReceiver;

  constructor(options: { apiKey: string; apiSecret: string }) {
    const { apiKey, apiSecret } = requireOptions('LivekitWebhookVerifier', options, ['apiKey', 'apiSecret']);
    this.#receiver = new WebhookReceiver(apiKey, apiSecret);
  }

  /** @param rawBody - the body exactly as received, before any JSON parsing. */
  async verify(rawBody: string, authorization: string | undefined): Promise<LivekitWebhookCheck> {
    if (!authorization) return { ok: false, reason: 'invalid-signature', message: 'No Authorization header' };
    let event: Awaited<ReturnType<WebhookReceiver['receive']>>;
    try {
      event = await this.#receiver.receive(rawBody, authorization);
    } catch (error) {
      const message = error instanceof Error ? scrubLivekitMessage(error.message) : 'unreadable webhook';
      return { ok: false, reason: 'invalid-signature', message };
    }
    const metadata = parseRoomMetadata(event.room?.metadata);
    return {
      ok: true,
      event: {
        id: event.id,
        type: EVENT_TYPES[event.event] ?? 'other',
        providerType: event.event,
        occurredAt: new Date(Number(event.createdAt) * 1000),
        roomName: event.room?.name || undefined,
        bookingId: metadata?.bookingId,
        homeId: metadata?.homeId,
        participant: event.participant ? toCallParticipant(event.participant) : undefined,
      },
    };
  }
}
