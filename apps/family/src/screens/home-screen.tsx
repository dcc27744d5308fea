import type { Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { BrowserVerdict } from '../browser-support.ts';
import type { FamilyMe } from '../family-api.ts';
import { durationText, nextCallText } from '../next-call-text.ts';
import { deviceStore } from '../storage.ts';
import { InAppNotice } from './in-app-notice.tsx';

/** How often the page re-reads the next call while it stays open: every 2 minutes. */
const REFRESH_MS = 120_000;

/**
 * The main screen: a greeting, the next call in the contact's own zone, and when it is open a big
 * button to join it (video, or "只听声音" for a weak network).
 */
export function HomeScreen({
  me,
  offsetMs,
  t,
  locale,
  browser,
  notice,
  isJoining,
  onJoin,
  onRefresh,
  onOpenPin,
  onOpenBookings,
  onSignOut,
}: {
  me: FamilyMe;
  /** Server time minus this phone's time: the countdown follows the server, not a phone set wrong. */
  offsetMs: number;
  t: Translate;
  locale: Locale;
  browser: BrowserVerdict;
  notice?: string | undefined;
  isJoining: boolean;
  onJoin: (audioOnly: boolean) => void;
  onRefresh: () => void;
  /** Opens 电话密码, the PIN asked when joining a call through the Home's phone number. */
  onOpenPin: () => void;
  /** Opens 我的通话 (book, move, cancel, confirm) or 什么时候方便接电话. */
  onOpenBookings: (start: 'calls' | 'windows') => void;
  onSignOut: () => void;
}) {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  const call = me.nextCall;
  // The choice made when booking the call ("只听声音" to save data), changeable here until joining.
  const [audioOnly, setAudioOnly] = useState(() => (call ? deviceStore.isAudioOnly(call.bookingId) : false));

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now() + offsetMs), 1000);
    const refresh = setInterval(onRefresh, REFRESH_MS);
    return () => {
      clearInterval(tick);
      clearInterval(refresh);
    };
  }, [offsetMs, onRefresh]);

  const opensAt = call ? Date.parse(call.opensAt) : 0;
  const endsAt = call ? Date.parse(call.end) : 0;
  const isOpen = call !== null && now >= opensAt && now < endsAt;
  const hasEnded = call !== null && now >= endsAt;

  useEffect(() => {
    if (hasEnded) onRefresh();
  }, [hasEnded, onRefresh]);

  const willBeRung = me.contact.channel === 'phone' || me.contact.phoneFallback;
  return (
    <main class="screen home" data-screen="home">
      <p class="home-name">{me.home.name}</p>
      {notice ? <p class="notice">{notice}</p> : null}
      {browser.ok ? null : <InAppNotice verdict={browser} t={t} willBeRung={willBeRung} />}
      <h1>{t('family.greeting', { name: me.contact.name })}</h1>
      {call ? (
        <p class="next-call" data-testid="next-call">
          {nextCallText(call, locale, t, me.childNames)}
        </p>
      ) : me.proposalsAwaiting > 0 ? null : (
        <p class="next-call none" data-testid="next-call">
          {t('family.no-call')}
        </p>
      )}
      {call && !isOpen && !hasEnded ? (
        <p class="opens-in">{t('family.opens-in', { time: durationText(opensAt - now, t) })}</p>
      ) : null}
      {call && isOpen ? <p class="open-now">{t('family.open-now')}</p> : null}
      {call && isOpen && browser.ok ? (
        <div class="join">
          <button type="button" class="big join-button" disabled={isJoining} onClick={() => onJoin(audioOnly)}>
            {t('family.join')}
          </button>
          <label class="switch">
            <input
              type="checkbox"
              checked={audioOnly}
              onChange={(e) => setAudioOnly((e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{t('family.audio-only')}</span>
          </label>
          <p class="hint">{t('family.audio-only-hint')}</p>
        </div>
      ) : null}
      {call && me.contact.channel === 'phone' ? <p>{t('family.channel-phone')}</p> : null}
      {call && me.contact.channel === 'video' && me.contact.phoneFallback && browser.ok ? (
        <p class="hint">{t('family.phone-fallback')}</p>
      ) : null}
      {me.proposalsAwaiting > 0 ? (
        <div class="proposals-waiting" data-testid="proposals-waiting">
          <p class="notice">{t('family.book.proposals-waiting', { count: me.proposalsAwaiting })}</p>
          <button type="button" class="big" onClick={() => onOpenBookings('calls')}>
            {t('family.book.proposals-go')}
          </button>
        </div>
      ) : null}
      <button type="button" class="big secondary" onClick={() => onOpenBookings('calls')}>
        {t('family.book.open')}
      </button>
      <button type="button" class="big secondary" onClick={() => onOpenBookings('windows')}>
        {t('family.book.windows-open')}
      </button>
      <div class="actions footer">
        <button type="button" class="plain" onClick={onOpenPin}>
          {t('family.pin.title')}
        </button>
        <button type="button" class="plain" onClick={onSignOut}>
          {t('family.sign-out')}
        </button>
      </div>
    </main>
  );
}
