import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import type https from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type {
  FindSentSmsRequest,
  FindSentSmsResult,
  SendSmsRequest,
  SendSmsResult,
  SmsDeliveryState,
  SmsFailure,
  SmsLookupResult,
  SmsSender,
} from '@affection/core';
import type twilio from 'twilio';
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
  /** How the API's host name is resolved. Default the system's resolver. */
  lookup?: LookupFunction;
}

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** What one call of ours learnt from the HTTP answers the SDK hides (it keeps no headers in its errors). */
interface ResponseNotes {
  /** The last error answer's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** The send's {@link SendSmsRequest.notAfter}, in milliseconds since the epoch. */
  notAfter?: number;
}

/** Thrown (or given to the HTTP client as the connection's error) instead of sending after `notAfter`. */
class SendWindowClosed extends Error {
  constructor() {
    super('Not sent: the time for this send had passed before the request left');
  }
}

/** Whether `error`, or an error it wraps (the HTTP client wraps a connection's error), is {@link SendWindowClosed}. */
function isSendWindowClosed(error: unknown): boolean {
  for (let at = error, depth = 0; at instanceof Error && depth < 4; at = at.cause, depth += 1)
    if (at instanceof SendWindowClosed) return true;
  return false;
}

/**
 * Makes `agent` give a send its new connection only once it is open (TCP, and TLS for https), and only while the
 * send's `notAfter` has not passed. The request is written to it at once (within the same turn of the event loop), so
 * a process that stalled while the connection was being made (a slow DNS answer or handshake, a starved process) does
 * not send after its window, when its claim may have been taken over. A kept-alive connection is written to in the
 * same turn as the request client's own check.
 */
function fenceConnections<A extends http.Agent>(agent: A, lookup: LookupFunction | undefined): A {
  const open = agent.createConnection.bind(agent) as (options: http.ClientRequestArgs) => Socket;
  agent.createConnection = (options, callback) => {
    const notAfter = responseNotes.getStore()?.notAfter;
    const socket = open(lookup ? { ...options, lookup } : options);
    if (notAfter === undefined || !callback) return socket;
    const onError = (error: Error) => callback(error, socket);
    socket.once('error', onError);
    socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => {
      socket.off('error', onError);
      if (Date.now() <= notAfter) return callback(null, socket);
      socket.destroy();
      callback(new SendWindowClosed(), socket);
    });
    return undefined;
  };
  return agent;
}

