import { AppError, type CallRoomEvent } from '@affection/core';
import { createRoute } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { errorResponses } from '../routes/common-schemas.ts';
import type { AppEnv } from '../services.ts';

/** Hono's typing of a LiveKit webhook's context: {@link verifyLivekitRequest} puts the event in it. */
export interface LivekitWebhookEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { livekitEvent: CallRoomEvent };
}

/**
 * Checks a LiveKit webhook before anything in it is used: the raw body, exactly as sent, against
 * the JWT in `Authorization` (signed with our API secret, its `sha256` claim covering the body).
 * 404 when LiveKit is not configured, 401 without the header, 403 when the signature does not
 * match; otherwise the event is in `c.var.livekitEvent`.
 *
 * @example addRoute(app, 'webhook', livekitWebhookRoute('/webhooks/livekit'), handleRoomEvent)
 */
export function verifyLivekitRequest(): MiddlewareHandler<LivekitWebhookEnv> {
  return async function verifyLivekitRequestMiddleware(c, next) {
    const verifier = c.get('services').livekitWebhooks;
    if (!verifier) throw new AppError('not-found', 'LiveKit is not configured on this server.');
    const authorization = c.req.header('authorization');
    if (!authorization) throw new AppError('unauthenticated', 'The webhook carries no Authorization header.');
    // The raw text, exactly as sent: the signature covers these bytes, not a re-serialised JSON.
    const check = await verifier.verify(await c.req.text(), authorization);
    if (!check.ok) throw new AppError('forbidden', 'The webhook signature does not match its body.');
    c.set('livekitEvent', check.event);
    await next();
  };
}

/** The OpenAPI route of LiveKit's webhook at `path`, with {@link verifyLivekitRequest} in front of the handler. */
export function livekitWebhookRoute<P extends string>(path: P) {
  return createRoute({
    method: 'post',
    path,
    tags: ['webhooks'],
    summary: "LiveKit's room and participant events",
    description:
      'Signed by LiveKit (a JWT in `Authorization` whose `sha256` claim covers the raw body); each event is stored once.',
    middleware: verifyLivekitRequest(),
    responses: {
      200: { description: '`{ received: true, duplicate }`' },
      ...errorResponses(400, 401, 403, 404),
    },
  });
}
