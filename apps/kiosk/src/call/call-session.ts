import { callReconnectPolicy } from '@affection/ui';
import type { LocalTrack, RemoteParticipant, RemoteTrack, Room } from 'livekit-client';
import type { KioskCallJoin } from '../api/kiosk-api.ts';
import type { Livekit } from './start-call.ts';

/** Where the call stands. `ended` and `failed` are final. */
export type CallPhase = 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'failed';

/** The parent (or grandparent…) in the room. */
export interface ParentPresence {
  identity: string;
  /** Rung on an ordinary phone (`phone:` identity). */
  isPhone: boolean;
  /** Their camera, when they show it. */
  video: RemoteTrack | undefined;
}

/** What the call screen shows. */
export interface CallState {
  phase: CallPhase;
  /** The first caller in the room (of {@link CallState.parents}). */
  parent: ParentPresence | undefined;
  /** Every caller in the room, in the order they came: two in a three-way call. */
  parents: ParentPresence[];
  /** When this kiosk got into the room (kiosk clock, ms), once connected; a rejoin sets it again. */
  connectedAt: number | undefined;
  /**
   * Set when the kiosk joined the room anew after losing it (LiveKit restarted: the room came back without us, and
   * livekit-client joined it again as a new participant): when the previous stay was lost (kiosk clock, ms).
   */
  lostAt?: number;
}

function isCaller(participant: RemoteParticipant): boolean {
  return participant.identity.startsWith('parent:') || participant.identity.startsWith('phone:');
}

/**
 * One child's call on LiveKit: connects with the server's token, publishes the camera and
 * microphone, plays the caller's sound, and reports what the screen needs through `onChange`.
 */
export class CallSession {
  readonly #livekit: Livekit;
  readonly #join: KioskCallJoin;
  readonly #tracks: LocalTrack[];
  readonly #room: Room;
  readonly #onChange: (state: CallState) => void;
  readonly #audio: HTMLElement;
  #state: CallState = { phase: 'connecting', parent: undefined, parents: [], connectedAt: undefined };
  /** Identities in the order they came into the room, to keep each parent's place on the screen. */
  readonly #arrived: string[] = [];
  /** The room's id for this kiosk, which a full rejoin changes. */
  #participantSid: string | undefined;
  /** When the connection was lost, while reconnecting. */
  #lostAt: number | undefined;

  constructor(livekit: Livekit, join: KioskCallJoin, tracks: LocalTrack[], onChange: (state: CallState) => void) {
    this.#livekit = livekit;
    this.#join = join;
    this.#tracks = tracks;
    this.#onChange = onChange;
    this.#room = new livekit.Room({
      adaptiveStream: true,
      dynacast: true,
      disconnectOnPageLeave: true,
      reconnectPolicy: callReconnectPolicy,
    });
    this.#audio = document.createElement('div');
    this.#audio.hidden = true;
    document.body.append(this.#audio);
    this.#listen();
  }

  /** The camera track this kiosk sends, for the small picture of the child. */
  get localVideo(): LocalTrack | undefined {
    return this.#tracks.find((track) => track.kind === this.#livekit.Track.Kind.Video);
  }

  get state(): CallState {
    return this.#state;
  }

  #set(patch: Partial<CallState>): void {
    if (this.#state.phase === 'ended' || this.#state.phase === 'failed') return;
    this.#state = { ...this.#state, ...patch };
    this.#onChange(this.#state);
  }

  #refreshParent(): void {
    const { Track } = this.#livekit;
    const callers = [...this.#room.remoteParticipants.values()].filter(isCaller);
    for (const caller of callers) if (!this.#arrived.includes(caller.identity)) this.#arrived.push(caller.identity);
    const order = (identity: string) => this.#arrived.indexOf(identity);
    const parents = callers
      .sort((a, b) => order(a.identity) - order(b.identity))
      .map((caller): ParentPresence => {
        const camera = caller.getTrackPublication(Track.Source.Camera);
        const video = camera?.isSubscribed && !camera.isMuted ? camera.track : undefined;
        return { identity: caller.identity, isPhone: caller.identity.startsWith('phone:'), video };
      });
    this.#set({ parent: parents[0], parents });
  }

  #listen(): void {
    const { RoomEvent, Track } = this.#livekit;
    const room = this.#room;
    const refresh = () => this.#refreshParent();
    room
      .on(RoomEvent.ParticipantConnected, refresh)
      .on(RoomEvent.ParticipantDisconnected, refresh)
      .on(RoomEvent.TrackMuted, refresh)
      .on(RoomEvent.TrackUnmuted, refresh)
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
        if (track.kind === Track.Kind.Audio) this.#audio.append(track.attach());
        refresh();
      })
      .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
        if (track.kind === Track.Kind.Audio) for (const element of track.detach()) element.remove();
        refresh();
      })
      .on(RoomEvent.Reconnecting, () => this.#reconnecting())
      .on(RoomEvent.SignalReconnecting, () => this.#reconnecting())
      .on(RoomEvent.Reconnected, () => this.#reconnected())
      .on(RoomEvent.Disconnected, () => this.#finish('ended'));
  }

  #reconnecting(): void {
    this.#lostAt ??= Date.now();
    this.#set({ phase: 'reconnecting' });
  }

  /**
   * Back in the room. livekit-client resumes the same stay after a short loss; after LiveKit restarted it joins the
   * room again as a new participant (a new id): that is a new stay, which the screen reports with when the old one
   * was lost.
   */
  #reconnected(): void {
    const lostAt = this.#lostAt;
    this.#lostAt = undefined;
    const sid = this.#room.localParticipant.sid;
    if (lostAt !== undefined && this.#participantSid !== undefined && sid !== this.#participantSid) {
      this.#participantSid = sid;
      this.#set({ phase: 'connected', connectedAt: Date.now(), lostAt });
    } else this.#set({ phase: 'connected' });
  }

  /** Connects and publishes; `failed` when the room cannot be reached. */
  async start(): Promise<void> {
    try {
      await this.#room.connect(this.#join.url, this.#join.token);
    } catch {
      this.#finish('failed');
      return;
    }
    this.#participantSid = this.#room.localParticipant.sid;
    this.#set({ phase: 'connected', connectedAt: Date.now() });
    this.#refreshParent();
    await this.#room.startAudio().catch(() => undefined);
    for (const track of this.#tracks) {
      await this.#room.localParticipant.publishTrack(track).catch(() => undefined);
    }
  }

  /** Leaves the call (the red button, or the time is up). */
  async hangUp(): Promise<void> {
    await this.#room.disconnect();
    this.#finish('ended');
  }

  #finish(phase: 'ended' | 'failed'): void {
    if (this.#state.phase === 'ended' || this.#state.phase === 'failed') return;
    for (const track of this.#tracks) track.stop();
    this.#audio.remove();
    this.#state = { ...this.#state, phase };
    this.#onChange(this.#state);
  }
}
