import { ApiError, type Locale, translator } from '@affection/ui';
import type { LocalTrack } from 'livekit-client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { clearDeviceToken, readDeviceToken, saveDeviceToken, wasSignedOut } from './api/device-token.ts';
import { createKioskApi, type KioskCall, type KioskCallChild, type KioskCallJoin } from './api/kiosk-api.ts';
import { type CallProblem, type Livekit, startCall } from './call/start-call.ts';
import { KioskCorner } from './components/kiosk-corner.tsx';
import { useServerNow } from './lib/hooks.ts';
import { useThisKiosk } from './lib/this-kiosk.ts';

import { CallScreen } from './screens/call-screen.tsx';
import { EnrolScreen } from './screens/enrol-screen.tsx';
import { HomeScreen } from './screens/home-screen.tsx';
import { MoodScreen } from './screens/mood-screen.tsx';
import { NoParentScreen } from './screens/no-parent-screen.tsx';
import { ProblemScreen } from './screens/problem-screen.tsx';
import { ReadyScreen } from './screens/ready-screen.tsx';

/** How often the photo wall asks what is due (15 s). */
export const POLL_INTERVAL_MS = 15_000;

type Screen =
  | { name: 'enrol'; revoked: boolean }
  | { name: 'home' }
  | { name: 'ready'; call: KioskCall; child: KioskCallChild }
  | {
      name: 'call';
      call: KioskCall;
      child: KioskCallChild;
      livekit: Livekit;
      join: KioskCallJoin;
      tracks: LocalTrack[];
    }
  | { name: 'mood'; call: KioskCall; child: KioskCallChild }
  | { name: 'no-parent'; call: KioskCall }
  | { name: 'problem'; problem: CallProblem };

