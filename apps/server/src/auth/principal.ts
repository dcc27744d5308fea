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
      /**
       * Set for a district admin acting in one Home of their district (the session's current Home): they get the
       * Home admin's rights there, and `districtId` names their district.
       */
      districtId?: string;
    }
  | {
      /** A district admin with no current Home: only the district's own routes and their account. */
      kind: 'district';
      staffId: string;
      districtId: string;
      sessionId: string;
      csrfToken: string;
    }
  | { kind: 'kiosk'; kioskId: string; homeId: string }
  | { kind: 'family'; contactId: string; householdId: string; homeId: string; deviceId: string };

/** The staff principal of a request (after a staff policy let it through). */
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
/** A district admin, in a Home of their district or in none (after the `district` policy let them through). */
export type DistrictPrincipal = Extract<Principal, { kind: 'district' }> | (StaffPrincipal & { districtId: string });
/** Anyone signed in to the console: a Home's staff member or a district admin (the `account` policy). */
export type AccountPrincipal = StaffPrincipal | Extract<Principal, { kind: 'district' }>;
/** The kiosk principal of a request. */
export type KioskPrincipal = Extract<Principal, { kind: 'kiosk' }>;
/** The family principal of a request. */
export type FamilyPrincipal = Extract<Principal, { kind: 'family' }>;
