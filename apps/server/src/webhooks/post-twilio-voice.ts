import { cancelBooking, withBookingTransaction } from '@affection/bookings';
import { AppError, type Contact } from '@affection/core';
import {
  type BookingRecord,
  type Db,
  findWebhookEvent,
  getBooking,
  getChild,
  getHome,
  storeWebhookEventOnce,
} from '@affection/db';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
// TwiML alone, not the SDK's entry (which loads the whole REST client).
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { checkVoicePin, loadVoicePinState, VOICE_PIN_LIMITS, VOICE_PIN_PATTERN } from '../auth/voice-pin.ts';
import { bookingDepsOf } from '../routes/bookings/booking-deps.ts';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { auditCallerChange, type CallerBooking, findApprovedCallers, findCallerBookings } from './caller-bookings.ts';
import { requestRingBack } from './request-ring-back.ts';
import { type TwilioWebhookEnv, twilioWebhookRoute, twimlResponse } from './verify-twilio-request.ts';
import { spokenNames, spokenTime, VOICE_LANGUAGE, VOICE_PROMPTS } from './voice-prompts.ts';

/** The Home's number's "A call comes in" URL: PUBLIC_URL + this path. */
export const TWILIO_VOICE_PATH = '/webhooks/twilio/voice';
/** Where the menu's `<Gather>` posts the key pressed. */
export const TWILIO_VOICE_MENU_PATH = '/webhooks/twilio/voice/menu';
/** Where the PIN `<Gather>` posts the digits typed; `?try=<n>` counts the tries in this phone call. */
export const TWILIO_VOICE_PIN_PATH = '/webhooks/twilio/voice/pin';

/** What `<Gather>` waits for a key, in seconds. */
const GATHER_TIMEOUT_SECONDS = 8;
/** Why a booking was cancelled from the voice menu (kept on the booking, shown to staff). */
const CANCEL_REASON = '家长通过电话菜单取消';

/** Where the caller's calls stand now. */
interface CallerCalls {
  /** The next call that has not ended (proposed, confirmed or under way). */
  next: CallerBooking | undefined;
  /** A confirmed call under way now, which the caller may join. */
  open: CallerBooking | undefined;
  /** The next call that has not started and can still be cancelled. */
  cancellable: CallerBooking | undefined;
}

async function loadCallerCalls(db: Db, callers: readonly Contact[], now: Date): Promise<CallerCalls> {
  const active = await findCallerBookings(db, callers, {
    from: now,
    statuses: ['proposed', 'confirmed', 'in-progress'],
  });
  const t = now.getTime();
  return {
    next: active[0],
    open: active.find(
      ({ booking }) =>
        (booking.status === 'confirmed' || booking.status === 'in-progress') &&
        booking.start.getTime() <= t &&
        t < booking.end.getTime(),
    ),
    cancellable: active.find(
      ({ booking }) => (booking.status === 'proposed' || booking.status === 'confirmed') && booking.start.getTime() > t,
    ),
  };
}

/** The children's given names, as the parent calls them (erased children are left out). */
async function loadChildNames(db: Db, booking: BookingRecord): Promise<string> {
  const names: string[] = [];
  for (const childId of booking.childIds) {
    const child = await getChild(db, booking.homeId, childId);
    if (child && !child.erasedAt) names.push(child.givenName);
  }
  return spokenNames(names);
}

async function loadSpokenTime(db: Db, { booking, contact }: CallerBooking): Promise<string> {
  const home = await getHome(db, booking.homeId);
  return spokenTime(booking.start, contact.timeZone, home?.timeZone ?? contact.timeZone);
}

function say(target: Pick<VoiceResponse, 'say'>, text: string): void {
  target.say({ language: VOICE_LANGUAGE }, text);
}

function goodbye(response: VoiceResponse, text: string): VoiceResponse {
  say(response, text);
  response.hangup();
  return response;
}

function backToMenu(c: Context<TwilioWebhookEnv>, response: VoiceResponse): VoiceResponse {
  response.redirect({ method: 'POST' }, `${c.get('services').settings.publicUrl}${TWILIO_VOICE_PATH}`);
  return response;
}

