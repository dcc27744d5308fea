import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import type { BookingStep } from '../calendar/booking-dialog.tsx';
import { partyLabel } from '../calendar/calendar-types.ts';
import { problemText } from '../common/api-problem.ts';
import { Button } from '../common/button.tsx';

/** One proposal of `GET /api/bookings/proposals`. */
export type Proposal =
  ApiResponse<'GET /api/bookings/proposals'>['days'][number]['kiosks'][number]['proposals'][number];

type Key = Parameters<Translate>[0];

/** Options of {@link ProposalItem}. */
export interface ProposalItemProps {
  api: ConsoleApi;
  proposal: Proposal;
  t: Translate;
  locale: Locale;
  /** Called after the proposal was confirmed, with the message to show. */
  onChanged: (message: string) => void;
  /** Opens the proposal on a change: move it, or decline it with a reason. */
  onOpen: (step: BookingStep) => void;
}

/** How long the household has waited, in the teacher's words. */
export function waitWords(proposal: Proposal, t: Translate): string {
  if (proposal.weeksSinceLastCall === null) return t('console.proposals.never-called');
  if (proposal.weeksSinceLastCall === 0) return t('console.proposals.called-this-week');
  return t('console.proposals.weeks-since', { weeks: proposal.weeksSinceLastCall });
}

/** A proposal: when, who, how long since the last call, and confirm / move / decline while it awaits an answer. */
export function ProposalItem({ api, proposal, t, onChanged, onOpen }: ProposalItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const who = partyLabel(proposal.party);
  const waiting = proposal.status === 'proposed';
  const long = proposal.weeksSinceLastCall === null || proposal.weeksSinceLastCall >= 2;
  return (
    <li class={`prop-item prop-${proposal.status}`}>
      <div class="prop-time">
        {proposal.inHomeZone.startTime}–{proposal.inHomeZone.endTime}
      </div>
      <div class="prop-who">
        <strong>{who}</strong>
        <span class="prop-family">
          {proposal.party.householdName}
          {proposal.party.contacts.map((contact) => (
            <span key={contact.id}>
              {' '}
              · {contact.name}（{t(`console.calendar.relation.${contact.relation}` as Key)}，
              {t(`console.calendar.channel.${contact.channel}` as Key)}）
            </span>
          ))}
        </span>
        <span class={`prop-wait${long ? ' prop-wait-long' : ''}`}>{waitWords(proposal, t)}</span>
        {!waiting && (
          <span class="prop-status">
            {t(`console.calendar.status.${proposal.status}` as Key)}
            {proposal.cancelReason ? `：${proposal.cancelReason}` : ''}
          </span>
        )}
        {error && (
          <span class="form-error" role="alert">
            {problemText(error, t)}
          </span>
        )}
      </div>
      {waiting && (
        <div class="prop-actions">
          <Button
            kind="primary"
            busy={busy}
            aria-label={t('console.proposals.confirm-who', { who })}
            onClick={async () => {
              setBusy(true);
              try {
                await api.call('POST /api/bookings/{id}/confirm', {
                  params: { id: proposal.id },
                  body: { version: proposal.version },
                });
                setError(null);
                onChanged(t('console.calendar.confirmed', { who }));
              } catch (problem) {
                setError(problem as ApiError);
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('console.proposals.confirm')}
          </Button>
          <Button aria-label={t('console.proposals.move-who', { who })} onClick={() => onOpen('move')}>
            {t('console.calendar.move')}
          </Button>
          <Button
            kind="quiet"
            aria-label={t('console.proposals.decline-who', { who })}
            onClick={() => onOpen('decline')}
          >
            {t('console.proposals.decline')}
          </Button>
        </div>
      )}
    </li>
  );
}
