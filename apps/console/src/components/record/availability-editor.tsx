import type { ApiError, Locale, Translate } from '@affection/ui';
import { useEffect, useId, useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { useDraft } from '../../shell/drafts.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import type { AvailabilityWindow } from './record-types.ts';
import { windowInZone } from './window-in-zone.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** Options of {@link AvailabilityEditor}. */
export interface AvailabilityEditorProps {
  api: ConsoleApi;
  contactId: string;
  /** The Home's zone: each window also shows when it falls there, if the contact lives elsewhere. */
  homeZone: string;
  t: Translate;
  locale: Locale;
}

function WindowRow({
  index,
  window,
  onChange,
  onRemove,
  error,
  t,
  locale,
  here,
}: {
  index: number;
  /** The window in the Home's zone when the contact lives in another one. */
  here: AvailabilityWindow | null;
  window: AvailabilityWindow;
  onChange: (next: AvailabilityWindow) => void;
  onRemove: () => void;
  error: ApiError | null;
  t: Translate;
  locale: Locale;
}) {
  const id = useId();
  const problems = ['weekday', 'startTime', 'endTime']
    .map((name) => fieldProblem(error, `windows.${index}.${name}`, locale))
    .filter((text): text is string => Boolean(text));
  const invalid = problems.length > 0 ? true : undefined;
  const describedBy = invalid ? `${id}-error` : undefined;
  return (
    <li class={`window-row${invalid ? ' has-error' : ''}`}>
      <div class="window-fields">
        <label class="window-field">
          <span class="field-label">{t('console.record.weekday')}</span>
          <select
            class="field-input"
            value={String(window.weekday)}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onChange={(e) => onChange({ ...window, weekday: Number(e.currentTarget.value) })}
          >
            {WEEKDAYS.map((day) => (
              <option key={day} value={String(day)}>
                {t(`console.weekday.${day}`)}
              </option>
            ))}
          </select>
        </label>
        <label class="window-field">
          <span class="field-label">{t('console.record.from')}</span>
          <input
            type="text"
            inputMode="numeric"
            maxLength={5}
            placeholder="19:00"
            class="field-input time-input"
            value={window.startTime}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onInput={(e) => onChange({ ...window, startTime: e.currentTarget.value })}
          />
        </label>
        <label class="window-field">
          <span class="field-label">{t('console.record.until')}</span>
          <input
            type="text"
            inputMode="numeric"
            maxLength={5}
            placeholder="20:00"
            class="field-input time-input"
            value={window.endTime}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            onInput={(e) => onChange({ ...window, endTime: e.currentTarget.value })}
          />
        </label>
        <Button kind="quiet" class="window-remove" onClick={onRemove}>
          {t('console.record.remove-window')}
        </Button>
      </div>
      {here && (
        <div class="muted window-here">
          {t('console.record.in-home-zone', {
            when: `${t(`console.weekday.${here.weekday}` as 'console.weekday.1')} ${here.startTime}–${here.endTime}`,
          })}
        </div>
      )}
      {problems.length > 0 && (
        <div id={`${id}-error`} class="field-error" role="alert">
          {problems.join(' ')}
        </div>
      )}
    </li>
  );
}

/**
 * The contact's weekly windows, edited in the contact's own time zone: several windows a day are fine (they must
 * not overlap). Saving replaces the whole set; the server's problems show at their row.
 */
export function AvailabilityEditor({ api, contactId, homeZone, t, locale }: AvailabilityEditorProps) {
  const [zone, setZone] = useState<string | null>(null);
  const [saved, setSaved] = useState<AvailabilityWindow[] | null>(null);
  const [windows, setWindows, clearDraft] = useDraft<{ list: AvailabilityWindow[] | null }>(
    `record.windows.${contactId}`,
    {
      list: null,
    },
  );
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    api.call('GET /api/contacts/{id}/availability', { params: { id: contactId } }).then(
      (answer) => {
        setZone(answer.timeZone);
        setSaved(answer.windows);
      },
      (caught: ApiError) => setError(caught),
    );
  }, [api, contactId]);

  const list = windows.list ?? saved ?? [];
  const edit = (next: AvailabilityWindow[]) => {
    setDone(false);
    setWindows({ list: next });
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.call('PUT /api/contacts/{id}/availability', {
        params: { id: contactId },
        body: { windows: list.map(({ weekday, startTime, endTime }) => ({ weekday, startTime, endTime })) },
      });
      setSaved(answer.windows);
      setWindows({ list: null });
      clearDraft();
      setDone(true);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const last = list[list.length - 1];
  const changed = windows.list !== null;

  return (
    <section class="availability" aria-labelledby={`windows-${contactId}`}>
      <h3 id={`windows-${contactId}`}>{t('console.record.windows')}</h3>
      {zone && <p class="muted">{t('console.record.windows-zone', { zone })}</p>}
      {saved && list.length === 0 && <p class="muted">{t('console.record.no-windows')}</p>}
      <ul class="plain-list window-list">
        {list.map((window, index) => (
          <WindowRow
            // Rows have no id of their own; their place in the list is what the server's problems point at.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            key={index}
            index={index}
            window={window}
            here={zone && zone !== homeZone ? windowInZone(window, zone, homeZone, new Date()) : null}
            error={error}
            t={t}
            locale={locale}
            onChange={(next) => edit(list.map((w, i) => (i === index ? next : w)))}
            onRemove={() => edit(list.filter((_, i) => i !== index))}
          />
        ))}
      </ul>
      {error && error.fields.length === 0 && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {done && <Banner kind="ok">{t('console.record.windows-saved')}</Banner>}
      <div class="form-actions">
        <Button
          onClick={() =>
            edit([
              ...list,
              last
                ? {
                    weekday: last.weekday,
                    startTime: last.endTime,
                    endTime:
                      last.endTime < '23:00'
                        ? `${String(Number(last.endTime.slice(0, 2)) + 1).padStart(2, '0')}${last.endTime.slice(2)}`
                        : '23:59',
                  }
                : { weekday: 1, startTime: '19:00', endTime: '20:00' },
            ])
          }
        >
          {t('console.record.add-window')}
        </Button>
        <Button kind="primary" busy={busy} disabled={!changed} onClick={save}>
          {t('console.record.save-windows')}
        </Button>
        {changed && (
          <Button
            kind="quiet"
            onClick={() => {
              setWindows({ list: null });
              clearDraft();
              setError(null);
            }}
          >
            {t('console.record.undo-windows')}
          </Button>
        )}
      </div>
    </section>
  );
}
