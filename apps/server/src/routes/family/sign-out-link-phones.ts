import {
  type Db,
  type FamilyEnrolmentRecord,
  listAuditForSubject,
  listFamilyDevicesOfContact,
  listFamilyEnrolmentsOfContact,
  revokeFamilyDevice,
} from '@affection/db';

/**
 * Signs out the phones an enrolment link signed in, and answers their ids. A phone's link is the one
 * named on its `family.sign-in` audit event; a phone enrolled before events named their link counts
 * as this link's when the contact never had another one. Phones signed in by SMS code, or with
 * another link of the contact, stay signed in. Doing it again signs out nothing more.
 */
export async function signOutPhonesOfLink(
  db: Db,
  homeId: string,
  link: FamilyEnrolmentRecord,
  now: Date,
): Promise<string[]> {
  const [trail, links, devices] = await Promise.all([
    listAuditForSubject(db, 'contact', link.contactId),
    listFamilyEnrolmentsOfContact(db, link.contactId),
    listFamilyDevicesOfContact(db, link.contactId),
  ]);
  const linkOf = new Map<string, string | null>();
  for (const event of trail) {
    const deviceId = event.details?.deviceId;
    if (event.action !== 'family.sign-in' || typeof deviceId !== 'string') continue;
    const enrolmentId = event.details?.enrolmentId;
    linkOf.set(deviceId, typeof enrolmentId === 'string' ? enrolmentId : null);
  }
  const isOnlyLink = links.length === 1 && links[0]?.id === link.id;
  const signedIn = devices.filter((device) => device.via === 'enrolment' && !device.revokedAt);
  const enrolledWithLink = signedIn.filter((device) => {
    const named = linkOf.get(device.id);
    return named === link.id || (isOnlyLink && (named === null || named === undefined));
  });
  for (const device of enrolledWithLink) await revokeFamilyDevice(db, homeId, device.id, now);
  return enrolledWithLink.map((device) => device.id);
}
