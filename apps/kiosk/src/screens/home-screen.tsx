import type { Locale, Translate } from '@affection/ui';
import { useEffect, useRef } from 'preact/hooks';
import type { KioskCall, KioskCallChild } from '../api/kiosk-api.ts';
import { say } from '../audio/say.ts';
import { ChildAvatar } from '../components/child-avatar.tsx';
import { relationWord } from '../lib/relation-word.ts';
import { type ThisKiosk, whereToGo } from '../lib/this-kiosk.ts';
import { isCallOpen, minutesUntil, opensAt } from '../lib/time-left.ts';

/** Props of {@link HomeScreen}. */
export interface HomeScreenProps {
  t: Translate;
  locale: Locale;
  /** Calls due now or within 30 minutes; undefined until the first answer. */
  calls: KioskCall[] | undefined;
  /** The server's time now (ms). */
  now: number;
  /** The last poll failed: the network is down. */
  offline: boolean;
  /** This kiosk, once the server has said it (a call elsewhere says where to go). */
  thisKiosk: ThisKiosk | undefined;
  onPick: (call: KioskCall, child: KioskCallChild) => void;
}

/** The photo wall: a big tile for each child whose call is due, with who calls and how long to wait. */
export function HomeScreen({ t, locale, calls, now, offline, thisKiosk, onPick }: HomeScreenProps) {
  const tiles = (calls ?? []).flatMap((call) => call.children.map((child) => ({ call, child })));
  const spokenFor = useRef('');
  const tileKey = tiles.map(({ call, child }) => `${call.bookingId}/${child.id}`).join(',');

  useEffect(() => {
    // Say it when new children appear, not at every poll.
    if (tileKey && tileKey !== spokenFor.current) say({ key: 'kiosk.tagline' }, t, locale);
    spokenFor.current = tileKey;
  }, [tileKey, t, locale]);

  return (
    <main class="screen home" data-screen="home">
      <header class="home__header">
        <h1>{t('kiosk.title')}</h1>
        {tiles.length > 0 ? <p class="home__prompt">{t('kiosk.tagline')}</p> : null}
      </header>
      {offline ? (
        <p class="banner" role="status">
          {t('error.kiosk.offline')}
        </p>
      ) : null}
      {calls !== undefined && tiles.length === 0 ? <p class="home__empty">{t('kiosk.home.empty')}</p> : null}
      <div class="tiles">
        {tiles.map(({ call, child }) => {
          const caller = relationWord(t, call.callers[0]?.relation);
          const open = isCallOpen(call.start, call.end, now);
          const where = whereToGo(t, call, thisKiosk);
          return (
            <button
              key={`${call.bookingId}/${child.id}`}
              type="button"
              class={`tile${open ? ' tile--open' : ''}`}
              data-child={child.id}
              onClick={() => onPick(call, child)}
            >
              <ChildAvatar name={child.givenName} colour={child.colour} size={170} photoUrl={child.photoUrl} />
              <span class="tile__name">{child.givenName}</span>
              <span class="tile__caller">{t('kiosk.tile.caller', { caller })}</span>
              <span class="tile__when">
                {open
                  ? t('kiosk.tile.now')
                  : t('kiosk.tile.in-minutes', { minutes: minutesUntil(opensAt(call.start), now) })}
              </span>
              {where ? <span class="tile__where">{where}</span> : null}
            </button>
          );
        })}
      </div>
    </main>
  );
}
