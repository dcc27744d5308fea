import type { Locale, Translate } from '@affection/ui';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { formatInZone } from '../common/zoned-time.tsx';
import { CallActions } from './call-actions.tsx';
import { CallStateBadge } from './call-state-badge.tsx';
import { ChildFace } from './child-face.tsx';
import type { BoardCall } from './use-live-board.ts';

/** Options of {@link CallCard}. */
export interface CallCardProps {
  call: BoardCall;
  api: ConsoleApi;
  t: Translate;
  locale: Locale;
  timeZone: string;
  onChanged: () => void;
}

/** One call on a kiosk's lane: time, children, contact and channel, live state, and the actions. */
export function CallCard({ call, api, t, locale, timeZone, onChanged }: CallCardProps) {
  const relationKey = `console.relation.${call.contact?.relation ?? 'other'}` as Parameters<Translate>[0];
  const relation = t(relationKey) === relationKey ? (call.contact?.relation ?? '') : t(relationKey);
  return (
    <li
      class={`call-card call-${call.state}${call.waiting ? ' call-waiting' : ''}`}
      data-booking-id={call.bookingId}
      data-state={call.state}
    >
      <div class="call-head">
        <span class="call-time">
          <time dateTime={call.start}>{formatInZone(call.start, timeZone, locale)}</time>–
          <time dateTime={call.end}>{formatInZone(call.end, timeZone, locale)}</time>
        </span>
        <CallStateBadge call={call} t={t} />
      </div>
      <div class="call-people">
        <span class="call-children">
          {call.children.map((child) => (
            <span key={child.id} class="call-child">
              <ChildFace name={child.givenName} photoUrl={child.photoUrl} t={t} />
              <a href={`#/children/${child.id}`}>{child.givenName}</a>
            </span>
          ))}
        </span>
        {call.contact && (
          <span class="call-contact">
            {call.contact.name} · {relation} · {t(`console.board.channel.${call.contact.channel}`)}
          </span>
        )}
      </div>
      <CallActions call={call} api={api} t={t} locale={locale} timeZone={timeZone} onDone={onChanged} />
    </li>
  );
}
