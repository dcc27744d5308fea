import { ApiError, type Locale, type Translate, translator } from '@affection/ui';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { BookingsScreenProps } from './bookings/bookings-screen.tsx';
import { type BrowserVerdict, judgeBrowser } from './browser-support.ts';
import type { CallOutcome, CallScreenProps } from './call/call-screen.tsx';
import { api, type CallJoin, type FamilyMe, familyAuthorization } from './family-api.ts';
import { joinNames } from './join-names.ts';
import { useFamilyLive } from './live/use-family-live.ts';
import type { PhonePinScreenProps } from './pin/phone-pin-screen.tsx';
import { problemMessage, waitMinutes } from './problems.ts';
import { EnrolledScreen } from './screens/enrolled-screen.tsx';
import { HomeScreen } from './screens/home-screen.tsx';
import { ProblemScreen } from './screens/problem-screen.tsx';
import { SignInScreen } from './screens/sign-in-screen.tsx';
import { deviceStore } from './storage.ts';

/** The page's base path (Vite's `base`). */
const BASE = '/family/';
const ENROL_PATH = /\/family\/enrol\/([A-Za-z0-9_-]{20,128})\/?$/;

/** The call screen and livekit-client, fetched only when a parent joins a call. */
const loadCallScreen = () => import('./call/call-screen.tsx');

type CallScreenComponent = (props: CallScreenProps) => preact.JSX.Element;

/** The phone PIN screen (电话密码), fetched only when a parent opens it. */
const loadPinScreen = () => import('./pin/phone-pin-screen.tsx');

type PinScreenComponent = (props: PhonePinScreenProps) => preact.JSX.Element;

/** The booking screens (我的通话, 什么时候方便接电话), fetched only when a parent opens them. */
const loadBookingsScreen = () => import('./bookings/bookings-screen.tsx');

type BookingsScreenComponent = (props: BookingsScreenProps) => preact.JSX.Element;

type View =
  | { name: 'loading' }
  | { name: 'sign-in'; notice?: string }
  | { name: 'enrolled'; me: FamilyMe; offsetMs: number }
  | { name: 'home'; me: FamilyMe; offsetMs: number; notice?: string }
  | { name: 'call'; me: FamilyMe; offsetMs: number; join: CallJoin; audioOnly: boolean; Screen: CallScreenComponent }
  | { name: 'pin'; me: FamilyMe; offsetMs: number; Screen: PinScreenComponent }
  | {
      name: 'bookings';
      me: FamilyMe;
      offsetMs: number;
      start: BookingsScreenProps['start'];
      Screen: BookingsScreenComponent;
    }
  | { name: 'problem'; kind: 'link' | 'locked' | 'network' | 'other'; message: string; retry?: () => void };

/** The environment the page reads once: the browser's language, user agent and WebRTC support. */
export interface AppEnvironment {
  locale: Locale;
  userAgent: string;
  browser: BrowserVerdict;
}

/** Reads {@link AppEnvironment} from the running browser. */
export function browserEnvironment(locale: Locale): AppEnvironment {
  const userAgent = navigator.userAgent;
  return { locale, userAgent, browser: judgeBrowser(userAgent, window as Parameters<typeof judgeBrowser>[1]) };
}

function offsetOf(me: FamilyMe): number {
  return Date.parse(me.serverTime) - Date.now();
}

/**
 * The parents' page: signs the phone in (QR link or phone + code), shows the next call and joins it.
 * Every problem gets its own friendly screen saying what to do next.
 */