const responseNotes = new AsyncLocalStorage<ResponseNotes>();

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
function parseRetryAfter(value: unknown, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A request client that sends the SDK's requests to another base URL, keeping path and query, and
 * notes an error answer's `Retry-After` for the call that made it. It refuses to send after the send's
 * `notAfter`: checked when the request is made, and again when a new connection for it is ready, right before
 * the request is written. A class made from the SDK's own request client once the SDK is loaded.
 */
const rebasedRequestClientOf = (RequestClient: typeof twilio.RequestClient) =>
  class RebasedRequestClient extends RequestClient {
    readonly #base: URL;

    constructor(base: string, options: { timeout: number; lookup?: LookupFunction }) {
      super({ timeout: options.timeout, autoRetry: false });
      this.#base = new URL(base);
      // The last check before a send's request is written: when its connection is ready.
      this.axios.defaults.httpsAgent = fenceConnections(this.axios.defaults.httpsAgent as https.Agent, options.lookup);
      this.axios.defaults.httpAgent = fenceConnections(new http.Agent({ keepAlive: true }), options.lookup);
    }

    override async request<TData>(opts: RequestOptions & { data?: TData }) {
      const original = new URL(opts.uri);
      const target = new URL(this.#base);
      target.pathname = `${this.#base.pathname.replace(/\/$/, '')}${original.pathname}`;
      target.search = original.search;
      const notes = responseNotes.getStore();
      // A sender that stalled past its window must not send; checked again when a new connection is ready.
      if (notes?.notAfter !== undefined && Date.now() > notes.notAfter) throw new SendWindowClosed();
      const response = await super.request<TData>({ ...opts, uri: target.href });
      if (notes && response.statusCode >= 400) {
        const retryAfterMs = parseRetryAfter(
          (response.headers as Record<string, unknown>)?.['retry-after'],
          Date.now(),
        );
        if (retryAfterMs !== undefined) notes.retryAfterMs = retryAfterMs;
      }
      return response;
    }
  };

/**
 * Adds what the answer's headers said to a mapped failure: the `Retry-After` delay, and that a 503
 * carrying one refused the request before handling it (RFC 9110 §15.6.4: "unable to handle the
 * request"), so the message did not go out and may be sent again without checking first.
 */
function withResponseNotes(failure: SmsFailure, error: unknown, notes: ResponseNotes): SmsFailure {
  if (notes.retryAfterMs === undefined) return failure;
  const status = (error as { status?: unknown } | null)?.status;
  return { ...failure, retryAfterMs: notes.retryAfterMs, ...(status === 503 ? { isAmbiguous: false } : {}) };
}

/** How far before `since` a message may be dated and still match: clocks differ. Default 2 minutes. */
const FIND_SENT_CLOCK_MARGIN_MS = 2 * 60_000;

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
  /** The SDK's client, made on first use: the SDK (some 30 MB with what it loads) is loaded only then. */
  readonly #makeClient: () => Promise<ReturnType<typeof twilio>>;
  #client: Promise<ReturnType<typeof twilio>> | undefined;
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
    this.#makeClient = async () => {
      const { default: sdk } = await import('twilio');
      const RebasedRequestClient = rebasedRequestClientOf(sdk.RequestClient);
      const httpClient = new RebasedRequestClient(options.apiBaseUrl ?? 'https://api.twilio.com', {
        timeout,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
      return sdk(options.accountSid, options.authToken, { httpClient, autoRetry: false, timeout });
    };
    this.#sender = options.messagingServiceSid
      ? { messagingServiceSid: options.messagingServiceSid }
      : { from: options.from as string };
    this.#callbackKeyParam = options.callbackKeyParam ?? 'idempotencyKey';
  }

  /** The SDK's client, loading the SDK on the first call (a failed load is tried again on the next). */
  #sdkClient(): Promise<ReturnType<typeof twilio>> {
    this.#client ??= this.#makeClient().catch((error: unknown) => {
      this.#client = undefined;
      throw error;
    });
    return this.#client;
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
    const client = await this.#sdkClient();
    const notes: ResponseNotes = request.notAfter ? { notAfter: request.notAfter.getTime() } : {};
    try {
      const message = await responseNotes.run(notes, () =>
        client.messages.create({
          to: request.to,
          body: request.body,
          ...this.#sender,
          ...(statusCallback ? { statusCallback } : {}),
        }),
      );
      return { ok: true, providerId: message.sid };
    } catch (error) {
      if (isSendWindowClosed(error)) {
        return {
          ok: false,
          failure: {
            kind: 'retryable',
            reason: 'timeout',
            message: new SendWindowClosed().message,
            isAmbiguous: false,
          },
        };
      }
      return { ok: false, failure: withResponseNotes(smsFailureFromTwilioError(error), error, notes) };
    }
  }

  /**
   * Looks for a message to `to` with this exact body, created since `since` (less a clock margin),
   * through Twilio's Messages list: first `To` with `DateSent>=since`, then — because a message still
   * queued at Twilio has no sent date yet — the newest page of messages to `To`. Twilio keeps no
   * idempotency key, so `idempotencyKey` is not used; the body and the time tell messages apart.
   */
  async findSent(request: FindSentSmsRequest): Promise<FindSentSmsResult> {
    const earliest = request.since.getTime() - FIND_SENT_CLOCK_MARGIN_MS;
    const matches = (message: { body: string; dateCreated: Date | null | undefined }) =>
      message.body === request.body && (message.dateCreated ? message.dateCreated.getTime() >= earliest : true);
    const client = await this.#sdkClient();
    try {
      const sentSince = await client.messages.page({
        to: request.to,
        dateSentAfter: new Date(earliest),
        pageSize: 100,
      });
      const sent = sentSince.instances.find(matches);
      if (sent) return { ok: true, providerId: sent.sid };
      const newest = await client.messages.page({ to: request.to, pageSize: 50 });
      return { ok: true, providerId: newest.instances.find(matches)?.sid ?? null };
    } catch (error) {
      const failure = smsFailureFromTwilioError(error);
      return { ok: false, failure: { kind: failure.kind, reason: failure.reason, message: failure.message } };
    }
  }

  async lookup(providerId: string): Promise<SmsLookupResult> {
    if (!MESSAGE_SID.test(providerId)) {
      return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: 'Not a Twilio message SID' } };
    }
    const client = await this.#sdkClient();
    try {
      const message = await client.messages(providerId).fetch();
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
