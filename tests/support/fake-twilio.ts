import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** Options for {@link startFakeTwilio}. */
export interface FakeTwilioOptions {
  /** Default a random `AC…`. */
  accountSid?: string;
  /** Default a random 32-hex token. */
  authToken?: string;
  /** Seed of the PRNG used by {@link FakeTwilio.failRandomly}. Default 1. */
  seed?: number;
}

/** One request the fake received, as it arrived. */
export interface FakeTwilioRequest {
  method: string;
  /** Path with query, e.g. `/2010-04-01/Accounts/AC…/Messages.json`. */
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Decoded form fields of the body (empty for GET). */
  form: Record<string, string>;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** The status the fake answered (or will answer, for a delayed response). */
  responseStatus: number;
}

/** A message the fake accepted. */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

/** A status callback the fake posted, and how the receiver answered. */
export interface FakeTwilioCallback {
  url: string;
  params: Record<string, string>;
  signature: string;
  responseStatus: number;
}

/** Extra details of an injected failure. */
export interface FakeFailureOptions {
  /** Sends `Retry-After: <seconds>` with the failure. */
  retryAfterSeconds?: number;
}

/** How a message's delivery ends in {@link FakeTwilio.sendStatusCallbacks}. */
export type FakeDeliveryOutcome =
  | { final: 'delivered' }
  | { final: 'failed' | 'undelivered'; errorCode: number; errorMessage?: string };

/** A fake of Twilio's Messages API on 127.0.0.1, answering like Twilio. */
export interface FakeTwilio {
  /** Base URL to give the SDK, e.g. `http://127.0.0.1:40123`. */
  url: string;
  accountSid: string;
  authToken: string;
  /** Every API request, in arrival order. */
  requests: FakeTwilioRequest[];
  /** Messages created, by SID (also those whose response was delayed or failed after creation). */
  messages: Map<string, FakeTwilioMessage>;
  /** Every status callback posted. */
  callbacks: FakeTwilioCallback[];
  /**
   * The next `count` API requests answer `status` (429 → Twilio 20429, 5xx → 20500/20503) without
   * effect, with a `Retry-After` header when `retryAfterSeconds` is given.
   */
  failNext(count: number, status: 429 | 500 | 502 | 503, options?: FakeFailureOptions): void;
  /**
   * From now on, each API request answers `status` (default 500) without effect with this probability
   * (seeded PRNG); 0 turns it off.
   */
  failRandomly(probability: number, options?: FakeFailureOptions & { status?: 500 | 503 }): void;
  /**
   * The next `count` API requests are processed (a message is created) but answered only after
   * `ms` milliseconds: set it longer than the client's timeout to make an ambiguous timeout.
   */
  delayNext(count: number, ms: number): void;
  /**
   * From now on, each message creation is answered only after `ms` milliseconds with this
   * probability (seeded PRNG; the message is created at once); 0 turns it off.
   */
  delayRandomly(probability: number, ms: number): void;
  /** Resolves once at least `count` messages have been created; rejects after `timeoutMs` (default 60 s). */
  waitForMessages(count: number, options?: { timeoutMs?: number }): Promise<void>;
  /** Sending to `to` fails with this Twilio error code (HTTP 400 unless given). */
  failForNumber(to: string, code: number, options?: { status?: number; message?: string }): void;
  /** Removes every injected failure. */
  resetFailures(): void;
  /**
   * Posts the status callbacks of a message to its StatusCallback URL, signed like Twilio
   * (`X-Twilio-Signature`): queued → sent → delivered, or queued → sent → failed/undelivered with
   * an error code. Each is awaited before the next; the stored message follows along.
   */
  sendStatusCallbacks(sid: string, outcome: FakeDeliveryOutcome): Promise<FakeTwilioCallback[]>;
  close(): Promise<void>;
}

type NextRule =
  | { kind: 'status'; status: 429 | 500 | 502 | 503; remaining: number; retryAfterSeconds: number | undefined }
  | { kind: 'delay'; ms: number; remaining: number };

