import type { CallParticipantKind, CallParticipantRole } from './participant-identity.ts';

/** Join tokens live at most this long (10 minutes). */
export const MAX_JOIN_TOKEN_TTL_SECONDS = 600;

/** What to open a room with. The room is named after the booking. */
export interface OpenCallRoomRequest {
  /** `bkg_…`; also the room name. */
  bookingId: string;
  /** `hom_…`; written into the room metadata. */
  homeId: string;
  /** Seconds an empty room stays open before the provider closes it. */
  emptyTimeoutSeconds: number;
  /** Kiosk + parent (+ phone) + an observer; the provider refuses anyone beyond. */
  maxParticipants: number;
}

/** An open room. */
export interface CallRoom {
  name: string;
  bookingId: string;
  homeId: string;
  /** When the provider created the room. */
  createdAt: Date;
  emptyTimeoutSeconds: number;
  maxParticipants: number;
  participantCount: number;
}

/** Someone in a room. */
export interface CallParticipant {
  identity: string;
  /** Read from the identity; `undefined` when the identity is not one we issue. */
  who: CallParticipantRole | undefined;
  kind: CallParticipantKind | undefined;
  joinedAt: Date;
}

/** Who a join token is for. Phone participants are admitted by the phone bridge, not by token. */
export type JoinTokenSubject =
  | { role: 'child'; childId: string }
  | { role: 'parent'; contactId: string }
  | { role: 'staff'; staffId: string };

/** What to issue a join token for. */
export interface IssueJoinTokenRequest {
  /** The booking (room) the token admits to; it admits to no other room. */
  bookingId: string;
  subject: JoinTokenSubject;
  /** Shown to the other side, e.g. a child's first name. */
  displayName?: string;
  /** Default and maximum {@link MAX_JOIN_TOKEN_TTL_SECONDS}. */
  ttlSeconds?: number;
}

/** A signed token a client uses to join one room. */
export interface JoinToken {
  token: string;
  identity: string;
  room: string;
  /** After this the provider refuses the token for new joins. */
  expiresAt: Date;
  /** Kiosk and parent publish camera and microphone; staff only watch, unseen. */
  canPublish: boolean;
  isHidden: boolean;
}

/** The answer to {@link CallRooms.closeRoom}: `not-found` when it was already gone. */
export type CloseCallRoomResult = { ok: true } | { ok: false; reason: 'not-found' };

/**
 * Video rooms for bookings. Failures of the provider itself (credentials, network) throw
 * `TelephonyError`; an outcome the caller should expect (closing a room already gone) is a value.
 */
export interface CallRooms {
  /** Opens the room for a booking, or returns it if it is already open. */
  openRoom(request: OpenCallRoomRequest): Promise<CallRoom>;
  /** Closes the room and disconnects everyone in it. */
  closeRoom(bookingId: string): Promise<CloseCallRoomResult>;
  /** Everyone in the room now; empty when the room is not open. */
  listParticipants(bookingId: string): Promise<CallParticipant[]>;
  /**
   * A token for one room. Throws `RangeError` for a TTL above {@link MAX_JOIN_TOKEN_TTL_SECONDS}.
   */
  issueJoinToken(request: IssueJoinTokenRequest): Promise<JoinToken>;
}

/** What a room provider reported about a room. */
export type CallRoomEventType =
  | 'room-started'
  | 'room-finished'
  | 'participant-joined'
  | 'participant-left'
  | 'participant-connection-aborted'
  | 'track-published'
  | 'track-unpublished'
  | 'other';

/** A verified webhook from the room provider, in our words. */
export interface CallRoomEvent {
  /** The provider's event id: the same event may arrive twice. */
  id: string;
  type: CallRoomEventType;
  /** The provider's own name for the event, for logs. */
  providerType: string;
  occurredAt: Date;
  /** The room name; for our rooms this is the booking id. */
  roomName: string | undefined;
  /** From the room metadata, when the room was opened by {@link CallRooms.openRoom}. */
  bookingId: string | undefined;
  homeId: string | undefined;
  participant: CallParticipant | undefined;
}
