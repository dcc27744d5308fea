/** Who calls, as the child says it. */
export type Relation = 'mother' | 'father' | 'grandmother' | 'grandfather' | 'guardian' | 'other';

/** A child on a call: first name and the colour behind their initials. */
export interface KioskCallChild {
  id: string;
  givenName: string;
  colour: string;
  hasPhoto: boolean;
}

/** A call due now or soon, as `GET /api/kiosk/calls` answers it. */
export interface KioskCall {
  bookingId: string;
  start: string;
  end: string;
  isOpen: boolean;
  children: KioskCallChild[];
  callers: { relation: Relation; channel: 'video' | 'phone' }[];
  kiosk: { id: string; name: string; isThisKiosk: boolean };
}

/** `GET /api/kiosk/calls`. */
export interface KioskCallList {
  now: string;
  calls: KioskCall[];
}

/** `POST /api/kiosk/calls/{id}/join`. */
export interface KioskCallJoin {
  url: string;
  token: string;
  room: string;
  identity: string;
  endsAt: string;
  tokenExpiresAt: string;
}
