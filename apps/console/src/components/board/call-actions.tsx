import type { ApiError, Locale, MessageKey, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { Field } from '../common/field.tsx';
import { formatInZone } from '../common/zoned-time.tsx';
import type { BoardCall } from './use-live-board.ts';

/** Options of {@link CallActions}. */
export interface CallActionsProps {
  call: BoardCall;
  api: ConsoleApi;
  t: Translate;
  locale: Locale;
  timeZone: string;
  /** Fetches the board again after an action. */
  onDone: () => void;
}

type Open = 'end' | 'done-by-phone' | 'cancel' | null;

/**
 * What a teacher can do with a call right on the board: ring the parent now, end it, 5 more minutes, done by
 * phone (minutes), cancel with a reason (the family is told). Refusals are shown in the teacher's words.
 */
export function CallActions({ call, api, t, locale, timeZone, onDone }: CallActionsProps) {
  const [busy, setBusy] = useState<string | null>(null);
  // Kept as a key or an error, so that the words follow a change of language.
  const [message, setMessage] = useState<{ kind: 'ok'; key: MessageKey } | { kind: 'warn'; error: ApiError } | null>(
    null,
  );
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [phoneDraft, setPhoneDraft, clearPhoneDraft] = useDraft(`board.done-by-phone.${call.bookingId}`, {
    minutes: '',
  });
  const [cancelDraft, setCancelDraft, clearCancelDraft] = useDraft(`board.cancel.${call.bookingId}`, { reason: '' });
  const { bookingId: id, version } = call;

  const run = async (name: string, action: () => Promise<unknown>, okKey: MessageKey): Promise<boolean> => {
    setBusy(name);
    setMessage(null);
    setError(null);
    try {
      await action();
      setMessage({ kind: 'ok', key: okKey });
      onDone();
      return true;
    } catch (caught) {
      const apiError = caught as ApiError;
      setError(apiError);
      if (apiError.fields.length === 0) setMessage({ kind: 'warn', error: apiError });
      return false;
    } finally {
      setBusy(null);
    }
  };

  const ring = () =>
    run(
      'ring',
      () => api.call('POST /api/board/calls/{id}/ring', { params: { id }, body: { version } }),
      'console.board.ring-started',
    );
  const extend = () =>
    run(
      'extend',
      () => api.call('POST /api/board/calls/{id}/extend', { params: { id }, body: { version } }),
      'console.board.extended',
    );
  const end = async () => {
    await run(
      'end',
      () => api.call('POST /api/board/calls/{id}/end', { params: { id }, body: { version } }),
      'console.board.ended',
    );
    setOpen(null);
  };
  const doneByPhone = async (event: Event) => {
    event.preventDefault();
    const minutes = Number(phoneDraft.minutes);
    const ok = await run(
      'done-by-phone',
      () =>
        api.call('POST /api/board/calls/{id}/done-by-phone', {
          params: { id },
          body: { minutes: Number.isFinite(minutes) && phoneDraft.minutes.trim() !== '' ? minutes : -1, version },
        }),
      'console.board.done',
    );
    if (ok) {
      clearPhoneDraft();
      setOpen(null);
    }
  };
  const cancel = async (event: Event) => {
    event.preventDefault();
    const ok = await run(
      'cancel',
      () =>
        api.call('POST /api/bookings/{id}/cancel', { params: { id }, body: { reason: cancelDraft.reason, version } }),
      'console.board.cancelled',
    );
    if (ok) {
      clearCancelDraft();
      setOpen(null);
    }
  };
  const messageText = message ? (message.kind === 'ok' ? t(message.key) : problemText(message.error, t)) : '';
  const { actions } = call;
  const hasAny = actions.ring || actions.end || actions.extend || actions.doneByPhone || actions.cancel;
  if (!hasAny && !message) return null;
  return (
    <div class="call-actions">
      {hasAny && (
        <div class="call-action-buttons">
          {actions.ring && (
            <Button kind={call.waiting ? 'primary' : 'plain'} busy={busy === 'ring'} onClick={ring}>
              {t('console.board.action.ring')}
            </Button>
          )}
          {actions.extend && (
            <Button busy={busy === 'extend'} onClick={extend}>
              {t('console.board.action.extend')}
            </Button>
          )}
          {actions.doneByPhone && (
            <Button busy={busy === 'done-by-phone'} onClick={() => setOpen('done-by-phone')}>
              {t('console.board.action.done-by-phone')}
            </Button>
          )}
          {actions.end && (
            <Button kind="danger" busy={busy === 'end'} onClick={() => setOpen('end')}>
              {t('console.board.action.end')}
            </Button>
          )}
          {actions.cancel && (
            <Button kind="quiet" busy={busy === 'cancel'} onClick={() => setOpen('cancel')}>
              {t('console.board.action.cancel')}
            </Button>
          )}
        </div>
      )}
      {message && !open && <Banner kind={message.kind}>{messageText}</Banner>}
      {open === 'end' && (
        <Dialog
          title={t('console.board.action.end')}
          onClose={() => setOpen(null)}
          closeLabel={t('console.common.close')}
        >
          <p>{t('console.board.end-confirm')}</p>
          <div class="form-actions">
            <Button kind="danger" busy={busy === 'end'} onClick={end}>
              {t('console.board.action.end')}
            </Button>
            <Button onClick={() => setOpen(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
      {open === 'done-by-phone' && (
        <Dialog
          title={t('console.board.done-title')}
          onClose={() => setOpen(null)}
          closeLabel={t('console.common.close')}
        >
          <form onSubmit={doneByPhone} noValidate>
            <Field
              label={t('console.board.done-minutes')}
              type="number"
              inputMode="numeric"
              min={0}
              max={120}
              value={phoneDraft.minutes}
              onValue={(minutes) => setPhoneDraft({ minutes })}
              error={fieldProblem(error, 'minutes', locale)}
              required
            />
            {message?.kind === 'warn' && <Banner kind="warn">{messageText}</Banner>}
            <div class="form-actions">
              <Button kind="primary" submit busy={busy === 'done-by-phone'}>
                {t('console.common.save')}
              </Button>
              <Button onClick={() => setOpen(null)}>{t('console.common.cancel')}</Button>
            </div>
          </form>
        </Dialog>
      )}
      {open === 'cancel' && (
        <Dialog
          title={t('console.board.cancel-title', { time: formatInZone(call.start, timeZone, locale) })}
          onClose={() => setOpen(null)}
          closeLabel={t('console.common.close')}
        >
          <form onSubmit={cancel} noValidate>
            <Field
              label={t('console.board.cancel-reason')}
              multiline
              maxLength={500}
              value={cancelDraft.reason}
              onValue={(reason) => setCancelDraft({ reason })}
              error={fieldProblem(error, 'reason', locale)}
              required
            />
            {message?.kind === 'warn' && <Banner kind="warn">{messageText}</Banner>}
            <div class="form-actions">
              <Button kind="danger" submit busy={busy === 'cancel'}>
                {t('console.board.action.cancel')}
              </Button>
              <Button onClick={() => setOpen(null)}>{t('console.common.cancel')}</Button>
            </div>
          </form>
        </Dialog>
      )}
    </div>
  );
}
