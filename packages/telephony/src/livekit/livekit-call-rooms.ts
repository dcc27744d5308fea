import {
  type CallParticipant,
  type CallRoom,
  type CallRooms,
  type CloseCallRoomResult,
  type IssueJoinTokenRequest,
  type JoinToken,
  MAX_JOIN_TOKEN_TTL_SECONDS,
  type OpenCallRoomRequest,
  parseParticipantIdentity,
  participantIdentity,
  participantKindOf,
} from '@affection/core';
import { AccessToken, type ParticipantInfo, type Room, RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import { livekitStatusOf, requireLivekitCredentials, telephonyErrorFromLivekit } from './livekit-errors.ts';

/** Options for {@link LivekitCallRooms}. */
export interface LivekitCallRoomsOptions {
  /** The LiveKit server, `http(s)://` or `ws(s)://`. */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Seconds before a server API call times out. Default 10. */
  requestTimeoutSeconds?: number;
}

/** What we keep in a room's metadata. */
interface RoomMetadata {
  bookingId: string;
  homeId: string;
}

/** Reads the metadata {@link LivekitCallRooms.openRoom} writes; `undefined` for other rooms. */
export function parseRoomMetadata(metadata: string | undefined): RoomMetadata | undefined {
  if (!metadata) return undefined;
  try {
    const value = JSON.parse(metadata) as Partial<RoomMetadata>;
    if (typeof value.bookingId === 'string' && typeof value.homeId === 'string') {
      return { bookingId: value.bookingId, homeId: value.homeId };
    }
  } catch {
    // Not ours: another tool created the room.
  }
  return undefined;
}

/** Our participant for LiveKit's. */
export function toCallParticipant(info: ParticipantInfo): CallParticipant {
  const joinedAtMs = info.joinedAtMs > 0n ? Number(info.joinedAtMs) : Number(info.joinedAt) * 1000;
  return {
    identity: info.identity,
    who: parseParticipantIdentity(info.identity),
    kind: participantKindOf(info.identity),
    joinedAt: new Date(joinedAtMs),
  };
}

function toCallRoom(room: Room, fallback: RoomMetadata): CallRoom {
  const metadata = parseRoomMetadata(room.metadata) ?? fallback;
  const createdAtMs = room.creationTimeMs > 0n ? Number(room.creationTimeMs) : Number(room.creationTime) * 1000;
  return {
    name: room.name,
    bookingId: metadata.bookingId,
    homeId: metadata.homeId,
    createdAt: new Date(createdAtMs),
    emptyTimeoutSeconds: room.emptyTimeout,
    maxParticipants: room.maxParticipants,
    participantCount: room.numParticipants,
  };
}

/** Reads `exp` from a JWT we just signed. */
function expiryOf(jwt: string): Date {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };
  return new Date(payload.exp * 1000);
}

/**
 * {@link CallRooms} on a LiveKit server: one room per booking (named after it), room metadata
 * `{ bookingId, homeId }`, short-lived join tokens for one room. Throws at construction when
 * credentials are missing; provider failures throw `TelephonyError`.
 *
 * Note: LiveKit accepts a token up to a minute after its `exp` (its JWT check allows one minute
 * of clock skew), so a 10-minute token admits new joins for up to 11 minutes.
 */
export class LivekitCallRooms implements CallRooms {
  readonly #rooms: RoomServiceClient;
  readonly #apiKey: string;
  readonly #apiSecret: string;

  constructor(options: LivekitCallRoomsOptions) {
    const { url, apiKey, apiSecret } = requireLivekitCredentials('LivekitCallRooms', options);
    this.#apiKey = apiKey;
    this.#apiSecret = apiSecret;
    this.#rooms = new RoomServiceClient(url, apiKey, apiSecret, {
      requestTimeout: options.requestTimeoutSeconds ?? 10,
      failover: false,
    });
  }

  async openRoom(request: OpenCallRoomRequest): Promise<CallRoom> {
    const metadata: RoomMetadata = { bookingId: request.bookingId, homeId: request.homeId };
    try {
      const room = await this.#rooms.createRoom({
        name: request.bookingId,
        emptyTimeout: request.emptyTimeoutSeconds,
        maxParticipants: request.maxParticipants,
        metadata: JSON.stringify(metadata),
      });
      return toCallRoom(room, metadata);
    } catch (error) {
      throw telephonyErrorFromLivekit(error, `open room ${request.bookingId}`);
    }
  }

  async closeRoom(bookingId: string): Promise<CloseCallRoomResult> {
    try {
      await this.#rooms.deleteRoom(bookingId);
      return { ok: true };
    } catch (error) {
      if (livekitStatusOf(error) === 404) return { ok: false, reason: 'not-found' };
      throw telephonyErrorFromLivekit(error, `close room ${bookingId}`);
    }
  }

  async listParticipants(bookingId: string): Promise<CallParticipant[]> {
    try {
      const participants = await this.#rooms.listParticipants(bookingId);
      return participants.map(toCallParticipant);
    } catch (error) {
      if (livekitStatusOf(error) === 404) return [];
      throw telephonyErrorFromLivekit(error, `list participants of ${bookingId}`);
    }
  }

  async issueJoinToken(request: IssueJoinTokenRequest): Promise<JoinToken> {
    const ttlSeconds = request.ttlSeconds ?? MAX_JOIN_TOKEN_TTL_SECONDS;
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_JOIN_TOKEN_TTL_SECONDS) {
      throw new RangeError(`Join tokens live 1 to ${MAX_JOIN_TOKEN_TTL_SECONDS} seconds, not ${ttlSeconds}`);
    }
    if (!request.bookingId) throw new RangeError('A join token needs a booking (room)');
    const identity = participantIdentity(request.subject);
    const isStaff = request.subject.role === 'staff';
    const token = new AccessToken(this.#apiKey, this.#apiSecret, {
      identity,
      ttl: ttlSeconds,
      ...(request.displayName ? { name: request.displayName } : {}),
    });
    token.addGrant({
      roomJoin: true,
      room: request.bookingId,
      canSubscribe: true,
      canPublish: !isStaff,
      canPublishSources: isStaff ? [] : [TrackSource.CAMERA, TrackSource.MICROPHONE],
      canPublishData: false,
      hidden: isStaff,
    });
    const jwt = await token.toJwt();
    return {
      token: jwt,
      identity,
      room: request.bookingId,
      expiresAt: expiryOf(jwt),
      canPublish: !isStaff,
      isHidden: isStaff,
    };
  }
}
