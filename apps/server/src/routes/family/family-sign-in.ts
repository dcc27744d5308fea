import { createFamilyDevice, createId, type Db, recordAudit, revokeFamilyDevice } from '@affection/db';
import type { Context } from 'hono';
import { hashToken, newToken } from '../../auth/tokens.ts';
import type { AppEnv } from '../../services.ts';
import { daysAfter, FAMILY_DEVICE_TTL_DAYS } from './family-settings.ts';

/** Who a new phone signs in as. */
export interface FamilySignInSubject {
  contactId: string;
  homeId: string;
  via: 'enrolment' | 'code';
  /** The enrolment link it came with (`via: 'enrolment'`): revoking the link signs the phone out. */
  enrolmentId?: string;
}

/**
 * Signs a phone in: a new device token (only its hash stored) for the contact, audited with ids only.
 * A phone that sends the token of an earlier sign-in gives that one up (no pile of live tokens).
 */
export async function signInFamilyDevice(
  c: Context<AppEnv>,
  db: Db,
  subject: FamilySignInSubject,
): Promise<{ deviceToken: string; expiresAt: string }> {
  const { now } = c.get('services');
  const at = now();
  const previous = c.get('principal');
  if (previous.kind === 'family') await revokeFamilyDevice(db, previous.homeId, previous.deviceId, at);
  const deviceToken = newToken();
  const deviceId = createId('familyDevice');
  const expiresAt = daysAfter(at, FAMILY_DEVICE_TTL_DAYS);
  await createFamilyDevice(db, {
    id: deviceId,
    contactId: subject.contactId,
    tokenHash: hashToken(deviceToken),
    via: subject.via,
    now: at,
    expiresAt,
  });
  await recordAudit(db, {
    homeId: subject.homeId,
    actorKind: 'family',
    actorId: subject.contactId,
    action: 'family.sign-in',
    subjectKind: 'contact',
    subjectId: subject.contactId,
    details: { deviceId, via: subject.via, ...(subject.enrolmentId ? { enrolmentId: subject.enrolmentId } : {}) },
    at,
  });
  c.header('Cache-Control', 'no-store');
  return { deviceToken, expiresAt: expiresAt.toISOString() };
}
