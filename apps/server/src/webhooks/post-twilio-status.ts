import { AppError } from '@affection/core';
import { applySmsStatusUpdate, storeWebhookEventOnce } from '@affection/db';
import { parseTwilioStatusCallback } from '@affection/telephony';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { twilioWebhookRoute } from './verify-twilio-request.ts';

/** Where Twilio reports message status (the send's `StatusCallback`: PUBLIC_URL + this path). */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/**
 * `POST /webhooks/twilio/status` (webhook): a message status callback, signature checked first
 * (against PUBLIC_URL + path + query: the sender adds `?idempotencyKey=<message id>`). Each
 * (message, status) report is stored once in `webhook_events`; a new one updates the message by its
 * provider id, or by the message id in the URL when the send timed out before we learnt the provider
 * id. A message never moves backwards: a late `sent` after `delivered` is stored and ignored.
 */
export function registerPostTwilioStatus(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', twilioWebhookRoute(TWILIO_STATUS_PATH, 'SMS delivery status'), async (c) => {
    const params = c.get('twilioParams');
    const services = c.get('services');
    const update = parseTwilioStatusCallback({ url: c.req.url, params });
    if (!update) throw new AppError('bad-request', 'Not a message status callback.');
    const { status, idempotencyKey } = update;
    const twilioStatus = params.MessageStatus ?? params.SmsStatus ?? status.state;
    const now = services.now();
    const outcome = await services.database.db.transaction(async (tx) => {
      const stored = await storeWebhookEventOnce(tx, {
        source: 'twilio-status',
        eventId: `${status.providerId}:${twilioStatus}`,
        eventType: twilioStatus,
        subject: status.providerId,
        payload: {
          messageSid: status.providerId,
          status: twilioStatus,
          errorCode: params.ErrorCode ?? null,
          idempotencyKey: idempotencyKey ?? null,
        },
        now,
      });
      if (!stored.isNew) return 'duplicate' as const;
      const result = await applySmsStatusUpdate(tx, {
        providerId: status.providerId,
        provider: 'twilio',
        state: status.state,
        messageId: idempotencyKey,
        errorCode: params.ErrorCode ?? null,
        errorMessage: status.failure?.message ?? null,
        now,
      });
      return result.outcome;
    });
    c.get('log').info({ outcome, status: twilioStatus }, 'twilio status callback');
    return c.body(null, 204);
  });
}
