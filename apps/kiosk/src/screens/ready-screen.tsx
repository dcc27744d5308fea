import type { Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { KioskCall, KioskCallChild } from '../api/kiosk-api.ts';
import { ChildAvatar } from '../components/child-avatar.tsx';
import { BackIcon, PhoneIcon } from '../components/icons.tsx';
import { useIdle } from '../lib/hooks.ts';
import { relationWord } from '../lib/relation-word.ts';
import { speak } from '../lib/speak.ts';
import { isCallOpen, minutesUntil, opensAt } from '../lib/time-left.ts';

/** Props of {@link ReadyScreen}. */
export interface ReadyScreenProps {
  t: Translate;
  locale: Locale;
  call: KioskCall;
  child: KioskCallChild;
  /** The server's time now (ms). */
  now: number;
  onCall: () => Promise<void>;
  onBack: () => void;
}

/** One child, one big green button "给妈妈打电话" once the call is open; until then, how long to wait. */
export function ReadyScreen({ t, locale, call, child, now, onCall, onBack }: ReadyScreenProps) {
  const [busy, setBusy] = useState(false);
  const caller = relationWord(t, call.callers[0]?.relation);
  const open = isCallOpen(call.start, call.end, now);
  useIdle(onBack);

  useEffect(() => {
    speak(
      open
        ? t('kiosk.ready.spoken', { name: child.givenName, caller })
        : t('kiosk.ready.wait', { minutes: minutesUntil(opensAt(call.start), now) }),
      locale,
    );
    // Spoken when the screen opens and when the call opens, not every second.
  }, [open, child.givenName, caller, t, locale, call.start]);

  const press = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await onCall();
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="screen ready" data-screen="ready">
      <button type="button" class="back-button" onClick={onBack} aria-label={t('kiosk.back')}>
        <BackIcon />
        <span>{t('kiosk.back')}</span>
      </button>
      <ChildAvatar name={child.givenName} colour={child.colour} size={220} />
      <h1 class="ready__name">{child.givenName}</h1>
      {call.kiosk.isThisKiosk ? null : (
        <p class="ready__where">{t('kiosk.tile.other-kiosk', { kiosk: call.kiosk.name })}</p>
      )}
      {open ? (
        <button type="button" class="call-button" onClick={press} disabled={busy}>
          <PhoneIcon size={72} />
          <span>{busy ? t('kiosk.ready.joining') : t('kiosk.ready.call', { caller })}</span>
        </button>
      ) : (
        <p class="ready__wait" role="status">
          {t('kiosk.ready.wait', { minutes: minutesUntil(opensAt(call.start), now) })}
        </p>
      )}
    </main>
  );
}
