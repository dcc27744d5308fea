import type { SlotReadModel } from '@affection/bookings';
import type { CallRoomEvent, CallRooms, SendCapTable, SmsCountryPolicies, SmsSender } from '@affection/core';
import type { Database } from '@affection/db';
import type { HomeChangeFeed } from '@affection/jobs';
import type { LivekitWebhookVerifier, TwilioSignatureVerifier } from '@affection/telephony';
import type { Redis } from 'ioredis';
import type { RoomServiceClient } from 'livekit-server-sdk';
import type { Logger } from 'pino';
import type { Principal } from './auth/principal.ts';
import type { StaffSessionCache } from './auth/staff-session-cache.ts';

/** Everything a request handler may use, composed once in `main.ts` from the runtime and carried in the context. */
export interface AppServices {
  database: Database;
  redis: Redis;
  /** `null` when LiveKit is not configured: calls are disabled. */
  livekitRooms: RoomServiceClient | null;
  logger: Logger;
  /** The current time; tests pass a fixed clock. */
  now: () => Date;
  settings: ServerSettings;
  /** Sends SMS: Twilio when configured, otherwise the database outbox (`OutboxSmsSender`). */
  sms: SmsSender;
  /**
   * Which provider a number's SMS goes to and that provider's per-number limits (Alibaba Cloud's for mainland
   * numbers under SMS_PROVIDER=aliyun). Default: `sms` as Twilio or the outbox, with no limits.
   */
  smsRouting?: {
    providerFor(to: string): 'outbox' | 'twilio' | 'aliyun';
    sendCapsFor(to: string): SendCapTable | null;
  };
  /** Video rooms for bookings; `null` when LiveKit is not configured. */
  callRooms: CallRooms | null;
  /** The LiveKit address browsers join calls at (`ws(s)://…`, `LIVEKIT_URL`); `null` = not configured (503). */
  livekitClientUrl: string | null;
  /** Checks LiveKit webhooks; `null` when LiveKit is not configured (`/webhooks/livekit` answers 404). */
  livekitWebhooks: LivekitWebhookVerifier | null;
  /** Checks `X-Twilio-Signature` with the account's auth token; `null` when Twilio is not configured (404). */
  twilioWebhooks: TwilioSignatureVerifier | null;
  /**
   * LiveKit's SIP host (`LIVEKIT_SIP_URI` without `sip:`): the voice menu bridges a caller into a call by
   * dialling `sip:<room>@<host>`. `null` = the menu says that joining by phone is not available.
   */
  livekitSipHost: string | null;
  /**
   * Which countries' numbers may carry links and reply by SMS (`SMS_COUNTRY_POLICIES` over
   * `DEFAULT_SMS_COUNTRY_POLICIES`). Inbound '1' / '2' act only where replies are allowed.
   */
  smsPolicies: SmsCountryPolicies;
  /**
   * Called once for each new, verified LiveKit event, after it is stored in `webhook_events`: the jobs layer's
   * enqueue keyed by the stored id, passed in when the services are built. When it throws, the webhook still
   * answers 200: the event stays stored and unprocessed for the reconciler.
   */
  onLivekitEvent: LivekitEventHandler;
  /**
   * Called after every change of a booking (create, reschedule, cancel, status) with its id: plans the booking's
   * lifecycle (confirmation and reminders, room, ringing, end) and enqueues it. Never throws: the booking is already
   * changed, and a plan that fails now is made by the lifecycle reconciler within a minute. Passed in when the
   * services are built (the server's producer, or the in-process workers' queues under `npm start`).
   */
  onBookingChanged: (bookingId: string) => Promise<void>;
  /**
   * The process's feed of Home changes (Redis pub/sub): booking routes publish on it, the board's event stream
   * listens. Absent: changes are not announced and `GET /api/board/stream` answers 503 (the page polls).
   */
  homeChanges?: HomeChangeFeed | null;
  /**
   * Slot searches from memory, kept current by the database's change notifications (`createSlotReadModel`). Absent:
   * every search reads the database.
   */
  slotReadModel?: SlotReadModel | null;
  /** Staff sessions from memory for a few seconds, forgotten as soon as they change. Absent: read on every request. */
  staffSessions?: StaffSessionCache | null;
}

/** What {@link AppServices.onLivekitEvent} receives: the event in our words and the id it is stored under. */
export type LivekitEventHandler = (event: CallRoomEvent, stored: { webhookEventId: string }) => Promise<void>;

/** Settings handlers need, derived from the configuration once. */
export interface ServerSettings {
  /** The address parents and Twilio reach (no trailing slash). */
  publicUrl: string;
  /** Cookies get `Secure` (true when PUBLIC_URL is https or NODE_ENV is production). */
  secureCookies: boolean;
  /** Trust `X-Forwarded-For` for the client address (behind a known proxy only). Default false. */
  trustProxy: boolean;
  /** The admin sees parents' sign-in codes in the outbox (the local demo only). Default false. */
  showSignInCodes?: boolean;
  /** Parents' phones can be rung (LiveKit and a SIP outbound trunk are configured). Default false. */
  canRingPhones?: boolean;
  /** The bearer token `GET /metrics` requires (`METRICS_TOKEN`). Default none: `/metrics` answers 404. */
  metricsToken?: string | null;
  /**
   * Alibaba Cloud's voice report push: the token its URL carries (`ALIYUN_VOICE_REPORT_TOKEN`) and the addresses it
   * may come from (`ALIYUN_REPORT_ALLOWED_IPS`; empty = any). Default none: the report webhook answers 404.
   */
  aliyunVoiceReport?: { token: string; allowedAddresses: readonly string[] } | null;
  /**
   * Alibaba Cloud's SMS report push: the token its URL carries (`ALIYUN_SMS_REPORT_TOKEN`) and the addresses it may
   * come from (`ALIYUN_REPORT_ALLOWED_IPS`; empty = any). Default none: the report webhook answers 404.
   */
  aliyunSmsReport?: { token: string; allowedAddresses: readonly string[] } | null;
}

/** Hono's typing of our context. */
export interface AppEnv {
  Variables: {
    services: AppServices;
    log: Logger;
    requestId: string;
    principal: Principal;
    /** `performance.now()` when the request's principal was looked up: what the read models are kept fresh to. */
    startedAt: number;
  };
}
