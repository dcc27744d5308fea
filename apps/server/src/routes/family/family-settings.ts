/** How long an enrolment link (the QR code on a contact card) works unless revoked: 180 days. */
export const ENROLMENT_LINK_TTL_DAYS = 180;

/** Longest validity a teacher may choose for an enrolment link: a school year and a bit. */
export const MAX_ENROLMENT_LINK_DAYS = 400;

/** How long a parent's phone stays signed in: 180 days. */
export const FAMILY_DEVICE_TTL_DAYS = 180;

/** Digits of a one-time SMS code (验证码). */
export const ONE_TIME_CODE_DIGITS = 6;

/** How long a one-time code works: 10 minutes. */
export const ONE_TIME_CODE_TTL_MINUTES = 10;

/** A call can be joined this long before its start: 5 minutes. */
export const JOIN_OPENS_BEFORE_MS = 5 * 60_000;

/** Kiosk, parent, a second contact, a phone leg and a watching teacher. */
export const CALL_ROOM_MAX_PARTICIPANTS = 5;

/** Seconds an empty call room stays open before LiveKit closes it. */
export const CALL_ROOM_EMPTY_TIMEOUT_SECONDS = 300;

/** The path of the family page in links: `PUBLIC_URL/family/enrol/<token>`. */
export const FAMILY_ENROL_PATH = '/family/enrol/';

const DAY_MS = 86_400_000;

/** `days` days after `from`. */
export function daysAfter(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}
