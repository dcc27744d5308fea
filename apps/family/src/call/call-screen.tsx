import { callReconnectPolicy, type Translate } from '@affection/ui';
import {
  DisconnectReason,
  type LocalTrackPublication,
  type Participant,
  type RemoteTrack,
  type RemoteTrackPublication,
  Room,
  RoomEvent,
  Track,
  VideoPresets,
} from 'livekit-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CallJoin } from '../family-api.ts';
import { playGoodbyeChime } from './goodbye-chime.ts';
import { PoorConnectionWatch, type Quality } from './poor-connection.ts';

/** How a call screen ended: hung up here, the call's time ran out, or the connection was lost for good. */
export type CallOutcome = 'hung-up' | 'ended' | 'disconnected';

/** When the "say goodbye" cue comes: one minute before the end, as on the kiosk. */
const GOODBYE_BEFORE_END_MS = 60_000;

/** Whose video a remote track is: the child at the kiosk, or another parent of a three-way call. */
function isChild(participant: Participant): boolean {
  return participant.identity.startsWith('kid:');
}

/** Props of {@link CallScreen}. */
export interface CallScreenProps {
  join: CallJoin;
  /** Start without the camera and without the child's video. */
  audioOnly: boolean;
  /** Server time minus this phone's time. */
  offsetMs: number;
  /** The children on the call, ready to show ("小明和小红"). */
  childNames: string;
  t: Translate;
  onEnd: (outcome: CallOutcome) => void;
}

/**
 * The call itself, loaded only when a parent joins (it brings livekit-client): the child's video big,
 * the parent's own small, in a three-way call the other parent's video small beside it, the time left,
 * "只听声音" (which also stops the others' video to save data, and turns on by itself when the connection
 * stays poor), and hang up. One minute before the end it shows and sounds the kiosk's "say goodbye" cue.
 */