/** The kiosk: enrolment, the photo wall, the call and the mood faces, one screen at a time; its name in a corner. */
export function App({ locale }: { locale: Locale }) {
  const t = useMemo(() => translator(locale), [locale]);
  const [screen, setScreen] = useState<Screen>(() =>
    readDeviceToken() ? { name: 'home' } : { name: 'enrol', revoked: wasSignedOut() },
  );
  const [calls, setCalls] = useState<KioskCall[] | undefined>(undefined);
  const [offline, setOffline] = useState(false);
  const [skewMs, setSkewMs] = useState(0);
  const now = useServerNow(skewMs);
  const joinedAt = useRef<string | undefined>(undefined);

  const api = useMemo(
    () =>
      createKioskApi({
        token: readDeviceToken,
        onUnauthorized: () => {
          // The server no longer knows this kiosk (revoked or re-coded): back to enrolment, saying why.
          clearDeviceToken();
          setCalls(undefined);
          setScreen({ name: 'enrol', revoked: true });
        },
      }),
    [],
  );
  // Every screen but enrolment is shown by a kiosk that holds a device token.
  const thisKiosk = useThisKiosk(api, screen.name !== 'enrol');
  const goHome = useCallback(() => setScreen({ name: 'home' }), []);
  const serverIso = (kioskMs: number) => new Date(kioskMs + skewMs).toISOString();

  const polling = screen.name === 'home' || screen.name === 'ready';
  useEffect(() => {
    if (!polling) return;
    let stopped = false;
    const poll = async () => {
      try {
        const asked = Date.now();
        const list = await api.call('GET /api/kiosk/calls');
        if (stopped) return;
        // The server's clock decides when calls open; half the round trip is the best guess of the delay.
        setSkewMs(new Date(list.now).getTime() - (asked + Date.now()) / 2);
        setCalls(list.calls);
        setOffline(false);
      } catch (error) {
        if (!stopped && error instanceof ApiError && error.status !== 401) setOffline(true);
      }
    };
    void poll();
    const timer = setInterval(poll, POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [polling, api]);

  const shown = (() => {
    switch (screen.name) {
      case 'enrol':
        return (
          <EnrolScreen
            t={t}
            locale={locale}
            api={api}
            revoked={screen.revoked}
            onEnrolled={(token) => {
              saveDeviceToken(token);
              setScreen({ name: 'home' });
            }}
          />
        );
      case 'home':
        return (
          <HomeScreen
            t={t}
            locale={locale}
            calls={calls}
            now={now}
            offline={offline}
            thisKiosk={thisKiosk}
            onPick={(call, child) => setScreen({ name: 'ready', call, child })}
          />
        );
      case 'ready': {
        // A fresher copy of the call after a poll (it may have been moved or cancelled meanwhile).
        const call = calls?.find((c) => c.bookingId === screen.call.bookingId) ?? screen.call;
        return (
          <ReadyScreen
            t={t}
            locale={locale}
            call={call}
            child={screen.child}
            now={now}
            thisKiosk={thisKiosk}
            onBack={goHome}
            onCall={async () => {
              const started = await startCall(api, call.bookingId, screen.child.id);
              if (started.ok) setScreen({ name: 'call', call, child: screen.child, ...started });
              else if (started.problem !== 'signed-out') setScreen({ name: 'problem', problem: started.problem });
            }}
          />
        );
      }
      case 'call':
        return (
          <CallScreen
            t={t}
            locale={locale}
            call={screen.call}
            child={screen.child}
            livekit={screen.livekit}
            join={screen.join}
            tracks={screen.tracks}
            now={now}
            onConnected={(at, lostAt) => {
              // A rejoin (LiveKit restarted): the previous stay ended when the room was lost, and a new one begins.
              if (lostAt !== undefined && joinedAt.current) {
                void api
                  .call('POST /api/kiosk/calls/{id}/report', {
                    params: { id: screen.call.bookingId },
                    body: { childId: screen.child.id, joinedAt: joinedAt.current, leftAt: serverIso(lostAt) },
                    keepalive: true,
                  })
                  .catch(() => undefined);
              }
              joinedAt.current = serverIso(at);
              void api
                .call('POST /api/kiosk/calls/{id}/report', {
                  params: { id: screen.call.bookingId },
                  body: { childId: screen.child.id, joinedAt: joinedAt.current },
                  keepalive: true,
                })
                .catch(() => undefined);
            }}
            onEnd={({ connectedAt, endedAt, failed, parentCame, endedHere }) => {
              if (connectedAt === undefined || !joinedAt.current) {
                // Hung up while still connecting: nothing happened, back to the photos.
                setScreen(failed ? { name: 'problem', problem: 'failed' } : { name: 'home' });
                return;
              }
              void api
                .call('POST /api/kiosk/calls/{id}/report', {
                  params: { id: screen.call.bookingId },
                  body: { childId: screen.child.id, joinedAt: joinedAt.current, leftAt: serverIso(endedAt) },
                  keepalive: true,
                })
                .catch(() => undefined);
              joinedAt.current = undefined;
              // The parent never came and the room was closed for the kiosk (the Home's waiting limit, or the teacher
              // ended it): say so kindly, then the photos.
              if (!failed && !parentCame && !endedHere) setScreen({ name: 'no-parent', call: screen.call });
              else setScreen({ name: 'mood', call: screen.call, child: screen.child });
            }}
          />
        );
      case 'mood':
        return (
          <MoodScreen
            t={t}
            locale={locale}
            childrenOnCall={[screen.child, ...screen.call.children.filter((c) => c.id !== screen.child.id)]}
            onMood={async (child, mood) => {
              await api
                .call('POST /api/kiosk/calls/{id}/mood', {
                  params: { id: screen.call.bookingId },
                  body: { childId: child.id, mood },
                })
                .catch(() => undefined);
            }}
            onDone={goHome}
          />
        );
      case 'no-parent':
        return <NoParentScreen t={t} locale={locale} call={screen.call} onDone={goHome} />;
      case 'problem':
        return <ProblemScreen t={t} locale={locale} problem={screen.problem} onBack={goHome} />;
    }
  })();
  return (
    <>
      {shown}
      <KioskCorner t={t} kioskName={screen.name === 'enrol' ? undefined : thisKiosk?.name} />
    </>
  );
}
