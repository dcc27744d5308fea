import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake of Alibaba Cloud's RPC API on 127.0.0.1 (the API behind `@alicloud/dysmsapi20170525` and
 * `@alicloud/openapi-client`). Every request's signature is checked the way Alibaba Cloud documents it (V3,
 * `ACS3-HMAC-SHA256`: a canonical request of method, path, sorted query, the signed headers and the payload's
 * SHA-256, signed with the AccessKey secret), computed here independently of the SDK; a bad signature is refused
 * with `SignatureDoesNotMatch` before any handler runs. Actions are answered by a handler map, so another product
 * (the voice API's `SingleCallByTts`) plugs its own handlers into the same server.
 */

/** One request the fake received and whose signature it checked. */
export interface FakeAliyunRequest {
  /** The RPC action, from `x-acs-action` (or the `Action` query parameter). */
  action: string;
  /** The API version, from `x-acs-version`. */
  version: string;
  /** Query and form parameters merged (form wins), as decoded strings. */
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** `Date.now()` when the request arrived. */
  receivedAt: number;
  /** Whether its signature matched. */
  isSigned: boolean;
}

/** What a handler answers: an HTTP status and a JSON body, optionally late (a timeout after acceptance). */
export interface FakeAliyunAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Answer after this long (the request's effect has already happened). */
  delayMs?: number;
}

/** Answers one action. Throwing answers 500 `InternalError`. */
export type FakeAliyunHandler = (request: FakeAliyunRequest) => FakeAliyunAnswer | Promise<FakeAliyunAnswer>;

/** Options for {@link startFakeAliyun}. */
export interface FakeAliyunOptions {
  /** Default a random `LTAI…`. */
  accessKeyId?: string;
  /** Default a random 30-character secret. */
  accessKeySecret?: string;
  /** The actions answered, by name (`SendSms`, `QuerySendDetails`, `SingleCallByTts`, …). */
  handlers?: Record<string, FakeAliyunHandler>;
}

/** A running fake. */
export interface FakeAliyun {
  /** Where to point the SDK: `127.0.0.1:<port>` as `endpoint`, with `protocol: 'http'`. */
  endpoint: string;
  /** The same as a URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  accessKeyId: string;
  accessKeySecret: string;
  /** Every request, in arrival order (also those refused for their signature). */
  requests: FakeAliyunRequest[];
  /** Adds or replaces the handler of an action. */
  handle(action: string, handler: FakeAliyunHandler): void;
  close(): Promise<void>;
}

/** A request id like the provider's. */
export function fakeAliyunRequestId(): string {
  const hex = randomBytes(16).toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 3986 encoding as the signature uses it: unreserved characters stay, everything else is `%XX`. */
function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/**
 * Checks a V3 (`ACS3-HMAC-SHA256`) signature as documented: `Authorization: ACS3-HMAC-SHA256
 * Credential=<id>,SignedHeaders=<h1;h2>,Signature=<hex>`, where the signature is HMAC-SHA256 with the secret of
 * `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request, and the canonical request is the method, the
 * path, the query sorted by encoded name, each signed header `name:value` (lowercased, trimmed, sorted), the signed
 * header names, and the hex SHA-256 of the body (also sent as `x-acs-content-sha256`). The signed headers must
 * include `host` and every `x-acs-*` header sent.
 */
export function verifyAcs3Signature(
  request: { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; body: Buffer },
  credentials: { accessKeyId: string; accessKeySecret: string },
): { ok: true } | { ok: false; reason: string } {
  const authorization = headerValue(request.headers.authorization);
  const match = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]*),Signature=([0-9a-f]{64})$/.exec(
    authorization,
  );
  if (!match) return { ok: false, reason: 'missing or malformed Authorization' };
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  if (credential !== credentials.accessKeyId) return { ok: false, reason: 'unknown AccessKeyId' };
  const payloadHash = createHash('sha256').update(request.body).digest('hex');
  if (headerValue(request.headers['x-acs-content-sha256']) !== payloadHash)
    return { ok: false, reason: 'x-acs-content-sha256 does not match the body' };
  const signedHeaders = signedHeaderList.split(';');
  const required = Object.keys(request.headers).filter((name) => name.startsWith('x-acs-') || name === 'host');
  if (required.some((name) => !signedHeaders.includes(name))) return { ok: false, reason: 'a header is not signed' };
  const canonicalQuery = [...request.query.entries()]
    .map(([key, value]) => [percentEncode(key), percentEncode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
  const canonicalHeaders = [...signedHeaders]
    .sort()
    .map((name) => `${name}:${headerValue(request.headers[name]).trim()}\n`)
    .join('');
  const canonicalRequest = [
    request.method,
    request.path,
    canonicalQuery,
    canonicalHeaders,
    [...signedHeaders].sort().join(';'),
    payloadHash,
  ].join('\n');
  const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
  const expected = createHmac('sha256', credentials.accessKeySecret).update(stringToSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Starts the fake on a free loopback port.
 *
 * @example
 * const fake = await startFakeAliyun({ handlers: smsHandlers.handlers });
 * const client = new Dysmsapi({ accessKeyId: fake.accessKeyId, accessKeySecret: fake.accessKeySecret, endpoint: fake.endpoint, protocol: 'http' });
 */
export async function startFakeAliyun(options: FakeAliyunOptions = {}): Promise<FakeAliyun> {
  const accessKeyId = options.accessKeyId ?? `LTAI${randomBytes(10).toString('hex')}`;
  const accessKeySecret = options.accessKeySecret ?? randomBytes(15).toString('hex');
  const handlers = new Map(Object.entries(options.handlers ?? {}));
  const requests: FakeAliyunRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  const answer = (res: http.ServerResponse, reply: FakeAliyunAnswer) => {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(reply.status, { 'content-type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(reply.body));
    };
    if (!reply.delayMs) return send();
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      send();
    }, reply.delayMs);
    pendingTimers.add(timer);
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      const form = new URLSearchParams(
        String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
          ? body.toString('utf8')
          : '',
      );
      const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(form) };
      const action = headerValue(req.headers['x-acs-action']) || params.Action || '';
      const verified = verifyAcs3Signature(
        { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body },
        { accessKeyId, accessKeySecret },
      );
      const request: FakeAliyunRequest = {
        action,
        version: headerValue(req.headers['x-acs-version']),
        params,
        headers: req.headers,
        receivedAt: Date.now(),
        isSigned: verified.ok,
      };
      requests.push(request);
      const requestId = fakeAliyunRequestId();
      if (!verified.ok) {
        return answer(res, {
          status: 400,
          body: {
            RequestId: requestId,
            Code: 'SignatureDoesNotMatch',
            Message: `Specified signature is not matched with our calculation (${verified.reason}).`,
          },
        });
      }
      const handler = handlers.get(action);
      if (!handler) {
        return answer(res, {
          status: 404,
          body: {
            RequestId: requestId,
            Code: 'InvalidAction.NotFound',
            Message: `Specified api ${action} is not found`,
          },
        });
      }
      try {
        const reply = await handler(request);
        answer(res, { ...reply, body: { RequestId: requestId, ...reply.body } });
      } catch (error) {
        answer(res, {
          status: 500,
          body: { RequestId: requestId, Code: 'InternalError', Message: String(error) },
        });
      }
    })().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    accessKeyId,
    accessKeySecret,
    requests,
    handle(action, handler) {
      handlers.set(action, handler);
    },
    close() {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
