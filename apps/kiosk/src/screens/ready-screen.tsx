import type { Locale, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { KioskCall, KioskCallChild } from '../api/kiosk-api.ts';
import { say } from '../audio/say.ts';
import { ChildAvatar } from '../components/child-avatar.tsx';
import { BackIcon, PhoneIcon } from '../components/icons.tsx';
import { useIdle } from '../lib/hooks.ts';
import { relationWord } from '../lib/relation-word.ts';
import { type ThisKiosk, whereToGo } from '../lib/this-kiosk.ts';
import { isCallOpen, minutesUntil, opensAt } from '../lib/time-left.ts';

/** Props of {@link ReadyScreen}. */
export interface ReadyScreenProps {
  t: Translate;
  locale: Locale;
  call: KioskCall;
  child: KioskCallChild;
  /** The server's time now (ms). */
  now: number;
  /** This kiosk, once the server has said it (a call elsewhere says where to go). */
  thisKiosk: ThisKiosk | undefined;
  onCall: () => Promise<void>;
  onBack: () => void;
}

/** One child, one big green button "给妈妈打电话" once the call is open; until then, how long to wait. */
export function ReadyScreen({ t, locale, call, child, now, thisKiosk, onCall, onBack }: ReadyScreenProps) {
  const [busy, setBusy] = useState(false);
  const relation = call.callers[0]?.relation ?? 'other';
  const caller = relationWord(t, relation);
  const open = isCallOpen(call.start, call.end, now);
  const where = whereToGo(t, call, thisKiosk);
  useIdle(onBack);

  useEffect(() => {
    say(
      open
        ? { key: 'kiosk.ready.spoken', name: child.givenName, caller: relation }
        : { key: 'kiosk.ready.wait', minutes: minutesUntil(opensAt(call.start), now) },
      t,
      locale,
    );
    // Spoken when the screen opens and when the call opens, not every second.
  }, [open, child.givenName, relation, t, locale, call.start]);

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
      <ChildAvatar name={child.givenName} colour={child.colour} size={220} photoUrl={child.photoUrl} />
      <h1 class="ready__name">{child.givenName}</h1>
      {where ? <p class="ready__where">{where}</p> : null}
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
