import { AppError } from '@affection/core';
import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { errorResponses } from '../routes/common-schemas.ts';
import type { AppEnv } from '../services.ts';

/** The form fields of a Twilio webhook whose signature checked out. */
export type TwilioParams = Readonly<Record<string, string>>;

/** Hono's typing of a Twilio webhook's context: {@link verifyTwilioRequest} puts the fields in it. */
export interface TwilioWebhookEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { twilioParams: TwilioParams };
}

/** The form fields as the signature covers them: a field sent twice keeps every value. */
function formFieldsOf(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return fields;
}

/**
 * Checks `X-Twilio-Signature` before anything in the request is used: the signature is an HMAC of the
 * URL Twilio posted to (our `PUBLIC_URL` + path + query, exactly as configured at Twilio) and the
 * form fields, keyed by the account's auth token. 404 when Twilio is not configured, 403 when the
 * signature is missing or wrong; otherwise the fields are in `c.var.twilioParams`.
 *
 * @example addRoute(app, 'webhook', twilioWebhookRoute('/webhooks/twilio/sms', 'Inbound SMS'), handleInboundSms)
 */
export function verifyTwilioRequest(): MiddlewareHandler<TwilioWebhookEnv> {
  return async function verifyTwilioRequestMiddleware(c, next) {
    const { twilioWebhooks, settings } = c.get('services');
    if (!twilioWebhooks) throw new AppError('not-found', 'Twilio is not configured on this server.');
    const signature = c.req.header('x-twilio-signature');
    if (!signature) throw new AppError('forbidden', 'The request carries no Twilio signature.');
    const url = `${settings.publicUrl}${c.req.path}${new URL(c.req.url).search}`;
    const fields = formFieldsOf(await c.req.text());
    const check = twilioWebhooks.verify({
      url,
      params: fields,
      signature,
      signatureSettings: c.req.header('x-twilio-webhooks-signature-settings'),
    });
    if (!check.ok) throw new AppError('forbidden', 'The Twilio signature does not match this request.');
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(fields)) params[name] = Array.isArray(value) ? (value[0] ?? '') : value;
    c.set('twilioParams', params);
    await next();
  };
}

/**
 * The OpenAPI route of a Twilio webhook at `path`, with {@link verifyTwilioRequest} in front of the
 * handler; the handler reads the checked form fields from `c.var.twilioParams`.
 */
export function twilioWebhookRoute<P extends string>(path: P, summary: string) {
  return createRoute({
    method: 'post',
    path,
    tags: ['webhooks'],
    summary,
    description:
      'Signed by Twilio (`X-Twilio-Signature` over our public URL and the form fields); a form body, not JSON.',
    middleware: verifyTwilioRequest(),
    responses: {
      200: { description: 'TwiML (`text/xml`) or an empty answer' },
      ...errorResponses(400, 403, 404),
    },
  });
}

/** The URL Twilio is told to use for a webhook path, e.g. the voice menu's `action`. */
export function publicUrlOf(c: Context<AppEnv>, path: string): string {
  return `${c.get('services').settings.publicUrl}${path}`;
}

/** Answers with TwiML (`text/xml`). */
export function twimlResponse(c: Context, twiml: { toString(): string }): Response {
  return c.body(twiml.toString(), 200, { 'Content-Type': 'text/xml; charset=utf-8' });
}