/** The menu: who is calling about which call, then 1 join / 2 cancel / 3 repeat. */
async function buildMenu(c: Context<TwilioWebhookEnv>, callers: readonly Contact[]): Promise<VoiceResponse> {
  const { database, now, settings } = c.get('services');
  const db = database.db;
  const response = new VoiceResponse();
  const calls = await loadCallerCalls(db, callers, now());
  const homeId = calls.next?.booking.homeId ?? callers[0]?.homeId ?? '';
  const home = await getHome(db, homeId);
  const greeting = VOICE_PROMPTS.greeting(home?.name ?? '留守儿童之家');
  if (!calls.next) return goodbye(response, greeting + VOICE_PROMPTS.noCall);
  let text = greeting;
  if (calls.open) text += VOICE_PROMPTS.openNow(await loadChildNames(db, calls.open.booking));
  const upcoming = calls.open === calls.next ? calls.cancellable : calls.next;
  if (upcoming)
    text += VOICE_PROMPTS.nextCall(await loadChildNames(db, upcoming.booking), await loadSpokenTime(db, upcoming));
  text += VOICE_PROMPTS.menu({ canJoin: calls.open !== undefined, canCancel: calls.cancellable !== undefined });
  const gather = response.gather({
    numDigits: 1,
    action: `${settings.publicUrl}${TWILIO_VOICE_MENU_PATH}`,
    method: 'POST',
    timeout: GATHER_TIMEOUT_SECONDS,
  });
  say(gather, text);
  return goodbye(response, VOICE_PROMPTS.noInput);
}

/**
 * The PIN `<Gather>`: up to 6 digits, ended by '#'. Its action carries the try number, covered by
 * Twilio's signature like the rest of the URL.
 */
function askForPin(c: Context<TwilioWebhookEnv>, response: VoiceResponse, attempt: number, text: string) {
  const gather = response.gather({
    numDigits: 6,
    finishOnKey: '#',
    action: `${c.get('services').settings.publicUrl}${TWILIO_VOICE_PIN_PATH}?try=${attempt}`,
    method: 'POST',
    timeout: GATHER_TIMEOUT_SECONDS,
  });
  say(gather, text);
  return goodbye(response, VOICE_PROMPTS.noInput);
}

const COOLDOWN_MINUTES = Math.round(VOICE_PIN_LIMITS.cooldownMs / 60_000);

/**
 * The call open now, when the caller may be put through to it: a call is open and LiveKit SIP is
 * set up; otherwise the answer to give.
 */
async function openCallToJoin(
  c: Context<TwilioWebhookEnv>,
  callers: readonly Contact[],
  at: Date,
): Promise<{ open: CallerBooking; sipHost: string } | { answer: VoiceResponse }> {
  const { database, livekitSipHost } = c.get('services');
  const response = new VoiceResponse();
  const { open } = await loadCallerCalls(database.db, callers, at);
  if (!open) {
    say(response, VOICE_PROMPTS.nothingToJoin);
    return { answer: backToMenu(c, response) };
  }
  if (!livekitSipHost) return { answer: goodbye(response, VOICE_PROMPTS.joinUnavailable) };
  return { open, sipHost: livekitSipHost };
}

/**
 * Key 1: join the call open now — but caller ID is easy to fake, so first the contact's phone PIN.
 * Without a PIN, or while it is locked after too many wrong ones, nobody is put through: the caller
 * hears how else to join (the parents' page) and whom to ask.
 */
async function join(c: Context<TwilioWebhookEnv>, callers: readonly Contact[]): Promise<VoiceResponse> {
  const at = c.get('services').now();
  const found = await openCallToJoin(c, callers, at);
  if ('answer' in found) return found.answer;
  const response = new VoiceResponse();
  const state = await loadVoicePinState(c.get('services').database.db, found.open.contact, at);
  if (state === 'no-pin') return goodbye(response, VOICE_PROMPTS.noPin(await requestRingBack(c, found.open, at)));
  if (state === 'locked') {
    return goodbye(response, VOICE_PROMPTS.pinLocked(COOLDOWN_MINUTES, await requestRingBack(c, found.open, at)));
  }
  return askForPin(c, response, 1, VOICE_PROMPTS.askPin);
}

