import type { SendSmsRequest, SendSmsResult, SmsDeliveryState, SmsLookupResult, SmsSender } from '@affection/core';
import twilio from 'twilio';
import { smsFailureFromTwilioCode, smsFailureFromTwilioError } from './twilio-errors.ts';

/** Options for {@link TwilioSmsSender}. Give exactly one of `messagingServiceSid` and `from`. */
export interface TwilioSmsSenderOptions {
  /** `AC…` */
  accountSid: string;
  authToken: string;
  /** `MG…`: send through a Messaging Service (sender pool, per-country senders). */
  messagingServiceSid?: string;
  /** An E.164 number or alphanumeric sender ID, when not using a Messaging Service. */
  from?: string;
  /** Milliseconds before a request counts as timed out. Default 15 000. */
  timeoutMs?: number;
  /**
   * Where the Twilio REST API lives. Default `https://api.twilio.com`. Tests point it at a
   * local fake; the SDK's own `edge`/`region` options cannot.
   */
  apiBaseUrl?: string;
  /**
   * Query parameter added to the status callback URL carrying the request's idempotency key.
   * Twilio's Messages API takes no idempotency key, so this is how a callback for a send that
   * timed out still finds its outbox row. Default `idempotencyKey`.
   */
  callbackKeyParam?: string;
}

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** A request client that sends the SDK's requests to another base URL, keeping path and query. */
class RebasedRequestClient extends twilio.RequestClient {
  readonly #base: URL;

  constructor(base: string, options: { timeout: number }) {
    super({ timeout: options.timeout, autoRetry: false });
    this.#base = new URL(base);
  }

  override request<TData>(opts: RequestOptions & { data?: TData }) {
    const original = new URL(opts.uri);
    const target = new URL(this.#base);
    target.pathname = `${this.#base.pathname.replace(/\/$/, '')}${original.pathname}`;
    target.search = original.search;
    return super.request<TData>({ ...opts, uri: target.href });
  }
}

const STATES: Readonly<Record<string, SmsDeliveryState>> = {
  accepted: 'queued',
  scheduled: 'queued',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  partially_delivered: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'canceled',
};

/**
 * Our delivery state for a Twilio message status (`queued`, `sent`, `delivered`, …), or
 * `undefined` for a status an outbound message never has.
 */
export function deliveryStateFromTwilioStatus(status: string): SmsDeliveryState | undefined {
  return STATES[status];
}

const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;

/**
 * Sends SMS through Twilio's Messages API with the official SDK. Every failure is a value
 * ({@link SmsSender}); no Twilio type leaves this class. Throws at construction when credentials
 * or the sender are missing.
 *
 * @example
 * const sms = new TwilioSmsSender({ accountSid, authToken, messagingServiceSid: 'MG…' });
 * await sms.send({ to: '+8613800138000', body, idempotencyKey: 'sms_1', statusCallbackUrl });
 */
export class TwilioSmsSender implements SmsSender {
  readonly #client: ReturnType<typeof twilio>;
  readonly #sender: { messagingServiceSid: string } | { from: string };
  readonly #callbackKeyParam: string;

  constructor(options: TwilioSmsSenderOptions) {
    const problems: string[] = [];
    if (!options.accountSid) problems.push('accountSid is required');
    else if (!options.accountSid.startsWith('AC')) problems.push('accountSid must start with AC');
    if (!options.authToken) problems.push('authToken is required');
    if (!options.messagingServiceSid === !options.from) {
      problems.push('give exactly one of messagingServiceSid and from');
    } else if (options.messagingServiceSid && !options.messagingServiceSid.startsWith('MG')) {
      problems.push('messagingServiceSid must start with MG');
    }
    if (problems.length > 0) throw new Error(`TwilioSmsSender: ${problems.join('; ')}`);
    const timeout = options.timeoutMs ?? 15_000;
    const httpClient = new RebasedRequestClient(options.apiBaseUrl ?? 'https://api.twilio.com', { timeout });
    this.#client = twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false, timeout });
    this.#sender = options.messagingServiceSid
      ? { messagingServiceSid: options.messagingServiceSid }
      : { from: options.from as string };
    this.#callbackKeyParam = options.callbackKeyParam ?? 'idempotencyKey';
  }

  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    let statusCallback: string | undefined;
    if (request.statusCallbackUrl) {
      if (!URL.canParse(request.statusCallbackUrl)) {
        return {
          ok: false,
          failure: {
            kind: 'permanent',
            reason: 'unknown',
            message: 'The status callback URL is not a URL',
            isAmbiguous: false,
          },
        };
      }
      const url = new URL(request.statusCallbackUrl);
      url.searchParams.set(this.#callbackKeyParam, request.idempotencyKey);
      statusCallback = url.href;
    }
    try {
      const message = await this.#client.messages.create({
        to: request.to,
        body: request.body,
        ...this.#sender,
        ...(statusCallback ? { statusCallback } : {}),
      });
      return { ok: true, providerId: message.sid };
    } catch (error) {
      return { ok: false, failure: smsFailureFromTwilioError(error) };
    }
  }

  async lookup(providerId: string): Promise<SmsLookupResult> {
    if (!MESSAGE_SID.test(providerId)) {
      return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: 'Not a Twilio message SID' } };
    }
    try {
      const message = await this.#client.messages(providerId).fetch();
      const state = deliveryStateFromTwilioStatus(message.status);
      if (!state) {
        return {
          ok: false,
          failure: { kind: 'permanent', reason: 'unknown', message: `Twilio status ${message.status} is not outbound` },
        };
      }
      const hasFailed = state === 'failed' || state === 'undelivered';
      return {
        ok: true,
        status: {
          providerId: message.sid,
          state,
          ...(hasFailed
            ? {
                failure: smsFailureFromTwilioCode(message.errorCode ?? undefined, {
                  message: message.errorMessage ?? undefined,
                }),
              }
            : {}),
        },
      };
    } catch (error) {
      const failure = smsFailureFromTwilioError(error);
      if (failure.providerCode === 20404 || (error as { status?: unknown }).status === 404) {
        return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: failure.message } };
      }
      return { ok: false, failure: { kind: failure.kind, reason: failure.reason, message: failure.message } };
    }
  }
}
