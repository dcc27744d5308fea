/**
 * The system of record's domain objects, as repositories return them. Times are UTC `Date`s;
 * wall-clock times ('HH:MM') and dates ('YYYY-MM-DD') are in the zone named beside them.
 */

/** ISO weekday: Monday = 1 … Sunday = 7. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** A Left-behind Children's Home and its booking rules. */
export interface Home {
  id: string;
  name: string;
  timeZone: string;
  slotMinutes: number;
  bufferMinutes: number;
  weeklyQuotaPerChild: number;
  bookingHorizonDays: number;
  minNoticeMinutes: number;
  noContactAlertDays: number;
  /** "Call now": a video parent who has not joined after this many minutes is rung (1–30, default 2). */
  parentJoinWaitMinutes: number;
  /** The longest a child waits at the kiosk for a parent who has not come (1–30, default 3). */
  kioskWaitMinutes: number;
  /**
   * The Home's own SMS signature (签名) as registered with a template provider (Alibaba Cloud), or null for the
   * installation's (`ALIYUN_SMS_SIGN_NAME`).
   */
  smsSignName: string | null;
  createdAt: Date;
}

/** A kiosk's sound states as it reports them: plays, cannot play, or not started by a tap yet. */
export const KIOSK_AUDIO_STATES = ['ok', 'no-output', 'locked'] as const;

/** A kiosk's sound as it reports it (one of {@link KIOSK_AUDIO_STATES}). */
export type KioskAudioState = (typeof KIOSK_AUDIO_STATES)[number];

/** A kiosk; `status` derives from enrolment and revocation. */
export interface Kiosk {
  id: string;
  homeId: string;
  name: string;
  enabled: boolean;
  status: 'awaiting-enrolment' | 'enrolled' | 'revoked';
  enrolmentExpiresAt: Date | null;
  enrolledAt: Date | null;
  revokedAt: Date | null;
  /** When the enrolled kiosk last reached the server (recorded at most once a minute). */
  lastSeenAt: Date | null;
  /** The kiosk app's version as it last reported it (`X-Kiosk-Version`). */
  appVersion: string | null;
  /**
   * Whether the kiosk could play sound, as it last reported (`X-Kiosk-Audio`): `ok`, `no-output` (no sound device,
   * or the sound stays stopped after a tap), `locked` (no tap yet since the page started); null when never reported.
   */
  audioState: KioskAudioState | null;
  /** When {@link Kiosk.audioState} was last written (at most once a minute, at once when it changes). */
  audioCheckedAt: Date | null;
  createdAt: Date;
}

/** Weekly opening hours in the Home's zone. */
export interface OpeningRule {
  id: string;
  homeId: string;
  weekday: Weekday;
  startTime: string;
  endTime: string;
}

/** A dated exception replacing that day's weekly rules. */
export interface OpeningException {
  id: string;
  homeId: string;
  date: string;
  closed: boolean;
  startTime: string | null;
  endTime: string | null;
  note: string | null;
}

/** Staff roles: the Home's admin manages staff and kiosks; teachers run the calls. */
export type StaffRole = 'admin' | 'teacher';

/** A member of staff (never with the password hash). */
export interface Staff {
  id: string;
  homeId: string;
  role: StaffRole;
  displayName: string;
  username: string | null;
  phone: string | null;
  active: boolean;
  createdAt: Date;
}

/**
 * The role of a district (county) admin: belongs to one district and to no single Home; creates the district's
 * Homes and their first admins, sees each Home's reach, and acts inside one Home at a time with the admin's rights.
 */
export const DISTRICT_ADMIN_ROLE = 'district-admin';

/** Every role a staff account can hold: a Home's roles ({@link StaffRole}) or the district admin's. */
export type AccountRole = StaffRole | typeof DISTRICT_ADMIN_ROLE;

/** A district (county): a set of Homes run by one installation, with its district admins. */
export interface District {
  id: string;
  name: string;
  createdAt: Date;
}

/** A district admin's account (never with the password hash). */
export interface DistrictAdmin {
  id: string;
  districtId: string;
  role: typeof DISTRICT_ADMIN_ROLE;
  displayName: string;
  username: string | null;
  phone: string | null;
  active: boolean;
  createdAt: Date;
}

/** Siblings and the people who call them. */
export interface Household {
  id: string;
  homeId: string;
  name: string;
  createdAt: Date;
  archivedAt: Date | null;
}

/** A child's record. */
export interface Child {
  id: string;
  homeId: string;
  householdId: string;
  familyName: string;
  givenName: string;
  className: string | null;
  birthYear: number | null;
  /** Version of the kiosk photo (a hash of its bytes); null when the child has none. */
  photoVersion: string | null;
  notes: string | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  erasedAt: Date | null;
}

/** How a contact is related to the children. */
export type Relation = 'mother' | 'father' | 'grandmother' | 'grandfather' | 'guardian' | 'other';

/** How a contact takes calls. */
export type Channel = 'video' | 'phone';

/** Someone who calls a household's children. */
export interface Contact {
  id: string;
  homeId: string;
  householdId: string;
  name: string;
  relation: Relation;
  phone: string;
  city: string | null;
  timeZone: string;
  language: 'zh-CN' | 'en';
  channel: Channel;
  phoneFallback: boolean;
  approvedBy: string | null;
  approvedAt: Date | null;
  revokedAt: Date | null;
  consentRecordedBy: string | null;
  consentRecordedAt: Date | null;
  smsOptOut: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** True when the contact may be booked, called, or call. */
export function isContactApproved(contact: Pick<Contact, 'approvedAt' | 'revokedAt'>): boolean {
  return contact.approvedAt !== null && contact.revokedAt === null;
}

/** When a contact can take calls, in the contact's own zone. */
export interface AvailabilityWindow {
  id: string;
  contactId: string;
  weekday: Weekday;
  startTime: string;
  endTime: string;
}

/** A teacher paired with a child. */
export interface Pairing {
  id: string;
  homeId: string;
  staffId: string;
  childId: string;
  createdAt: Date;
}

/** The closed list of growth-diary tags: 学习 / 情绪 / 健康 / 家庭. */
export const DIARY_TAGS = ['study', 'emotion', 'health', 'family'] as const;

/** One of {@link DIARY_TAGS}. */
export type DiaryTag = (typeof DIARY_TAGS)[number];

/** A growth-diary note on a child (成长日记). */
export interface DiaryEntry {
  id: string;
  homeId: string;
  childId: string;
  /** The author; null only when that member of staff is gone. */
  staffId: string | null;
  bookingId: string | null;
  /** The day the note is about, 'YYYY-MM-DD'. */
  entryDate: string;
  text: string;
  /** 1 (sad) to 5 (happy), the kiosk's five faces; null when not given. */
  mood: number | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** Who did what to which record. */
export interface AuditEvent {
  id: string;
  homeId: string | null;
  actorKind: 'staff' | 'kiosk' | 'family' | 'system';
  actorId: string | null;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  details: Record<string, unknown> | null;
  at: Date;
}
