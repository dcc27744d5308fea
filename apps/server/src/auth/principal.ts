import type { StaffRole } from '@affection/core';

/** Who is making a request, as established by {@link resolvePrincipal}. */
export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'staff';
      staffId: string;
      homeId: string;
      role: StaffRole;
      sessionId: string;
      csrfToken: string;
    }
  | { kind: 'kiosk'; kioskId: string; homeId: string }
  | { kind: 'family'; contactId: string; householdId: string; homeId: string; deviceId: string };

/** The staff principal of a request (after a staff policy let it through). */
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
/** The kiosk principal of a request. */
export type KioskPrincipal = Extract<Principal, { kind: 'kiosk' }>;
/** The family principal of a request. */
export type FamilyPrincipal = Extract<Principal, { kind: 'family' }>;