/**
 * The digits typed after key 1. Right: the caller is bridged into the open call over LiveKit SIP for
 * the time left (audited as the contact's join). Wrong: again, up to `VOICE_PIN_LIMITS.perCall` tries
 * in one phone call and `maxAttempts` per contact per window, then a polite goodbye. Neither the
 * digits nor their hash are logged or said back.
 */
async function enterPin(
  c: Context<TwilioWebhookEnv>,
  callers: readonly Contact[],
  digits: string,
  attempt: number,
): Promise<VoiceResponse> {
  const { database, now } = c.get('services');
  const at = now();
  const found = await openCallToJoin(c, callers, at);
  if ('answer' in found) return found.answer;
  const { open, sipHost } = found;
  const response = new VoiceResponse();
  // Something that cannot be a PIN (nothing typed, '*') uses up a try of this phone call only.
  const check = VOICE_PIN_PATTERN.test(digits)
    ? await checkVoicePin(database.db, open.contact, digits, at)
    : ({ outcome: 'wrong', isLocked: false } as const);
  if (check.outcome === 'no-pin') return goodbye(response, VOICE_PROMPTS.noPin(await requestRingBack(c, open, at)));
  if (check.outcome === 'locked') {
    return goodbye(response, VOICE_PROMPTS.pinLocked(COOLDOWN_MINUTES, await requestRingBack(c, open, at)));
  }
  if (check.outcome === 'wrong') {
    if (check.isLocked) c.get('log').warn({ event: 'voice-pin.locked', contactId: open.contact.id });
    if (check.isLocked || attempt >= VOICE_PIN_LIMITS.perCall) {
      return goodbye(response, VOICE_PROMPTS.tooManyTries(await requestRingBack(c, open, at)));
    }
    say(response, VOICE_PROMPTS.wrongPin);
    return askForPin(c, response, attempt + 1, VOICE_PROMPTS.askPinAgain);
  }
  await auditCallerChange(database.db, {
    contact: open.contact,
    action: 'call.join',
    subjectKind: 'booking',
    subjectId: open.booking.id,
    details: { via: 'voice', factor: 'pin' },
    at,
  });
  say(response, VOICE_PROMPTS.connecting);
  const secondsLeft = Math.max(1, Math.ceil((open.booking.end.getTime() - at.getTime()) / 1000));
  response.dial({ timeLimit: secondsLeft, answerOnBridge: true }).sip(`sip:${open.booking.id}@${sipHost}`);
  response.hangup();
  return response;
}

/** The try number in the PIN action's query: 1 to `perCall`; anything else counts as the last. */
function attemptOf(query: string | undefined): number {
  const n = Number(query);
  return Number.isInteger(n) && n >= 1 && n <= VOICE_PIN_LIMITS.perCall ? n : VOICE_PIN_LIMITS.perCall;
}

/**
 * Key 2: cancel the next call that has not started. One cancellation per phone call: a retried
 * request (same `CallSid`) hears the same answer and cancels nothing more.
 */
