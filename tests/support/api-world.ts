import { Writable } from 'node:stream';
import { createSlotReadModel } from '@affection/bookings';
import {
  type CallRooms,
  type Child,
  type Contact,
  DEFAULT_SMS_COUNTRY_POLICIES,
  type Home,
  type Household,
  type Kiosk,
  type SmsCountryPolicies,
  type SmsSender,
  type Staff,
} from '@affection/core';
import {
  createChild,
  createContact,
  createDatabaseChangeFeed,
  createFamilyDevice,
  createHome,
  createHousehold,
  createId,
  createKiosk,
  createStaff,
  createStaffSession,
  enrolKiosk,
  schema,
  updateContact,
} from '@affection/db';
import { type RedisServer, startRedis } from '@affection/runtime';
import { createTwilioSignatureVerifier, type LivekitWebhookVerifier, OutboxSmsSender } from '@affection/telephony';
import { hash } from '@node-rs/argon2';
import { eq, inArray } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { createApp } from '../../apps/server/src/app.ts';
import { CSRF_HEADER, STAFF_COOKIE } from '../../apps/server/src/auth/session-settings.ts';
import { createStaffSessionCache } from '../../apps/server/src/auth/staff-session-cache.ts';
import { hashToken, newToken } from '../../apps/server/src/auth/tokens.ts';
import { createLogger } from '../../apps/server/src/logger.ts';
import type { AppServices, LivekitEventHandler } from '../../apps/server/src/services.ts';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './postgres.ts';

/** The callers every access test tries: seven kinds over two Homes. */
export const PRINCIPAL_NAMES = ['anonymous', 'kioskA', 'familyA', 'familyB', 'teacherA', 'adminA', 'teacherB'] as const;

/** One of {@link PRINCIPAL_NAMES}. */
export type PrincipalName = (typeof PRINCIPAL_NAMES)[number];

/** The password every fixture staff member has. */
export const FIXTURE_PASSWORD = 'correct horse battery staple';

/** One seeded Home with one of everything. */
export interface WorldHome {
  home: Home;
  admin: Staff;
  teacher: Staff;
  kiosk: Kiosk;
  household: Household;
  child: Child;
  contact: Contact;
}

/**
 * Telephony for {@link createApiWorld}. By default SMS go to the database outbox and neither Twilio
 * nor LiveKit is configured (their webhooks answer 404).
 */
export interface ApiWorldOptions {
  /** Turns the Twilio webhooks on, checking signatures with this auth token. */
  twilioAuthToken?: string;
  /** Turns `/webhooks/livekit` on with this verifier. */
  livekitWebhooks?: LivekitWebhookVerifier;
  callRooms?: CallRooms;
  /** Where browsers join calls (a LiveKit server's `ws://` URL); pass it with {@link ApiWorldOptions.callRooms}. */
  livekitClientUrl?: string;
  /** Default the outbox on the world's database. */
  sms?: SmsSender;
  /** LiveKit's SIP host for the voice menu's bridge (default none: joining by phone is off). */
  livekitSipHost?: string;
  /** Where stored LiveKit events go; default nowhere (the events stay stored and unprocessed). */
  onLivekitEvent?: LivekitEventHandler;
  /** Where changed bookings go; default nowhere (no lifecycle is planned, as with no workers). */
  onBookingChanged?: AppServices['onBookingChanged'];
  /** Which countries may reply by SMS (default: none). */
  smsPolicies?: SmsCountryPolicies;
  /** Default `http://localhost:3000`. */
  publicUrl?: string;
}

/**
 * A parent known to both Homes (siblings in two schools): one phone number, a contact in a household
 * of each Home with its own child, not signed in anywhere yet.
 */
export interface SharedParent {
  phone: string;
  /** The contact in Home A, with its household's child. */
  inA: { contact: Contact; household: Household; child: Child };
  /** The contact in Home B, with its household's child. */
  inB: { contact: Contact; household: Household; child: Child };
}

