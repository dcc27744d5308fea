/** What `GET /api/family/me` answers (see the server's `FamilyMe` schema). */
export interface FamilyMe {
  contact: {
    id: string;
    name: string;
    relation: string;
    timeZone: string;
    language: 'zh-CN' | 'en';
    channel: 'video' | 'phone';
    phoneFallback: boolean;
  };
  home: { name: string };
  childNames: string[];
  nextCall: NextCall | null;
  serverTime: string;
}

/** The contact's next call. */
export interface NextCall {
  bookingId: string;
  start: string;
  end: string;
  status: 'confirmed' | 'in-progress';
  childNames: string[];
  opensAt: string;
  isOpen: boolean;
  startLocal: {
    timeZone: string;
    zoneName: string;
    date: string;
    weekday: number;
    time: string;
    endTime: string;
    daysFromToday: number;
    text: string;
  };
}

/** What joining a call answers. */
export interface CallJoin {
  url: string;
  token: string;
  room: string;
  identity: string;
  endsAt: string;
  expiresAt: string;
}

/** A signed-in phone's token. */
export interface DeviceToken {
  deviceToken: string;
  expiresAt: string;
}

/** A request that did not succeed: the server's refusal, or no answer at all (`network`). */
export class ApiProblem extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** `details.reason` of the server's error body, or `network`. */
  readonly reason: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly triesLeft: number | undefined;

  constructor(status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiProblem';
    this.status = status;
    this.reason = typeof details.reason === 'string' ? details.reason : status === 0 ? 'network' : undefined;
    this.retryAfterSeconds = typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : undefined;
    this.triesLeft = typeof details.triesLeft === 'number' ? details.triesLeft : undefined;
  }
}

/** Requests slower than this are given up (weak mobile data): 20 seconds. */
const TIMEOUT_MS = 20_000;

async function request<T>(path: string, options: { body?: unknown; token?: string | null } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Family ${options.token}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method: options.body === undefined ? 'GET' : 'POST',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch {
    throw new ApiProblem(0, 'The server could not be reached.');
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return undefined as T;
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiProblem(res.ok ? 0 : res.status, 'The answer could not be read.');
  }
  if (!res.ok) {
    const error = (body as { error?: { message?: string; details?: Record<string, unknown> } }).error;
    const details = { ...error?.details };
    const retryAfter = Number(res.headers.get('retry-after'));
    if (details.retryAfterSeconds === undefined && retryAfter > 0) details.retryAfterSeconds = retryAfter;
    throw new ApiProblem(res.status, error?.message ?? `HTTP ${res.status}`, details);
  }
  return body as T;
}

/** The server's family API, as the page uses it. */
export const api = {
  enrol: (token: string) => request<DeviceToken>('/api/family/enrol', { body: { token } }),
  sendCode: (phone: string) => request<{ resendAfterSeconds: number }>('/api/family/code', { body: { phone } }),
  verifyCode: (phone: string, code: string) =>
    request<DeviceToken>('/api/family/code/verify', { body: { phone, code } }),
  me: (token: string) => request<FamilyMe>('/api/family/me', { token }),
  join: (token: string, bookingId: string) =>
    request<CallJoin>(`/api/family/calls/${encodeURIComponent(bookingId)}/join`, { body: {}, token }),
  signOut: (token: string) => request<void>('/api/family/sign-out', { body: {}, token }),
};
