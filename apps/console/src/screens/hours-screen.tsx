import type { ApiError, Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { type ClosureDraft, ClosureForm } from '../components/hours/closure-form.tsx';
import { ExceptionList } from '../components/hours/exception-list.tsx';
import type {
  OnBookings,
  Opening,
  OpeningException,
  OutsideBooking,
  OutsideResult,
  RuleDraft,
} from '../components/hours/hours-types.ts';
import { OutsideBookingsDialog } from '../components/hours/outside-bookings-dialog.tsx';
import { type SpecialDayDraft, SpecialDayForm } from '../components/hours/special-day-form.tsx';
import { ruleProblem, WeeklyRules } from '../components/hours/weekly-rules.tsx';
import '../components/hours/hours.css';
import { wallClockIn } from '../components/calendar/calendar-time.ts';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** One change of the hours, as the admin made it. */
type Change =
  | { kind: 'rules'; rules: RuleDraft[] }
  | { kind: 'exception'; day: SpecialDayDraft }
  | { kind: 'closure'; closure: ClosureDraft }
  | { kind: 'delete'; exception: OpeningException };

type Section = Change['kind'];

function sortRules(rules: readonly RuleDraft[]): RuleDraft[] {
  return [...rules].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
}

/** The sentence after a saved change: what happened to the calls it left outside the hours. */
function savedWords(t: Translate, result: OutsideResult): string {
  if (result.cancelled.length > 0) return t('console.hours.saved-cancelled', { count: result.cancelled.length });
  if (result.kept.length > 0) return t('console.hours.saved-kept', { count: result.kept.length });
  return t('console.hours.saved');
}

/**
 * 开放时间: the weekly timetable, closed days and special hours. The admin edits them; before a change that removes
 * open time is saved, the booked calls it would leave outside the hours are listed and the admin chooses to cancel
 * them (the families are told by SMS) or keep them. Teachers read the hours.
 */
export default function HoursScreen({ api, me, t, locale }: ScreenProps) {
  const isAdmin = me.role === 'admin';
  const [today, setToday] = useState('');
  const [opening, setOpening] = useState<Opening | null>(null);
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [rulesTouched, setRulesTouched] = useState(false);
  const [showRuleProblems, setShowRuleProblems] = useState(false);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [reloads, setReloads] = useState(0);
  const [busy, setBusy] = useState<Section | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [errors, setErrors] = useState<Partial<Record<Section, ApiError>>>({});
  const [message, setMessage] = useState('');
  const [pending, setPending] = useState<{ change: Change; bookings: OutsideBooking[] } | null>(null);
  const [choosing, setChoosing] = useState<OnBookings | null>(null);
  const [dialogProblem, setDialogProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<Record<Section, number>>({ rules: 0, exception: 0, closure: 0, delete: 0 });

  useEffect(() => {
    const controller = new AbortController();
    const load = async () => {
      try {
        const home = await api.call('GET /api/home', { signal: controller.signal });
        const day = wallClockIn(new Date(), home.timeZone).date;
        const answer = await api.call('GET /api/opening', { query: { from: day }, signal: controller.signal });
        setToday(day);
        setOpening(answer);
        setRules(answer.rules.map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime })));
        setRulesTouched(false);
        setLoadError(null);
      } catch (problem) {
        if (!controller.signal.aborted) setLoadError(problem as ApiError);
      }
    };
    void load();
    const stop = connection.onRetry(() => void load());
    return () => {
      stop();
      controller.abort();
    };
  }, [api, reloads]);

  // A message was written in the language it was made in: another language drops it.
  useEffect(() => setMessage(''), [locale]);

  const previewBody = (change: Change) => {
    switch (change.kind) {
      case 'rules':
        return { change: 'rules' as const, rules: change.rules };
      case 'exception': {
        const { date, closed, startTime, endTime, note } = change.day;
        return closed
          ? { change: 'exception' as const, date, closed, note: note || null }
          : { change: 'exception' as const, date, closed, startTime, endTime, note: note || null };
      }
      case 'closure':
        return { change: 'closure' as const, ...change.closure, note: change.closure.note || null };
      case 'delete':
        return { change: 'delete-exception' as const, id: change.exception.id };
    }
  };

  const save = async (change: Change, onBookings?: OnBookings): Promise<OutsideResult> => {
    const { change: _kind, ...body } = previewBody(change) as Record<string, unknown>;
    switch (change.kind) {
      case 'rules':
        return (await api.call('PUT /api/opening/rules', { query: { onBookings }, body: change.rules })).bookings;
      case 'exception':
        return (
          await api.call('POST /api/opening/exceptions', {
            body: { ...(body as { date: string; closed: boolean }), onBookings },
          })
        ).bookings;
      case 'closure':
        return (
          await api.call('POST /api/opening/closures', {
            body: { ...(body as { from: string; to: string }), onBookings },
          })
        ).bookings;
      case 'delete':
        return (
          await api.call('DELETE /api/opening/exceptions/{id}', {
            params: { id: change.exception.id },
            query: { onBookings },
          })
        ).bookings;
    }
  };

  const finish = (change: Change, result: OutsideResult) => {
    setSaved((counts) => ({ ...counts, [change.kind]: counts[change.kind] + 1 }));
    setMessage(savedWords(t, result));
    setPending(null);
    setErrors({});
    setReloads((n) => n + 1);
  };

  /** Looks at the calls the change would leave outside first; saves at once when there are none. */
  const run = async (change: Change): Promise<void> => {
    setBusy(change.kind);
    if (change.kind === 'delete') setBusyId(change.exception.id);
    setMessage('');
    setErrors({});
    try {
      const preview = await api.call('POST /api/opening/preview', { body: previewBody(change) });
      if (preview.bookings.length > 0) {
        setDialogProblem(null);
        setPending({ change, bookings: preview.bookings });
        return;
      }
      finish(change, await save(change));
    } catch (problem) {
      const error = problem as ApiError;
      // Calls were booked in between: show them now and ask.
      if (error.reason === 'bookings-affected' && Array.isArray(error.details.bookings)) {
        setDialogProblem(null);
        setPending({ change, bookings: error.details.bookings as OutsideBooking[] });
        return;
      }
      setErrors({ [change.kind]: error });
    } finally {
      setBusy(null);
      setBusyId(null);
    }
  };

  const choose = async (choice: OnBookings) => {
    if (!pending) return;
    setChoosing(choice);
    try {
      finish(pending.change, await save(pending.change, choice));
    } catch (problem) {
      setDialogProblem(problemText(problem as ApiError, t, 'error.opening'));
    } finally {
      setChoosing(null);
    }
  };

  const saveRules = () => {
    setShowRuleProblems(true);
    if (rules.some((_, i) => ruleProblem(rules, i))) return;
    void run({ kind: 'rules', rules: sortRules(rules) });
  };

  const rulesError = errors.rules;
  const ruleServerProblem = (index: number) => {
    const problem = rulesError?.fields.find((f) => new RegExp(`^(rules\\.)?${index}\\.`).test(f.path));
    return problem?.message[locale];
  };

  return (
    <div class="screen hours-screen">
      <h1>{t('console.nav.hours')}</h1>
      <p>{isAdmin ? t('console.hours.intro') : t('console.hours.intro-teacher')}</p>
      {message && <Banner kind="ok">{message}</Banner>}
      {loadError && (
        <Banner kind="warn">
          <span>{problemText(loadError, t)}</span>
          <Button onClick={() => setReloads((n) => n + 1)}>{t('console.hours.reload')}</Button>
        </Banner>
      )}
      {opening && (
        <>
          <section class="card hours-card" aria-labelledby="hours-week">
            <h2 id="hours-week">{t('console.hours.week-title')}</h2>
            <p class="hours-muted">{t('console.hours.week-hint', { zone: opening.timeZone })}</p>
            <WeeklyRules
              rules={rules}
              t={t}
              showProblems={showRuleProblems}
              serverProblem={ruleServerProblem}
              {...(isAdmin
                ? {
                    onRules: (next: RuleDraft[]) => {
                      setRules(next);
                      setRulesTouched(true);
                    },
                  }
                : {})}
            />
            {rulesError && rulesError.fields.length === 0 && (
              <p class="form-error" role="alert">
                {problemText(rulesError, t, 'error.opening')}
              </p>
            )}
            {isAdmin && (
              <div class="form-actions">
                <Button kind="primary" busy={busy === 'rules'} disabled={!rulesTouched} onClick={saveRules}>
                  {t('console.hours.week-save')}
                </Button>
                {rulesTouched && (
                  <Button kind="quiet" onClick={() => setReloads((n) => n + 1)}>
                    {t('console.hours.week-undo')}
                  </Button>
                )}
              </div>
            )}
          </section>

          {isAdmin && (
            <section class="card hours-card" aria-labelledby="hours-closure">
              <h2 id="hours-closure">{t('console.hours.closure-title')}</h2>
              <p class="hours-muted">{t('console.hours.closure-hint')}</p>
              <ClosureForm
                t={t}
                locale={locale}
                today={today}
                busy={busy === 'closure'}
                savedCount={saved.closure}
                error={errors.closure ?? null}
                onSubmit={(closure) => void run({ kind: 'closure', closure })}
              />
              {errors.closure && errors.closure.fields.length === 0 && (
                <p class="form-error" role="alert">
                  {problemText(errors.closure, t, 'error.opening')}
                </p>
              )}
            </section>
          )}

          {isAdmin && (
            <section class="card hours-card" aria-labelledby="hours-special">
              <h2 id="hours-special">{t('console.hours.special-title')}</h2>
              <p class="hours-muted">{t('console.hours.special-hint')}</p>
              <SpecialDayForm
                t={t}
                locale={locale}
                today={today}
                busy={busy === 'exception'}
                savedCount={saved.exception}
                error={errors.exception ?? null}
                onSubmit={(day) => void run({ kind: 'exception', day })}
              />
              {errors.exception && errors.exception.fields.length === 0 && (
                <p class="form-error" role="alert">
                  {problemText(errors.exception, t, 'error.opening')}
                </p>
              )}
            </section>
          )}

          <section class="card hours-card" aria-labelledby="hours-dates">
            <h2 id="hours-dates">{t('console.hours.dates-title')}</h2>
            {errors.delete && (
              <p class="form-error" role="alert">
                {problemText(errors.delete, t, 'error.opening')}
              </p>
            )}
            <ExceptionList
              exceptions={opening.exceptions}
              t={t}
              locale={locale}
              busyId={busyId}
              {...(isAdmin
                ? { onDelete: (exception: OpeningException) => void run({ kind: 'delete', exception }) }
                : {})}
            />
          </section>
        </>
      )}
      {pending && (
        <OutsideBookingsDialog
          bookings={pending.bookings}
          t={t}
          locale={locale}
          busy={choosing}
          problem={dialogProblem}
          onChoose={(choice) => void choose(choice)}
          onBack={() => setPending(null)}
        />
      )}
      {!opening && !loadError && <p class="loading">{t('console.hours.loading')}</p>}
    </div>
  );
}
