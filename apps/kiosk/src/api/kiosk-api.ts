import type { KioskCallJoin, KioskCallList } from './kiosk-types.ts';

/** A failed request: the HTTP status (0 when the network failed), the error code and its reason. */
export class KioskApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly reason: string | undefined;

  constructor(status: number, code: string, message: string, reason?: string) {
    super(message);
    this.name = 'KioskApiError';
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

/** Options for {@link createKioskApi}. */
export interface KioskApiOptions {
  /** The device token, read on every request (it changes on enrolment). */
  token: () => string | null;
  /** Called when the server no longer knows this kiosk (401): revoked or re-coded. */
  onUnauthorized: () => void;
  /** Default: the page's own server. */
  baseUrl?: string;
}

/** What the kiosk asks the server. */
export interface KioskApi {
  enrol(code: string): Promise<{ deviceToken: string }>;
  listCalls(): Promise<KioskCallList>;
  join(bookingId: string, childId: string): Promise<KioskCallJoin>;
  report(bookingId: string, body: { childId: string; joinedAt: string; leftAt?: string }): Promise<void>;
  saveMood(bookingId: string, childId: string, mood: number): Promise<void>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { reason?: string } };
}

/** A small typed client for the kiosk's routes (`Authorization: Kiosk <token>`). */
export function createKioskApi(options: KioskApiOptions): KioskApi {
  const base = options.baseUrl ?? '';

  async function send<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    extra: { anonymous?: boolean; keepalive?: boolean } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    const token = options.token();
    if (token && !extra.anonymous) headers.authorization = `Kiosk ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        keepalive: extra.keepalive ?? false,
      });
    } catch (error) {
      throw new KioskApiError(0, 'offline', (error as Error).message);
    }
    if (response.ok) return (await response.json()) as T;
    const parsed = (await response.json().catch(() => ({}))) as ErrorBody;
    const error = new KioskApiError(
      response.status,
      parsed.error?.code ?? 'internal',
      parsed.error?.message ?? response.statusText,
      parsed.error?.details?.reason,
    );
    if (response.status === 401 && !extra.anonymous) options.onUnauthorized();
    throw error;
  }

  return {
    enrol: (code) => send('POST', '/api/kiosk/enrol', { code }, { anonymous: true }),
    listCalls: () => send('GET', '/api/kiosk/calls'),
    join: (bookingId, childId) => send('POST', `/api/kiosk/calls/${bookingId}/join`, { childId }),
    report: async (bookingId, body) => {
      await send('POST', `/api/kiosk/calls/${bookingId}/report`, body, { keepalive: true });
    },
    saveMood: async (bookingId, childId, mood) => {
      await send('POST', `/api/kiosk/calls/${bookingId}/mood`, { childId, mood });
    },
  };
}
