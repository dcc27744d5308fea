import { type Contact, renderSms } from '@affection/core';
import { createOneTimeCode, createOneTimeCodeId, findContactsByPhone, getHome, insertOutgoingSms } from '@affection/db';
import { sendSmsMessage, smsTemplateFieldsOf } from '@affection/jobs';
import { OutboxSmsSender } from '@affection/telephony';
import type { Logger } from 'pino';
import { safeErrorForLog } from '../../errors/safe-error.ts';
import type { AppServices } from '../../services.ts';
import { TWILIO_STATUS_PATH } from '../../webhooks/post-twilio-status.ts';
import { SIGN_IN_CODE_TEMPLATE } from '../outbox/mask-sign-in-code.ts';
import { familyContactsOf, hashOneTimeCode, newOneTimeCode } from './family-contact.ts';
import { ONE_TIME_CODE_TTL_MINUTES } from './family-settings.ts';

/**
 * Makes and texts a sign-in code when approved contacts have this number; does nothing otherwise.
 * Runs after the answer has gone out (see `POST /api/family/code`), so how long it takes tells nobody
 * whether the number is known. One code; one message per Home whose contact has the number, filed
 * under that Home and ending with its name. Each message is a stored row first and is sent through
 * the SMS pipeline's own sender: a send that fails for now stays `pending` for the reconciler, and
 * nothing is sent once the code has expired. Never throws: failures are logged without the number.
 */
export async function deliverFamilyCode(services: AppServices, log: Logger, phone: string): Promise<void> {
  const { database, now, sms, smsPolicies } = services;
  const db = database.db;
  try {
    const contacts = familyContactsOf(await findContactsByPhone(db, phone));
    if (contacts.length === 0) return;
    const at = now();
    const expiresAt = new Date(at.getTime() + ONE_TIME_CODE_TTL_MINUTES * 60_000);
    const code = newOneTimeCode();
    const codeId = createOneTimeCodeId();
    await createOneTimeCode(db, {
      id: codeId,
      phone,
      codeHash: hashOneTimeCode(codeId, code),
      purpose: 'family-sign-in',
      now: at,
      expiresAt,
    });
    const byHome = new Map<string, Contact[]>();
    for (const contact of contacts) byHome.set(contact.homeId, [...(byHome.get(contact.homeId) ?? []), contact]);
    for (const [homeId, ofHome] of byHome) {
      const home = await getHome(db, homeId);
      const first = ofHome[0];
      if (!home || !first) continue;
      const { body } = renderSms(
        { kind: 'one-time-code', code, validMinutes: ONE_TIME_CODE_TTL_MINUTES },
        {
          recipient: { phone, language: first.language, timeZone: first.timeZone },
          home: { name: home.name, timeZone: home.timeZone },
          ...(smsPolicies ? { policies: smsPolicies } : {}),
        },
      );
      // Through a template-only provider the code goes as its registered template (refused here when it has none).
      const templated = smsTemplateFieldsOf(
        { kind: 'one-time-code', code, validMinutes: ONE_TIME_CODE_TTL_MINUTES },
        { phone, timeZone: first.timeZone, homeTimeZone: home.timeZone, policies: smsPolicies },
      );
      const { message } = await insertOutgoingSms(db, {
        ...templated,
        homeId,
        contactId: ofHome.length === 1 ? first.id : null,
        toPhone: phone,
        body,
        template: SIGN_IN_CODE_TEMPLATE,
        language: first.language,
        dedupeKey: `${codeId}-${homeId}`,
        sendBefore: expiresAt,
        now: at,
      });
      if (!sms) {
        log.warn({ codeId, messageId: message.id }, 'family sign-in code stored, not sent: no SMS sender configured');
        continue;
      }
      const isOutbox = sms instanceof OutboxSmsSender;
      const routing = services.smsRouting;
      const outcome = await sendSmsMessage(
        {
          db,
          sender: sms,
          provider: routing ? (to) => routing.providerFor(to) : isOutbox ? 'outbox' : 'twilio',
          // The provider's limits per number: a second Home's copy of the code waits its minute instead of being refused.
          ...(routing ? { sendCapsFor: (to: string) => routing.sendCapsFor(to) } : {}),
          now,
          ...(isOutbox ? {} : { statusCallbackUrl: `${services.settings.publicUrl}${TWILIO_STATUS_PATH}` }),
        },
        message.id,
      );
      if (outcome.kind !== 'sent') {
        log.warn({ codeId, messageId: message.id, outcome: outcome.kind }, 'family sign-in code not sent yet');
      }
    }
  } catch (error) {
    log.error({ err: safeErrorForLog(error) }, 'family sign-in code not sent');
  }
}

/** Deliveries not finished yet, per app (its services): shutdown and tests wait for them. */
const inFlight = new WeakMap<AppServices, Set<Promise<void>>>();

/** Calls `start` once the answer has gone out: a Node response's `close`, or the next turn of the event loop. */
export type AfterAnswer = (start: () => void) => void;

/**
 * Starts {@link deliverFamilyCode} once the current request's answer has been written (`afterAnswer`),
 * and keeps track of it until it ends. Starting earlier would delay the answer itself whenever the
 * database runs in this process (PGlite), and so show that the number is known.
 */
export function scheduleFamilyCodeDelivery(
  services: AppServices,
  log: Logger,
  phone: string,
  afterAnswer: AfterAnswer,
): void {
  let tasks = inFlight.get(services);
  if (!tasks) {
    tasks = new Set();
    inFlight.set(services, tasks);
  }
  const task = new Promise<void>((resolve) => afterAnswer(resolve)).then(() => deliverFamilyCode(services, log, phone));
  tasks.add(task);
  void task.finally(() => tasks.delete(task));
}

/**
 * Resolves when every code delivery started on these services has ended (also those started while
 * waiting). For an orderly stop, and for tests that look at what was sent.
 */
export async function settleFamilyCodeDeliveries(services: AppServices): Promise<void> {
  const tasks = inFlight.get(services);
  while (tasks && tasks.size > 0) await Promise.all([...tasks]);
}
