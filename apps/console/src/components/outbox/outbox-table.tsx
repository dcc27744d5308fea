import { isMessageKey, type Locale, type Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import type { OutboxMessage } from './outbox-types.ts';

/** Options of {@link OutboxTable}. */
export interface OutboxTableProps {
  t: Translate;
  locale: Locale;
  zone: string;
  messages: readonly OutboxMessage[];
  /** Shows only the messages of this booking. */
  onOnlyBooking: (bookingId: string) => void;
}

/** The call a message is about: its children and start, in the Home's zone. */
export function callText(t: Translate, locale: Locale, zone: string, booking: NonNullable<OutboxMessage['booking']>) {
  return t('console.outbox.call-at', {
    children: booking.children.map((child) => child.name).join('、') || '—',
    when: formatInZone(booking.start, zone, locale, 'date-time'),
  });
}

/** Why a message is held, dropped or failed: our own reasons in words (a provider's limit per number), others by code. */
export function reasonText(t: Translate, code: string): string {
  const key = `console.outbox.reason.${code}`;
  return isMessageKey(key) ? t(key) : t('console.outbox.reason', { code });
}

/**
 * The messages, newest first: when (or when due), to whom (masked), the text as the server gives it
 * (a parent's sign-in code masked), the stage with the provider's reason, and the call it is about.
 */
export function OutboxTable({ t, locale, zone, messages, onOnlyBooking }: OutboxTableProps) {
  return (
    <div class="outbox-scroll">
      <table class="outbox-table">
        <thead>
          <tr>
            <th scope="col">{t('console.outbox.col-time')}</th>
            <th scope="col">{t('console.outbox.col-to')}</th>
            <th scope="col">{t('console.outbox.col-text')}</th>
            <th scope="col">{t('console.outbox.col-stage')}</th>
            <th scope="col">{t('console.outbox.col-call')}</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((message) => (
            <tr key={message.id} data-message={message.id} data-stage={message.stage}>
              <td class="outbox-time">
                {message.stage === 'queued' ? (
                  t('console.outbox.due', { when: formatInZone(message.dueAt, zone, locale, 'date-time') })
                ) : (
                  <time dateTime={message.sentAt ?? message.createdAt}>
                    {formatInZone(message.sentAt ?? message.createdAt, zone, locale, 'date-time')}
                  </time>
                )}
              </td>
              <td class="masked-phone">{message.toPhoneMasked}</td>
              <td class="outbox-text">{message.body}</td>
              <td>
                <span class={`stage stage-${message.stage}`}>{t(`console.outbox.stage.${message.stage}`)}</span>
                {message.errorCode && message.stage !== 'expired' && (
                  <div class="outbox-reason">{reasonText(t, message.errorCode)}</div>
                )}
              </td>
              <td>
                {message.booking ? (
                  <div class="outbox-call">
                    <span>{callText(t, locale, zone, message.booking)}</span>
                    <Button kind="quiet" onClick={() => onOnlyBooking(message.booking?.id ?? '')}>
                      {t('console.outbox.only-this-call')}
                    </Button>
                  </div>
                ) : (
                  <span class="muted">{t('console.outbox.no-call')}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