/** The fake's answer to one API request. */
interface FakeAnswer {
  status: number;
  json: unknown;
  delayMs?: number;
  retryAfterSeconds?: number;
}

const ERROR_TEXT: Record<number, string> = {
  20003: 'Authenticate',
  20404: 'The requested resource was not found',
  20429: 'Too Many Requests',
  20500: 'An internal server error has occurred',
  20503: 'Service unavailable',
  21211: "The 'To' number is not a valid phone number.",
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number.",
  21602: 'Message body is required.',
  21604: "A 'To' phone number is required.",
  21606:
    "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination/account.",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable via SMS.",
  21614: "'To' number is not a valid mobile number",
  30003: 'Unreachable destination handset',
  30004: 'Message blocked',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
};

/** A small seeded PRNG (mulberry32), so injected random failures repeat run to run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Posts a form and resolves with the response status. */
function postForm(url: string, params: Record<string, string>, headers: Record<string, string>): Promise<number> {
  const body = new URLSearchParams(params).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'TwilioProxy/1.1',
          ...headers,
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Starts a fake Twilio REST API on a free loopback port:
 * `POST /2010-04-01/Accounts/{Sid}/Messages.json`, `GET …/Messages/{MessageSid}.json` and the
 * list `GET …/Messages.json` (filters `To`, `From`, `DateSent`, `DateSent<`, `DateSent>`; newest first),
 * with Basic auth (account SID + auth token), Twilio-shaped JSON and error bodies, failure
 * injection, and signed status callbacks.
 *
 * @example
 * const fake = await startFakeTwilio();
 * const sms = new TwilioSmsSender({ accountSid: fake.accountSid, authToken: fake.authToken, from: '+15005550006', apiBaseUrl: fake.url });
 */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const random = seededRandom(options.seed ?? 1);
  const requests: FakeTwilioRequest[] = [];
  const messages = new Map<string, FakeTwilioMessage>();
  const callbacks: FakeTwilioCallback[] = [];
  let nextRules: NextRule[] = [];
  let randomFailure: { probability: number; status: 500 | 503; retryAfterSeconds: number | undefined } = {
    probability: 0,
    status: 500,
    retryAfterSeconds: undefined,
  };
  let randomDelay = { probability: 0, ms: 0 };
  const messageWaiters = new Set<{ count: number; resolve: () => void }>();
  let numberFailures = new Map<string, { code: number; status: number; message: string | undefined }>();
  const pendingTimers = new Set<NodeJS.Timeout>();
  const base = `/2010-04-01/Accounts/${accountSid}`;
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const errorBody = (code: number, status: number, message?: string) => ({
    code,
    message: message ?? ERROR_TEXT[code] ?? 'Error',
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });

  const messageJson = (message: FakeTwilioMessage) => ({
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.body,
    date_created: message.dateCreated.toUTCString(),
    date_sent: message.status === 'sent' || message.status === 'delivered' ? message.dateUpdated.toUTCString() : null,
    date_updated: message.dateUpdated.toUTCString(),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: message.errorMessage,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${base}/Messages/${message.sid}/Media.json` },
    to: message.to,
    uri: `${base}/Messages/${message.sid}.json`,
  });

  /** The messages Twilio's list would return for these query parameters, newest first. */
  function listMessages(query: URLSearchParams): FakeTwilioMessage[] {
    const to = query.get('To');
    const from = query.get('From');
    const sentOn = query.get('DateSent');
    const sentBefore = query.get('DateSent<');
    const sentAfter = query.get('DateSent>');
    const dateSentOf = (m: FakeTwilioMessage) =>
      m.status === 'sent' || m.status === 'delivered' ? m.dateUpdated.getTime() : null;
    const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return [...messages.values()]
      .filter((m) => (to ? m.to === to : true) && (from ? m.from === from : true))
      .filter((m) => {
        if (!sentOn && !sentBefore && !sentAfter) return true;
        // Like Twilio, a message that has not been sent yet has no sent date and matches no date filter.
        const sent = dateSentOf(m);
        if (sent === null) return false;
        if (sentOn && dayOf(sent) !== sentOn.slice(0, 10)) return false;
        if (sentAfter && sent < Date.parse(sentAfter)) return false;
        if (sentBefore && sent > Date.parse(sentBefore)) return false;
        return true;
      })
      .sort((a, b) => b.dateCreated.getTime() - a.dateCreated.getTime());
  }

  /** Decides the answer to one API request; `create` runs for a valid POST. */
  function handle(method: string, path: string, form: Record<string, string>, auth: string | undefined): FakeAnswer {
    if (auth !== expectedAuth) return { status: 401, json: errorBody(20003, 401) };
    const rule = nextRules[0];
    if (rule) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) nextRules = nextRules.slice(1);
    }
    if (rule?.kind === 'status') {
      const code = rule.status === 429 ? 20429 : rule.status === 503 ? 20503 : 20500;
      return { status: rule.status, json: errorBody(code, rule.status), retryAfterSeconds: rule.retryAfterSeconds };
    }
    let delayMs = rule?.kind === 'delay' ? rule.ms : 0;
    if (randomFailure.probability > 0 && random() < randomFailure.probability) {
      const { status, retryAfterSeconds } = randomFailure;
      return { status, json: errorBody(status === 503 ? 20503 : 20500, status), delayMs, retryAfterSeconds };
    }
    const [pathname = '', search = ''] = path.split('?');
    if (method === 'POST' && pathname === `${base}/Messages.json`) {
      if (!form.To) return { status: 400, json: errorBody(21604, 400), delayMs };
      if (!form.Body) return { status: 400, json: errorBody(21602, 400), delayMs };
      if (!form.From && !form.MessagingServiceSid) return { status: 400, json: errorBody(21606, 400), delayMs };
      const injected = numberFailures.get(form.To);
      if (injected)
        return { status: injected.status, json: errorBody(injected.code, injected.status, injected.message), delayMs };
      if (!/^\+[1-9]\d{6,14}$/.test(form.To)) return { status: 400, json: errorBody(21211, 400), delayMs };
      if (randomDelay.probability > 0 && random() < randomDelay.probability) delayMs += randomDelay.ms;
      const now = new Date();
      const message: FakeTwilioMessage = {
        sid: `SM${randomBytes(16).toString('hex')}`,
        to: form.To,
        from: form.From ?? null,
        messagingServiceSid: form.MessagingServiceSid ?? null,
        body: form.Body,
        statusCallback: form.StatusCallback ?? null,
        status: form.MessagingServiceSid ? 'accepted' : 'queued',
        errorCode: null,
        errorMessage: null,
        dateCreated: now,
        dateUpdated: now,
      };
      messages.set(message.sid, message);
      for (const waiter of messageWaiters) {
        if (messages.size >= waiter.count) {
          messageWaiters.delete(waiter);
          waiter.resolve();
        }
      }
      return { status: 201, json: messageJson(message), delayMs };
    }
    if (method === 'GET' && pathname === `${base}/Messages.json`) {
      const query = new URLSearchParams(search);
      const pageSize = Math.min(1000, Math.max(1, Number(query.get('PageSize') ?? 50) || 50));
      const page = listMessages(query).slice(0, pageSize);
      const uri = `${pathname}?${search}`;
      return {
        status: 200,
        json: {
          messages: page.map(messageJson),
          end: Math.max(0, page.length - 1),
          first_page_uri: uri,
          next_page_uri: null,
          page: 0,
          page_size: pageSize,
          previous_page_uri: null,
          start: 0,
          uri,
        },
        delayMs,
      };
    }
    const fetchMatch = method === 'GET' ? new RegExp(`^${base}/Messages/([A-Za-z0-9]+)\\.json$`).exec(pathname) : null;
    if (fetchMatch) {
      const message = messages.get(fetchMatch[1] ?? '');
      if (!message) {
        return {
          status: 404,
          json: errorBody(20404, 404, `The requested resource ${pathname} was not found`),
          delayMs,
        };
      }
      return { status: 200, json: messageJson(message), delayMs };
    }
    return { status: 404, json: errorBody(20404, 404, `The requested resource ${pathname} was not found`), delayMs };
  }

  const server = http.createServer(async (request, response) => {
    const receivedAt = Date.now();
    const raw = await readBody(request);
    const method = request.method ?? 'GET';
    const path = request.url ?? '/';
    const form = Object.fromEntries(new URLSearchParams(raw));
    const answer = handle(method, path, form, request.headers.authorization);
    requests.push({ method, path, headers: request.headers, form, receivedAt, responseStatus: answer.status });
    const send = () => {
      if (response.destroyed) return;
      response.writeHead(answer.status, {
        'Content-Type': 'application/json',
        ...(answer.retryAfterSeconds !== undefined ? { 'Retry-After': String(answer.retryAfterSeconds) } : {}),
      });
      response.end(JSON.stringify(answer.json));
    };
    const delayMs = answer.delayMs ?? 0;
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        send();
      }, delayMs);
      pendingTimers.add(timer);
    } else {
      send();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    requests,
    messages,
    callbacks,
    failNext(count, status, failOptions = {}) {
      nextRules.push({ kind: 'status', status, remaining: count, retryAfterSeconds: failOptions.retryAfterSeconds });
    },
    failRandomly(probability, failOptions = {}) {
      randomFailure = {
        probability,
        status: failOptions.status ?? 500,
        retryAfterSeconds: failOptions.retryAfterSeconds,
      };
    },
    delayNext(count, ms) {
      nextRules.push({ kind: 'delay', ms, remaining: count });
    },
    delayRandomly(probability, ms) {
      randomDelay = { probability, ms };
    },
    waitForMessages(count, waitOptions = {}) {
      if (messages.size >= count) return Promise.resolve();
      const timeoutMs = waitOptions.timeoutMs ?? 60_000;
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          messageWaiters.delete(waiter);
          reject(new Error(`Fake Twilio: ${messages.size} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        messageWaiters.add(waiter);
      });
    },
    failForNumber(to, code, failOptions = {}) {
      numberFailures.set(to, { code, status: failOptions.status ?? 400, message: failOptions.message });
    },
    resetFailures() {
      nextRules = [];
      randomFailure = { probability: 0, status: 500, retryAfterSeconds: undefined };
      randomDelay = { probability: 0, ms: 0 };
      numberFailures = new Map();
    },
    async sendStatusCallbacks(sid, outcome) {
      const message = messages.get(sid);
      if (!message) throw new Error(`Fake Twilio: no message ${sid}`);
      if (!message.statusCallback) throw new Error(`Fake Twilio: message ${sid} has no StatusCallback`);
      const steps: { status: string; errorCode?: number; errorMessage?: string }[] = [
        { status: 'queued' },
        { status: 'sent' },
        outcome.final === 'delivered'
          ? { status: 'delivered' }
          : {
              status: outcome.final,
              errorCode: outcome.errorCode,
              errorMessage: outcome.errorMessage ?? ERROR_TEXT[outcome.errorCode] ?? 'Delivery failed',
            },
      ];
      const posted: FakeTwilioCallback[] = [];
      for (const step of steps) {
        message.status = step.status;
        message.dateUpdated = new Date();
        message.errorCode = step.errorCode ?? null;
        message.errorMessage = step.errorMessage ?? null;
        const params: Record<string, string> = {
          AccountSid: accountSid,
          ApiVersion: '2010-04-01',
          From: message.from ?? '',
          MessageSid: sid,
          MessageStatus: step.status,
          SmsSid: sid,
          SmsStatus: step.status,
          To: message.to,
          ...(message.messagingServiceSid ? { MessagingServiceSid: message.messagingServiceSid } : {}),
          ...(step.errorCode !== undefined ? { ErrorCode: String(step.errorCode) } : {}),
        };
        const signature = twilio.getExpectedTwilioSignature(authToken, message.statusCallback, params);
        const responseStatus = await postForm(message.statusCallback, params, { 'X-Twilio-Signature': signature });
        const callback = { url: message.statusCallback, params, signature, responseStatus };
        callbacks.push(callback);
        posted.push(callback);
      }
      return posted;
    },
    async close() {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
