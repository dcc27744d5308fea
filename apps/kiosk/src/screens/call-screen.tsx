import type { Locale, Translate } from '@affection/ui';
import type { LocalTrack } from 'livekit-client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { KioskCall, KioskCallChild, KioskCallJoin } from '../api/kiosk-api.ts';
import { startedAudio } from '../audio/kiosk-audio.ts';
import { say, stopSaying } from '../audio/say.ts';
import { CallSession, type CallState } from '../call/call-session.ts';
import { ParentTile } from '../call/parent-tile.tsx';
import type { Livekit } from '../call/start-call.ts';
import { HangUpIcon } from '../components/icons.tsx';
import { TimeRing } from '../components/time-ring.tsx';
import { playChime } from '../lib/chime.ts';
import { relationWord } from '../lib/relation-word.ts';
import { fractionLeft, minutesUntil } from '../lib/time-left.ts';

/** Props of {@link CallScreen}. */
export interface CallScreenProps {
  t: Translate;
  locale: Locale;
  call: KioskCall;
  child: KioskCallChild;
  livekit: Livekit;
  join: KioskCallJoin;
  tracks: LocalTrack[];
  /** The server's time now (ms). */
  now: number;
  /**
   * The kiosk is in the room (kiosk clock, ms); again after a rejoin (LiveKit restarted), with `lostAt`, when the
   * previous stay was lost.
   */
  onConnected: (at: number, lostAt?: number) => void;
  /** The call is over: `connectedAt` is undefined when it never connected. */
  /**
   * `parentCame`: whether a parent (or a phone) was in the room at any time of the call; `endedHere`: the kiosk left
   * (the child hung up, or the slot ran out) rather than the room being closed by the server.
   */
  onEnd: (outcome: {
    connectedAt: number | undefined;
    endedAt: number;
    failed: boolean;
    parentCame: boolean;
    endedHere: boolean;
  }) => void;
}

const CHIME_BEFORE_END_MS = 60_000;

/** The call: the parent large, the child small, a ring of time left, a big red button to hang up. */
export function CallScreen({
  t,
  locale,
  call,
  child,
  livekit,
  join,
  tracks,
  now,
  onConnected,
  onEnd,
}: CallScreenProps) {
  const [state, setState] = useState<CallState>({
    phase: 'connecting',
    parent: undefined,
    parents: [],
    connectedAt: undefined,
  });
  const session = useRef<CallSession | undefined>(undefined);
  const localVideo = useRef<HTMLVideoElement>(null);
  const [warned, setWarned] = useState(false);
  const relation = call.callers[0]?.relation ?? 'other';
  const caller = relationWord(t, relation);
  const isPhoneCaller = call.callers[0]?.channel === 'phone';
  const [first, second] = call.callers;
  // A three-way call with both parents in: the goodbye names both (跟妈妈和爸爸说再见吧).
  const bothCallers =
    first && second
      ? t('kiosk.call.two-callers', {
          first: relationWord(t, first.relation),
          second: relationWord(t, second.relation),
        })
      : caller;
  const msLeft = new Date(join.endsAt).getTime() - now;

  useEffect(() => {
    stopSaying();
    const created = new CallSession(livekit, join, tracks, setState);
    session.current = created;
    const ownVideo = created.localVideo;
    if (ownVideo && localVideo.current) ownVideo.attach(localVideo.current);
    void created.start();
    return () => {
      void created.hangUp();
    };
  }, [livekit, join, tracks]);

  const parentVideo = state.parent?.video;
  const parentCame = useRef(false);
  if (state.parent) parentCame.current = true;
  const endedHere = useRef(false);
  const hangUp = () => {
    endedHere.current = true;
    void session.current?.hangUp();
  };

  const { phase, connectedAt } = state;
  useEffect(() => {
    if (connectedAt !== undefined) onConnected(connectedAt, state.lostAt);
    // Reported when the kiosk gets in, and again when it rejoins.
  }, [connectedAt]);
  useEffect(() => {
    if (phase === 'ended' || phase === 'failed')
      onEnd({
        connectedAt,
        endedAt: Date.now(),
        failed: phase === 'failed',
        parentCame: parentCame.current,
        endedHere: endedHere.current,
      });
    // Ended once.
  }, [phase]);

  const waiting = phase === 'connected' && !state.parent;
  useEffect(() => {
    if (waiting) say({ key: 'kiosk.call.waiting', caller: relation }, t, locale);
  }, [waiting, t, relation, locale]);
  useEffect(() => {
    if (phase === 'reconnecting') say({ key: 'kiosk.call.reconnecting' }, t, locale);
  }, [phase, t, locale]);

  useEffect(() => {
    if (phase === 'ended' || phase === 'failed') return;
    if (msLeft <= 0) hangUp();
    else if (msLeft <= CHIME_BEFORE_END_MS && !warned) {
      setWarned(true);
      // Without sound (no device, or never started) the ring and the words still warn of the end.
      const audio = startedAudio();
      if (audio) playChime(audio);
    }
  }, [msLeft, warned, phase]);

  const parentShown = state.parent ? (parentVideo ? 'video' : 'audio') : 'waiting';
  return (
    <main
      class="screen call"
      data-screen="call"
      data-phase={phase}
      data-parent={parentShown}
      data-parents={state.parents.length}
    >
      <div class="call__stage">
        {state.parents.length > 0 ? (
          <div class="call__parents" data-count={Math.min(2, state.parents.length)}>
            {state.parents.slice(0, 2).map((parent, index) => (
              <ParentTile
                key={parent.identity}
                video={parent.video}
                // With one caller the kiosk knows who it is; two side by side are both family the child sees.
                caller={state.parents.length === 1 ? caller : undefined}
                testId={index === 0 ? 'remote-video' : 'remote-video-2'}
                note={
                  state.parents.length === 1 && (parent.isPhone || isPhoneCaller)
                    ? t('kiosk.call.on-phone', { caller })
                    : undefined
                }
              />
            ))}
          </div>
        ) : null}
        {parentShown === 'waiting' && phase !== 'reconnecting' ? (
          <p class="call__waiting" role="status">
            {phase === 'connecting' ? t('kiosk.ready.joining') : t('kiosk.call.waiting', { caller })}
          </p>
        ) : null}
      </div>
      <video ref={localVideo} class="call__self" autoplay muted playsInline aria-label={child.givenName} />
      <div class="call__ring">
        <TimeRing
          fraction={fractionLeft(call.start, join.endsAt, now)}
          minutes={minutesUntil(join.endsAt, now)}
          unit={t('kiosk.call.minutes')}
          label={t('kiosk.call.minutes-left', { minutes: minutesUntil(join.endsAt, now) })}
          warn={warned}
        />
      </div>
      {warned ? (
        <p class="call__warning" role="status">
          {t('kiosk.call.one-minute', { caller: state.parents.length >= 2 ? bothCallers : caller })}
        </p>
      ) : null}
      {phase === 'reconnecting' ? (
        <p class="banner call__banner" role="alert">
          {t('kiosk.call.reconnecting')}
        </p>
      ) : null}
      <button type="button" class="hang-up" onClick={hangUp}>
        <HangUpIcon size={72} />
        <span>{t('kiosk.call.hang-up')}</span>
      </button>
    </main>
  );
}