/** A real app on a real database and Redis, with two Homes and a signed-in caller of each kind. */
export interface ApiWorld {
  kind: TestDatabaseKind;
  app: ReturnType<typeof createApp>;
  services: AppServices;
  database: TestDatabase;
  redisServer: RedisServer;
  a: WorldHome;
  b: WorldHome;
  /**
   * Adds (once; later calls give the same one) a parent whose number is an approved contact in both
   * Homes. Not in the world from the start, so that tests counting Home A's records stay as they are.
   */
  sharedParent(): Promise<SharedParent>;
  /** Every JSON log line the app wrote. */
  logs: Record<string, unknown>[];
  /** Headers that make a request come from `who`. */
  headersFor(who: PrincipalName): Record<string, string>;
  /** `app.request` as `who`, with an optional JSON body. */
  request(
    path: string,
    init?: { method?: string; as?: PrincipalName; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  /** Moves the app's clock (for timeouts). */
  setNow(date: Date): void;
  /** Restores every fixture caller's credentials (see `refreshHome`). */
  refreshPrincipals(): Promise<void>;
  close(): Promise<void>;
}

async function issueStaffSessions(
  services: AppServices,
  members: Staff[],
  tokens: Record<string, string>,
): Promise<void> {
  const now = services.now();
  for (const member of members) {
    const token = newToken();
    const csrf = newToken();
    await createStaffSession(services.database.db, {
      staffId: member.id,
      tokenHash: hashToken(token),
      csrfToken: csrf,
      now,
      expiresAt: new Date(now.getTime() + 12 * 3600_000),
    });
    tokens[`${member.role}Session`] = token;
    tokens[`${member.role}Csrf`] = csrf;
  }
}

/**
 * Gives every fixture caller working credentials again — staff active with new sessions, the
 * kiosk enrolled with a new token, the contact approved with a new device — after a request
 * that signed out, revoked or deactivated one of them.
 */
async function refreshHome(services: AppServices, home: WorldHome & { tokens: Record<string, string> }): Promise<void> {
  const db = services.database.db;
  const now = services.now();
  await db
    .update(schema.staff)
    .set({ active: true })
    .where(inArray(schema.staff.id, [home.admin.id, home.teacher.id]));
  await issueStaffSessions(services, [home.admin, home.teacher], home.tokens);
  const kioskToken = newToken();
  await db
    .update(schema.kiosks)
    .set({ revokedAt: null, enrolledAt: now, deviceTokenHash: hashToken(kioskToken) })
    .where(eq(schema.kiosks.id, home.kiosk.id));
  home.tokens.kiosk = kioskToken;
  await updateContact(
    db,
    home.home.id,
    home.contact.id,
    { approvedBy: home.admin.id, approvedAt: now, revokedAt: null },
    now,
  );
  const familyToken = newToken();
  await createFamilyDevice(db, {
    id: createId('familyDevice'),
    contactId: home.contact.id,
    tokenHash: hashToken(familyToken),
    via: 'enrolment',
    now,
    expiresAt: new Date(now.getTime() + 365 * 86_400_000),
  });
  home.tokens.family = familyToken;
}

async function seedHome(
  services: AppServices,
  name: string,
  passwordHash: string,
): Promise<WorldHome & { tokens: Record<string, string> }> {
  const db = services.database.db;
  const now = services.now();
  const home = await createHome(db, { name });
  const admin = await createStaff(db, home.id, {
    role: 'admin',
    displayName: `${name}管理员`,
    username: `admin-${home.id}`,
    passwordHash,
  });
  const teacher = await createStaff(db, home.id, {
    role: 'teacher',
    displayName: `${name}老师`,
    username: `teacher-${home.id}`,
    passwordHash,
  });
  const code = newToken();
  await createKiosk(db, {
    homeId: home.id,
    name: '一号机',
    enrolmentCodeHash: hashToken(code),
    enrolmentExpiresAt: new Date(now.getTime() + 600_000),
  });
  const kioskToken = newToken();
  const kiosk = (await enrolKiosk(db, {
    enrolmentCodeHash: hashToken(code),
    deviceTokenHash: hashToken(kioskToken),
    now,
  }))!;
  const household = await createHousehold(db, home.id, { name: '王家' });
  const child = await createChild(db, home.id, { householdId: household.id, familyName: '王', givenName: '小明' });
  let contact = await createContact(db, home.id, {
    householdId: household.id,
    name: '李秀英',
    relation: 'mother',
    phone: name.endsWith('A') ? '+8613812345678' : '+8613987654321',
  });
  contact = (await updateContact(db, home.id, contact.id, { approvedBy: admin.id, approvedAt: now }, now))!;
  const familyToken = newToken();
  await createFamilyDevice(db, {
    id: createId('familyDevice'),
    contactId: contact.id,
    tokenHash: hashToken(familyToken),
    via: 'enrolment',
    now,
    expiresAt: new Date(now.getTime() + 365 * 86_400_000),
  });
  const tokens: Record<string, string> = { kiosk: kioskToken, family: familyToken };
  await issueStaffSessions(services, [admin, teacher], tokens);
  return { home, admin, teacher, kiosk, household, child, contact, tokens };
}

/** An approved contact with `phone` in a new household of `home`, with one child. */
async function seedSharedContact(
  services: AppServices,
  home: WorldHome,
  phone: string,
  childGivenName: string,
): Promise<SharedParent['inA']> {
  const db = services.database.db;
  const now = services.now();
  const household = await createHousehold(db, home.home.id, { name: '陈家' });
  const child = await createChild(db, home.home.id, {
    householdId: household.id,
    familyName: '陈',
    givenName: childGivenName,
  });
  const created = await createContact(db, home.home.id, {
    householdId: household.id,
    name: '陈美玲',
    relation: 'mother',
    phone,
  });
  const contact = (await updateContact(
    db,
    home.home.id,
    created.id,
    { approvedBy: home.admin.id, approvedAt: now },
    now,
  ))!;
  return { contact, household, child };
}

/**
 * Builds the world: a migrated database of `kind`, our own Redis, the real app, Home A and
 * Home B each with an admin, a teacher, an enrolled kiosk, a household with a child and an
 * approved contact whose phone is signed in. `sharedParent()` adds a parent whose number is a
 * contact in both Homes (another household in each, with its own child), not signed in.
 */
export async function createApiWorld(kind: TestDatabaseKind, options: ApiWorldOptions = {}): Promise<ApiWorld> {
  const [database, redisServer] = await Promise.all([openTestDatabase(kind), startRedis()]);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 2 });
  // Tests stop Redis on purpose and check the app's answers; without a listener ioredis prints each failed
  // reconnect as an unhandled error event.
  redis.on('error', () => {});
  const logs: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  let now = new Date();
  // As the server composes them: slot searches and staff sessions from memory, kept fresh by the database's changes.
  const changes = await createDatabaseChangeFeed(database);
  const services: AppServices = {
    database,
    redis,
    livekitRooms: null,
    logger: createLogger({ level: 'debug', destination: stream }),
    now: () => now,
    settings: { publicUrl: options.publicUrl ?? 'http://localhost:3000', secureCookies: false, trustProxy: false },
    sms: options.sms ?? new OutboxSmsSender({ db: database.db, now: () => now }),
    callRooms: options.callRooms ?? null,
    livekitClientUrl: options.livekitClientUrl ?? null,
    livekitWebhooks: options.livekitWebhooks ?? null,
    twilioWebhooks: options.twilioAuthToken
      ? createTwilioSignatureVerifier({ authToken: options.twilioAuthToken })
      : null,
    livekitSipHost: options.livekitSipHost ?? null,
    smsPolicies: options.smsPolicies ?? DEFAULT_SMS_COUNTRY_POLICIES,
    onLivekitEvent: options.onLivekitEvent ?? (async () => {}),
    onBookingChanged: options.onBookingChanged ?? (async () => {}),
    slotReadModel: createSlotReadModel({ db: database.db, changes }),
    staffSessions: createStaffSessionCache({ db: database.db, changes }),
  };
  const passwordHash = await hash(FIXTURE_PASSWORD);
  const a = await seedHome(services, '测试之家A', passwordHash);
  const b = await seedHome(services, '测试之家B', passwordHash);
  let shared: Promise<SharedParent> | undefined;
  const app = createApp(services);
  const headersFor = (who: PrincipalName): Record<string, string> => {
    switch (who) {
      case 'anonymous':
        return {};
      case 'kioskA':
        return { authorization: `Kiosk ${a.tokens.kiosk}` };
      case 'familyA':
        return { authorization: `Family ${a.tokens.family}` };
      case 'familyB':
        return { authorization: `Family ${b.tokens.family}` };
      case 'teacherA':
        return { cookie: `${STAFF_COOKIE}=${a.tokens.teacherSession}`, [CSRF_HEADER]: a.tokens.teacherCsrf! };
      case 'adminA':
        return { cookie: `${STAFF_COOKIE}=${a.tokens.adminSession}`, [CSRF_HEADER]: a.tokens.adminCsrf! };
      case 'teacherB':
        return { cookie: `${STAFF_COOKIE}=${b.tokens.teacherSession}`, [CSRF_HEADER]: b.tokens.teacherCsrf! };
    }
  };
  return {
    kind,
    app,
    services,
    database,
    redisServer,
    a,
    b,
    sharedParent() {
      const phone = '+8613700137000';
      shared ??= (async () => ({
        phone,
        inA: await seedSharedContact(services, a, phone, '小雨'),
        inB: await seedSharedContact(services, b, phone, '小山'),
      }))();
      return shared;
    },
    logs,
    headersFor,
    request(path, init = {}) {
      const headers: Record<string, string> = { ...headersFor(init.as ?? 'anonymous'), ...init.headers };
      let body: string | undefined;
      if (init.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(init.json);
      }
      return Promise.resolve(app.request(path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body }));
    },
    setNow(date) {
      now = date;
    },
    async refreshPrincipals() {
      await refreshHome(services, a);
      await refreshHome(services, b);
    },
    async close() {
      redis.disconnect();
      await changes.close();
      await Promise.all([database.close(), redisServer.stop()]);
    },
  };
}