export function CallScreen({ join, audioOnly: startAudioOnly, offsetMs, childNames, t, onEnd }: CallScreenProps) {
  const remoteVideo = useRef<HTMLVideoElement>(null);
  const otherParentVideo = useRef<HTMLVideoElement>(null);
  const localVideo = useRef<HTMLVideoElement>(null);
  const audioBox = useRef<HTMLDivElement>(null);
  const roomRef = useRef<Room | null>(null);
  const audioOnlyRef = useRef(startAudioOnly);
  const endedRef = useRef(false);
  const [status, setStatus] = useState<'connecting' | 'connected' | 'reconnecting'>('connecting');
  const [hasOtherSide, setHasOtherSide] = useState(false);
  const [hasRemoteVideo, setHasRemoteVideo] = useState(false);
  const [hasOtherParentVideo, setHasOtherParentVideo] = useState(false);
  const [chime, setChime] = useState<'starting' | 'played' | 'silent' | null>(null);
  const [audioOnly, setAudioOnly] = useState(startAudioOnly);
  const [notice, setNotice] = useState<string | null>(null);
  const [needsAudioTap, setNeedsAudioTap] = useState(false);
  const [remainingMs, setRemainingMs] = useState(() => Date.parse(join.endsAt) - (Date.now() + offsetMs));

  function finish(outcome: CallOutcome): void {
    if (endedRef.current) return;
    endedRef.current = true;
    void roomRef.current?.disconnect();
    onEnd(outcome);
  }

  useEffect(() => {
    const room = new Room({
      adaptiveStream: true,
      dynacast: true,
      reconnectPolicy: callReconnectPolicy,
      videoCaptureDefaults: { resolution: VideoPresets.h360.resolution },
    });
    roomRef.current = room;
    const watch = new PoorConnectionWatch();
    let fallBackTimer: ReturnType<typeof setTimeout> | undefined;

    const countOthers = () => setHasOtherSide(room.remoteParticipants.size > 0);
    const onSubscribed = (track: RemoteTrack, publication: RemoteTrackPublication, participant: Participant) => {
      if (track.kind === Track.Kind.Video) {
        if (audioOnlyRef.current) {
          publication.setSubscribed(false);
          return;
        }
        if (isChild(participant)) {
          if (remoteVideo.current) track.attach(remoteVideo.current);
          setHasRemoteVideo(true);
        } else {
          if (otherParentVideo.current) track.attach(otherParentVideo.current);
          setHasOtherParentVideo(true);
        }
      } else if (track.kind === Track.Kind.Audio) {
        const element = track.attach();
        audioBox.current?.appendChild(element);
      }
    };
    const onUnsubscribed = (track: RemoteTrack, _publication: RemoteTrackPublication, participant: Participant) => {
      for (const element of track.detach()) {
        if (element !== remoteVideo.current && element !== otherParentVideo.current) element.remove();
      }
      if (track.kind !== Track.Kind.Video) return;
      if (isChild(participant)) setHasRemoteVideo(false);
      else setHasOtherParentVideo(false);
    };
    const onLocalPublished = (publication: LocalTrackPublication) => {
      if (publication.source === Track.Source.Camera && localVideo.current)
        publication.track?.attach(localVideo.current);
    };
    const onQuality = (quality: string, participant: Participant) => {
      if (!participant.isLocal) return;
      watch.report(quality as Quality, Date.now());
      clearTimeout(fallBackTimer);
      const wait = watch.msUntilFallBack(Date.now());
      if (wait === null || audioOnlyRef.current) return;
      fallBackTimer = setTimeout(() => {
        if (watch.shouldFallBack(Date.now()) && !audioOnlyRef.current) {
          setAudioOnly(true);
          setNotice(t('family.call.poor-network'));
        }
      }, wait);
    };
    room
      .on(RoomEvent.TrackSubscribed, onSubscribed)
      .on(RoomEvent.TrackUnsubscribed, onUnsubscribed)
      .on(RoomEvent.LocalTrackPublished, onLocalPublished)
      .on(RoomEvent.ParticipantConnected, countOthers)
      .on(RoomEvent.ParticipantDisconnected, countOthers)
      .on(RoomEvent.ConnectionQualityChanged, onQuality)
      .on(RoomEvent.AudioPlaybackStatusChanged, () => setNeedsAudioTap(!room.canPlaybackAudio))
      .on(RoomEvent.Reconnecting, () => setStatus('reconnecting'))
      .on(RoomEvent.Reconnected, () => setStatus('connected'))
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (endedRef.current) return;
        finish(reason === DisconnectReason.ROOM_DELETED ? 'ended' : 'disconnected');
      });

    (async () => {
      try {
        await room.connect(join.url, join.token, { autoSubscribe: true });
      } catch {
        finish('disconnected');
        return;
      }
      setStatus('connected');
      countOthers();
      setNeedsAudioTap(!room.canPlaybackAudio);
      try {
        await room.localParticipant.setMicrophoneEnabled(true);
        if (!audioOnlyRef.current) await room.localParticipant.setCameraEnabled(true);
      } catch {
        setNotice(t('family.call.media-denied'));
      }
    })();

    return () => {
      clearTimeout(fallBackTimer);
      endedRef.current = true;
      room.removeAllListeners();
      void room.disconnect();
    };
  }, []);

  // "只听声音": no camera of ours, and none of the child's video either (saves data both ways).
  useEffect(() => {
    audioOnlyRef.current = audioOnly;
    const room = roomRef.current;
    if (!room || status === 'connecting') return;
    void room.localParticipant.setCameraEnabled(!audioOnly).catch(() => setNotice(t('family.call.media-denied')));
    for (const participant of room.remoteParticipants.values()) {
      for (const publication of participant.videoTrackPublications.values()) publication.setSubscribed(!audioOnly);
    }
  }, [audioOnly, status === 'connecting']);

  useEffect(() => {
    const timer = setInterval(() => {
      const left = Date.parse(join.endsAt) - (Date.now() + offsetMs);
      setRemainingMs(left);
      if (left <= 0) finish('ended');
    }, 1000);
    return () => clearInterval(timer);
  }, [join.endsAt, offsetMs]);

  // The goodbye cue, once: the words stay until the end, the chime plays when they appear.
  const isGoodbye = remainingMs > 0 && remainingMs <= GOODBYE_BEFORE_END_MS;
  useEffect(() => {
    if (!isGoodbye || chime !== null) return;
    setChime('starting');
    void playGoodbyeChime().then((isPlaying) => setChime(isPlaying ? 'played' : 'silent'));
  }, [isGoodbye, chime]);

  const minutesLeft = Math.ceil(remainingMs / 60_000);
  return (
    <main class={`screen call${audioOnly ? ' audio-only' : ''}`} data-screen="call" data-status={status}>
      <div class="stage">
        {/* Muted: the child's voice plays through its own audio element, so that it goes on in audio-only mode. */}
        <video
          ref={remoteVideo}
          class="remote"
          data-testid="remote-video"
          autoPlay
          playsInline
          muted
          hidden={audioOnly || !hasRemoteVideo}
        />
        {audioOnly || !hasRemoteVideo ? <div class="avatar">{childNames}</div> : null}
        {/* The other parent of a three-way call, small at the top; muted like the child's (sound plays apart). */}
        <video
          ref={otherParentVideo}
          class="other-parent"
          data-testid="other-parent-video"
          autoPlay
          playsInline
          muted
          hidden={audioOnly || !hasOtherParentVideo}
        />
        <video ref={localVideo} class="self" autoPlay playsInline muted hidden={audioOnly} />
      </div>
      <p class="remaining" data-testid="remaining">
        {remainingMs >= 60_000
          ? t('family.call.remaining', { minutes: minutesLeft })
          : t('family.call.remaining-seconds', { seconds: Math.max(0, Math.ceil(remainingMs / 1000)) })}
      </p>
      {isGoodbye ? (
        <p class="goodbye" role="status" data-testid="goodbye" data-chime={chime ?? 'pending'}>
          {t('family.call.goodbye', { children: childNames })}
        </p>
      ) : null}
      <p class="call-status" data-testid="call-status">
        {status === 'connecting'
          ? t('family.call.connecting')
          : status === 'reconnecting'
            ? t('family.call.reconnecting')
            : hasOtherSide
              ? ''
              : t('family.call.waiting', { children: childNames })}
      </p>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {needsAudioTap ? (
        <button type="button" class="big" onClick={() => void roomRef.current?.startAudio()}>
          {t('family.call.tap-for-sound')}
        </button>
      ) : null}
      <div class="call-controls">
        <label class="switch">
          <input
            type="checkbox"
            checked={audioOnly}
            onChange={(e) => setAudioOnly((e.currentTarget as HTMLInputElement).checked)}
          />
          <span>{t('family.audio-only')}</span>
        </label>
        <button type="button" class="big hang-up" onClick={() => finish('hung-up')}>
          {t('family.call.hang-up')}
        </button>
      </div>
      <div ref={audioBox} hidden />
    </main>
  );
}