async function cancelNext(
  c: Context<TwilioWebhookEnv>,
  callers: readonly Contact[],
  callSid: string,
): Promise<VoiceResponse> {
  const { database, now } = c.get('services');
  const db = database.db;
  const response = new VoiceResponse();
  const eventId = `${callSid}:cancel`;
  const earlier = await findWebhookEvent(db, 'twilio-voice', eventId);
  const at = now();
  let cancelled: CallerBooking | undefined;
  if (earlier) {
    const { bookingId, contactId } = earlier.payload as { bookingId: string; contactId: string };
    const contact = callers.find((caller) => caller.id === contactId);
    const booking = contact ? await getBooking(db, contact.homeId, bookingId) : null;
    if (contact && booking) cancelled = { booking, contact };
  } else {
    const { cancellable } = await loadCallerCalls(db, callers, at);
    if (cancellable) {
      const { booking, contact } = cancellable;
      // The event row and the cancellation commit together; the cancelled call's lifecycle is planned after.
      cancelled = await withBookingTransaction(bookingDepsOf(c.get('services')), async (deps) => {
        const stored = await storeWebhookEventOnce(deps.db, {
          source: 'twilio-voice',
          eventId,
          eventType: 'cancel',
          subject: booking.id,
          payload: { callSid, bookingId: booking.id, contactId: contact.id },
          now: at,
        });
        if (!stored.isNew) return cancellable;
        const result = await cancelBooking(
          deps,
          { kind: 'family', contactId: contact.id, via: 'voice' },
          { homeId: booking.homeId, bookingId: booking.id, reason: CANCEL_REASON, expectedVersion: booking.version },
        );
        if (!result.ok) return undefined;
        return { booking: result.booking, contact };
      });
    }
  }
  if (!cancelled) {
    say(response, VOICE_PROMPTS.nothingToCancel);
    return backToMenu(c, response);
  }
  const names = await loadChildNames(db, cancelled.booking);
  return goodbye(response, VOICE_PROMPTS.cancelled(names, await loadSpokenTime(db, cancelled)));
}

/**
 * `POST /webhooks/twilio/voice` (webhook): someone rang the Home's number. Signature checked
 * first. An approved contact hears, in Mandarin, the child's next call in their own zone and a
 * menu (1 join the call open now, 2 cancel the next call, 3 repeat); anyone else hears a polite
 * message and nothing about anyone.
 *
 * `POST /webhooks/twilio/voice/menu` (webhook): the key pressed. Key 1 asks for the contact's phone
 * PIN; caller ID alone never puts anyone through to a child.
 *
 * `POST /webhooks/twilio/voice/pin` (webhook): the PIN typed; right → bridged into the call.
 */
export function registerPostTwilioVoice(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', twilioWebhookRoute(TWILIO_VOICE_PATH, 'Inbound call: voice menu'), async (c) => {
    const callers = await findApprovedCallers(c.get('services').database.db, c.get('twilioParams').From);
    if (callers.length === 0) {
      return twimlResponse(c, goodbye(new VoiceResponse(), VOICE_PROMPTS.unknownCaller));
    }
    return twimlResponse(c, await buildMenu(c, callers));
  });

  addRoute(app, 'webhook', twilioWebhookRoute(TWILIO_VOICE_PIN_PATH, 'Voice menu: phone PIN'), async (c) => {
    const params = c.get('twilioParams');
    const callers = await findApprovedCallers(c.get('services').database.db, params.From);
    if (callers.length === 0) {
      return twimlResponse(c, goodbye(new VoiceResponse(), VOICE_PROMPTS.unknownCaller));
    }
    return twimlResponse(c, await enterPin(c, callers, params.Digits ?? '', attemptOf(c.req.query('try'))));
  });

  addRoute(app, 'webhook', twilioWebhookRoute(TWILIO_VOICE_MENU_PATH, 'Voice menu: key pressed'), async (c) => {
    const params = c.get('twilioParams');
    const callers = await findApprovedCallers(c.get('services').database.db, params.From);
    if (callers.length === 0) {
      return twimlResponse(c, goodbye(new VoiceResponse(), VOICE_PROMPTS.unknownCaller));
    }
    switch (params.Digits) {
      case '1':
        return twimlResponse(c, await join(c, callers));
      case '2': {
        if (!params.CallSid) throw new AppError('bad-request', 'The request names no call.');
        return twimlResponse(c, await cancelNext(c, callers, params.CallSid));
      }
      case '3':
        return twimlResponse(c, backToMenu(c, new VoiceResponse()));
      default: {
        const response = new VoiceResponse();
        say(response, VOICE_PROMPTS.wrongKey);
        return twimlResponse(c, backToMenu(c, response));
      }
    }
  });
}
