import { ApiError, type Locale, type Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../family-api.ts';
import { zoneName } from '../next-call-text.ts';
import { problemMessage } from '../problems.ts';
import { nextRowFor, rowProblem, rowsOfDay, type WindowRow } from './window-rows.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Most windows the server keeps for one contact. */
const MAX_WINDOWS = 28;

/** What the windows editor needs. */
export interface WindowsEditorProps {
  t: Translate;
  locale: Locale;
  /** The parent's own zone (the windows are in it). */
  zoneLabel: string;
  now: Date;
  onSaved: () => void;
  onBack: () => void;
  onSignedOut: () => void;
}

/**
 * 什么时候方便接电话: the weekly times the parent can usually talk, in their own zone, several a day (a night shift,
 * a lunch break). The school's weekly plan and the slots offered keep to them. A time that ends before it starts is
 * said beside that time, before anything is sent; what the parent typed stays on the screen whatever goes wrong.
 */
export function WindowsEditor({ t, locale, zoneLabel, now, onSaved, onBack, onSignedOut }: WindowsEditorProps) {
  const [rows, setRows] = useState<WindowRow[] | null>(null);
  const [zone, setZone] = useState(zoneLabel);
  const [serverProblems, setServerProblems] = useState<Map<number, string>>(new Map());
  const [showProblems, setShowProblems] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [isSignedOut, setSignedOut] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [nextKey, setNextKey] = useState(1);

  useEffect(() => {
    api
      .call('GET /api/family/availability')
      .then((found) => {
        setZone(found.timeZone);
        setRows(found.windows.map((w, i) => ({ ...w, key: i + 1 })));
        setNextKey(found.windows.length + 1);
      })
      .catch((problem: unknown) => {
        setRows([]);
        if (problem instanceof ApiError && problem.status === 401) setSignedOut(true);
        setError(
          problem instanceof ApiError && problem.status === 401
            ? t('family.book.signed-out')
            : problemMessage(problem, t),
        );
      });
  }, [t]);

  function update(key: number, change: Partial<WindowRow>): void {
    setRows((current) => (current ?? []).map((r) => (r.key === key ? { ...r, ...change } : r)));
    setServerProblems((current) => {
      const next = new Map(current);
      next.delete(key);
      return next;
    });
  }

  function problemOf(row: WindowRow): string | null {
    const own = rowProblem(row);
    if (own === 'order' || (own === 'missing' && showProblems)) {
      return own === 'order' ? t('family.windows.order') : t('family.windows.missing');
    }
    return serverProblems.get(row.key) ?? null;
  }

  async function save(): Promise<void> {
    if (!rows || isBusy) return;
    setShowProblems(true);
    setError(null);
    if (rows.some((r) => rowProblem(r) !== null)) {
      setError(t('family.windows.fix'));
      return;
    }
    setBusy(true);
    const sent = [...rows];
    try {
      await api.call('PUT /api/family/availability', {
        body: { windows: sent.map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime })) },
      });
      onSaved();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 401) {
        setSignedOut(true);
        setError(t('family.book.signed-out'));
      } else if (problem instanceof ApiError && problem.fields.length > 0) {
        const byRow = new Map<number, string>();
        for (const field of problem.fields) {
          const index = Number(/^windows\.(\d+)\./.exec(field.path)?.[1]);
          const row = sent[index];
          if (row) byRow.set(row.key, field.message[locale]);
        }
        setServerProblems(byRow);
        setError(t('family.windows.fix'));
      } else {
        setError(problemMessage(problem, t));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="screen bookings" data-screen="windows">
      <h1>{t('family.windows.title')}</h1>
      <p>{t('family.windows.why', { zone: zoneName(zone, locale, now, t, zone) })}</p>
      <p class="hint">{t('family.windows.night')}</p>
      {rows === null ? <p>{t('family.loading')}</p> : null}
      {rows !== null
        ? WEEKDAYS.map((weekday) => {
            const dayRows = rowsOfDay(rows, weekday);
            const dayName = t(`family.weekday.${weekday}` as 'family.weekday.1');
            return (
              <section class="window-day" key={weekday} data-weekday={weekday}>
                <h2>{dayName}</h2>
                {dayRows.length === 0 ? <p class="hint">{t('family.windows.none')}</p> : null}
                {dayRows.map((row) => {
                  const problem = problemOf(row);
                  const errorId = `window-${row.key}-error`;
                  return (
                    <div class="window-row" key={row.key}>
                      <span class="to">{t('family.windows.from-word')}</span>
                      <input
                        type="time"
                        aria-label={t('family.windows.from', { day: dayName })}
                        value={row.startTime}
                        aria-invalid={problem ? 'true' : undefined}
                        aria-describedby={problem ? errorId : undefined}
                        onInput={(e) => update(row.key, { startTime: (e.currentTarget as HTMLInputElement).value })}
                      />
                      <span class="to">{t('family.windows.to')}</span>
                      <input
                        type="time"
                        aria-label={t('family.windows.until', { day: dayName })}
                        value={row.endTime}
                        aria-invalid={problem ? 'true' : undefined}
                        aria-describedby={problem ? errorId : undefined}
                        onInput={(e) => update(row.key, { endTime: (e.currentTarget as HTMLInputElement).value })}
                      />
                      <button
                        type="button"
                        class="plain"
                        aria-label={t('family.windows.remove-label', {
                          day: dayName,
                          from: row.startTime,
                          to: row.endTime,
                        })}
                        onClick={() => setRows((current) => (current ?? []).filter((r) => r.key !== row.key))}
                      >
                        {t('family.windows.remove')}
                      </button>
                      {problem ? (
                        <p id={errorId} class="error">
                          {problem}
                        </p>
                      ) : null}
                    </div>
                  );
                })}
                <button
                  type="button"
                  class="add"
                  disabled={rows.length >= MAX_WINDOWS}
                  onClick={() => {
                    setRows((current) => [...(current ?? []), nextRowFor(current ?? [], weekday, nextKey)]);
                    setNextKey((k) => k + 1);
                  }}
                >
                  {t('family.windows.add', { day: dayName })}
                </button>
              </section>
            );
          })
        : null}
      {error ? (
        <div class="error-box" role="alert">
          <p class="error">{error}</p>
          {isSignedOut ? (
            <button type="button" class="big" onClick={onSignedOut}>
              {t('family.book.sign-in-again')}
            </button>
          ) : null}
        </div>
      ) : null}
      <button type="button" class="big" disabled={isBusy || rows === null} onClick={() => void save()}>
        {t('family.windows.save')}
      </button>
      <div class="actions">
        <button type="button" class="plain" onClick={onBack}>
          {t('family.call.back')}
        </button>
      </div>
    </main>
  );
}