export function App({ env }: { env: AppEnvironment }) {
  const t: Translate = useMemo(() => translator(env.locale), [env.locale]);
  const [view, setView] = useState<View>({ name: 'loading' });
  const [isJoining, setJoining] = useState(false);

  const showProblem = useCallback(
    (problem: unknown, retry?: () => void) => {
      if (problem instanceof ApiError && problem.status === 429) {
        setView({
          name: 'problem',
          kind: 'locked',
          // The reason's own message says why ("验证码输错太多次了…"); the wait alone otherwise.
          message: problem.reason
            ? problemMessage(problem, t)
            : t('family.locked.wait', { minutes: waitMinutes(problem) }),
        });
      } else if (problem instanceof ApiError && problem.status === 0) {
        setView({ name: 'problem', kind: 'network', message: t('error.family.network'), ...(retry ? { retry } : {}) });
      } else {
        setView({ name: 'problem', kind: 'other', message: problemMessage(problem, t), ...(retry ? { retry } : {}) });
      }
    },
    [t],
  );

  /** Loads the signed-in page; a token that no longer works sends the person to sign in again. */
  const loadHome = useCallback(
    async (notice?: string) => {
      const token = deviceStore.token();
      if (!token) {
        setView({ name: 'sign-in' });
        return;
      }
      try {
        const me = await api.call('GET /api/family/me');
        setView({ name: 'home', me, offsetMs: offsetOf(me), ...(notice ? { notice } : {}) });
      } catch (problem) {
        if (problem instanceof ApiError && problem.status === 401) {
          deviceStore.clear();
          setView({ name: 'sign-in', notice: t('error.family.signed-out') });
        } else {
          showProblem(problem, () => void loadHome(notice));
        }
      }
    },
    [t, showProblem],
  );

  /** Refreshes the page's data in place, keeping the screen when the network hiccups. */
  const refresh = useCallback(async () => {
    const token = deviceStore.token();
    if (!token) return;
    try {
      const me = await api.call('GET /api/family/me');
      setView((current) => (current.name === 'home' ? { ...current, me, offsetMs: offsetOf(me) } : current));
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 401) void loadHome();
    }
  }, [loadHome]);

  useFamilyLive({
    enabled: view.name === 'home',
    shownCallId: view.name === 'home' ? (view.me.nextCall?.bookingId ?? null) : undefined,
    onChange: refresh,
  });

  const enrol = useCallback(
    async (linkToken: string) => {
      // A reload of the link on a phone it already signed in: no new sign-in, unless that one was revoked.
      const current = deviceStore.token();
      if (current && deviceStore.link() === linkToken) {
        try {
          const me = await api.call('GET /api/family/me');
          setView({ name: 'home', me, offsetMs: offsetOf(me) });
          return;
        } catch (problem) {
          if (!(problem instanceof ApiError && problem.status === 401)) {
            showProblem(problem, () => void enrol(linkToken));
            return;
          }
          deviceStore.clear();
        }
      }
      try {
        const { deviceToken } = await api.call('POST /api/family/enrol', {
          body: { token: linkToken },
          anonymous: true,
        });
        // In an app's browser keep the link in the address bar: "open in browser" must carry it along.
        deviceStore.save(deviceToken, linkToken);
        if (env.browser.ok) history.replaceState(null, '', BASE);
        const me = await api.call('GET /api/family/me');
        setView({ name: 'enrolled', me, offsetMs: offsetOf(me) });
      } catch (problem) {
        if (problem instanceof ApiError && problem.status === 401) {
          history.replaceState(null, '', BASE);
          setView({ name: 'problem', kind: 'link', message: problemMessage(problem, t) });
        } else {
          showProblem(problem, () => void enrol(linkToken));
        }
      }
    },
    [env.browser.ok, loadHome, showProblem, t],
  );

  useEffect(() => {
    const link = ENROL_PATH.exec(location.pathname)?.[1];
    if (link) void enrol(link);
    else void loadHome();
  }, []);

  const joinCall = useCallback(
    async (me: FamilyMe, offsetMs: number, audioOnly: boolean) => {
      const token = deviceStore.token();
      const call = me.nextCall;
      if (!token || !call) return;
      setJoining(true);
      try {
        const [join, module] = await Promise.all([
          api.call('POST /api/family/calls/{id}/join', { params: { id: call.bookingId } }),
          loadCallScreen(),
        ]);
        setView({ name: 'call', me, offsetMs, join, audioOnly, Screen: module.CallScreen });
      } catch (problem) {
        if (problem instanceof ApiError && problem.status === 401) void loadHome();
        else setView({ name: 'home', me, offsetMs, notice: problemMessage(problem, t) });
      } finally {
        setJoining(false);
      }
    },
    [loadHome, t],
  );

  const openPin = useCallback(
    async (me: FamilyMe, offsetMs: number) => {
      try {
        const module = await loadPinScreen();
        setView({ name: 'pin', me, offsetMs, Screen: module.PhonePinScreen });
      } catch (problem) {
        // The chunk could not be fetched (weak data): stay on the page and say so.
        setView({ name: 'home', me, offsetMs, notice: problemMessage(problem, t) });
      }
    },
    [t],
  );

  const openBookings = useCallback(
    async (me: FamilyMe, offsetMs: number, start: BookingsScreenProps['start']) => {
      try {
        const module = await loadBookingsScreen();
        setView({ name: 'bookings', me, offsetMs, start, Screen: module.BookingsScreen });
      } catch (problem) {
        // The chunk could not be fetched (weak data): stay on the page and say so.
        setView({ name: 'home', me, offsetMs, notice: problemMessage(problem, t) });
      }
    },
    [t],
  );

  const signOut = useCallback(async () => {
    const token = deviceStore.token();
    deviceStore.clear();
    if (token) {
      await api.call('POST /api/family/sign-out', { authorization: familyAuthorization(token) }).catch(() => undefined);
    }
    setView({ name: 'sign-in', notice: t('family.signed-out') });
  }, [t]);

  const onCallEnd = useCallback(
    (outcome: CallOutcome) => {
      void loadHome(outcome === 'disconnected' ? t('error.family.network') : t('family.call.ended'));
    },
    [loadHome, t],
  );

  switch (view.name) {
    case 'loading':
      return (
        <main class="screen loading" data-screen="loading">
          <p>{t('family.loading')}</p>
        </main>
      );
    case 'sign-in':
      return (
        <SignInScreen
          t={t}
          locale={env.locale}
          notice={view.notice}
          onSignedIn={(deviceToken) => {
            deviceStore.save(deviceToken);
            void loadHome();
          }}
          onThrottled={(problem) => showProblem(problem)}
        />
      );
    case 'enrolled':
      return (
        <EnrolledScreen
          t={t}
          browser={env.browser}
          userAgent={env.userAgent}
          willBeRung={view.me.contact.channel === 'phone' || view.me.contact.phoneFallback}
          onContinue={() => setView({ name: 'home', me: view.me, offsetMs: view.offsetMs })}
        />
      );
    case 'home':
      return (
        <HomeScreen
          me={view.me}
          offsetMs={view.offsetMs}
          t={t}
          locale={env.locale}
          browser={env.browser}
          notice={view.notice}
          isJoining={isJoining}
          onJoin={(audioOnly) => void joinCall(view.me, view.offsetMs, audioOnly)}
          onRefresh={refresh}
          onOpenPin={() => void openPin(view.me, view.offsetMs)}
          onOpenBookings={(start) => void openBookings(view.me, view.offsetMs, start)}
          onSignOut={() => void signOut()}
        />
      );
    case 'call': {
      const names = view.me.nextCall?.childNames ?? view.me.childNames;
      return (
        <view.Screen
          join={view.join}
          audioOnly={view.audioOnly}
          offsetMs={view.offsetMs}
          childNames={names.length > 0 ? joinNames(names, env.locale) : t('family.your-child')}
          t={t}
          onEnd={onCallEnd}
        />
      );
    }
    case 'pin':
      return (
        <view.Screen
          t={t}
          locale={env.locale}
          onBack={() => setView({ name: 'home', me: view.me, offsetMs: view.offsetMs })}
          onSignedOut={() => void loadHome()}
        />
      );
    case 'bookings':
      return (
        <view.Screen
          me={view.me}
          offsetMs={view.offsetMs}
          t={t}
          locale={env.locale}
          start={view.start}
          onBack={() => void loadHome()}
          onSignedOut={() => void loadHome()}
        />
      );
    case 'problem': {
      const title =
        view.kind === 'locked'
          ? t('family.locked.title')
          : view.kind === 'link'
            ? t('family.link.title')
            : view.kind === 'network'
              ? t('family.network.title')
              : t('family.problem.title');
      const toSignIn = { label: t('family.use-phone'), onClick: () => setView({ name: 'sign-in' }) };
      const actions = view.retry
        ? [{ label: t('family.retry'), onClick: view.retry, isMain: true }]
        : view.kind === 'link'
          ? [{ ...toSignIn, isMain: true }]
          : [{ label: t('family.call.back'), onClick: () => void loadHome(), isMain: true }];
      return <ProblemScreen kind={view.kind} title={title} message={view.message} actions={actions} />;
    }
  }
}
