import type { ApiResponse } from '@affection/server/contract';
import { ApiError } from '@affection/ui';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { addDays, isIsoDate, wallClockIn } from '../components/calendar/calendar-time.ts';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { dayLabel, MonthCalendar } from '../components/rota/month-calendar.tsx';
import { OverrideForm } from '../components/rota/override-form.tsx';
import { type DutyOverride, monthOf, monthRange, type PatternEntry, shiftMonth } from '../components/rota/rota-days.ts';
import { type GridPerson, tickKey, WeeklyGrid } from '../components/rota/weekly-grid.tsx';
import '../components/rota/rota.css';
import { connection } from '../shell/connection.ts';
import { keepInAddress } from '../shell/router.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type OnDate = ApiResponse<'GET /api/duty'>;

const monthFormats = new Map<string, Intl.DateTimeFormat>();

function monthTitle(month: string, locale: string): string {
  let format = monthFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' });
    monthFormats.set(locale, format);
  }
  return format.format(new Date(`${month}-15T12:00:00Z`));
}

function byName(x: GridPerson, y: GridPerson): number {
  // Teachers first (they take most duty days), then admins; by name within each.
  if (x.role !== y.role) return x.role === 'teacher' ? -1 : 1;
  return x.displayName.localeCompare(y.displayName, 'zh-CN');
}

/**
 * 值日安排: who is on duty today and tomorrow, the weekly rota as a grid (weekday × teacher) and
 * the month's calendar with the dated changes. Every teacher reads it; only the admin ticks the
 * grid, saves it and changes single days (`#/rota?month=YYYY-MM`).
 */
export default function RotaScreen({ api, me, t, locale, route }: ScreenProps) {
  const isAdmin = me.role === 'admin';
  const [zone, setZone] = useState<string | null>(null);
  const [pattern, setPattern] = useState<PatternEntry[] | null>(null);
  const [staff, setStaff] = useState<GridPerson[] | null>(null);
  const [ticks, setTicks] = useState<Set<string>>(new Set());
  const [month, setMonth] = useState(() => {
    const asked = route.query.get('month') ?? '';
    return isIsoDate(`${asked}-01`) ? asked : '';
  });
  const [overrides, setOverrides] = useState<DutyOverride[] | null>(null);
  const [near, setNear] = useState<{ today: OnDate; tomorrow: OnDate } | null>(null);
  const [picked, setPicked] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [saving, setSaving] = useState(false);
  const [patternReloads, setPatternReloads] = useState(0);
  const [dayReloads, setDayReloads] = useState(0);

  const today = zone ? wallClockIn(new Date(), zone).date : null;
  const shownMonth = month || (today ? monthOf(today) : '');

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => setZone('Asia/Shanghai'),
    );
  }, [api]);

  // The weekly rota and the staff who can be on it (the admin only). Read again after the rota is
  // saved, not after a day's change, so that ticks not saved yet stay.
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    const load = () => {
      Promise.all([
        api.call('GET /api/duty/pattern', { signal }),
        isAdmin ? api.call('GET /api/staff', { query: {}, signal }) : Promise.resolve(null),
      ]).then(
        ([rota, members]) => {
          setPattern(rota.entries);
          setTicks(new Set(rota.entries.filter((e) => e.active).map((e) => tickKey(e.weekday, e.staffId))));
          setStaff(
            members
              ? members.items
                  .filter((m) => m.active)
                  .map(({ id, displayName, role }) => ({ staffId: id, displayName, role }))
                  .sort(byName)
              : null,
          );
        },
        (failure: ApiError) => {
          if (!signal.aborted) setError(failure);
        },
      );
    };
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, isAdmin, patternReloads]);

  // The month asked for stays in the address (so a reload shows it), only while the address is still this screen's:
  // after a click to another screen it is left alone.
  useEffect(() => {
    const target = `#/rota${month ? `?month=${month}` : ''}`;
    keepInAddress('/rota', target);
  }, [month]);

  // Today, tomorrow and the month's dated changes.
  useEffect(() => {
    if (!today || !shownMonth) return;
    const controller = new AbortController();
    const signal = controller.signal;
    const load = () => {
      Promise.all([
        api.call('GET /api/duty', { query: { date: today }, signal }),
        api.call('GET /api/duty', { query: { date: addDays(today, 1) }, signal }),
        api.call('GET /api/duty/overrides', { query: monthRange(shownMonth), signal }),
      ]).then(
        ([onToday, onTomorrow, changes]) => {
          setNear({ today: onToday, tomorrow: onTomorrow });
          setOverrides(changes.items);
        },
        (failure: ApiError) => {
          if (!signal.aborted) setError(failure);
        },
      );
    };
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, today, shownMonth, patternReloads, dayReloads]);

  // A message was written in the language it was made in: another language drops it.
  useEffect(() => setMessage(''), [locale]);

  /** Rows of the grid: the admin sees every active staff member; others see who is on the rota. */
  const people = useMemo<GridPerson[]>(() => {
    if (staff) return staff;
    const seen = new Map<string, GridPerson>();
    for (const entry of pattern ?? []) {
      if (entry.active && !seen.has(entry.staffId)) {
        seen.set(entry.staffId, { staffId: entry.staffId, displayName: entry.displayName, role: entry.role });
      }
    }
    return [...seen.values()].sort(byName);
  }, [staff, pattern]);

  const savedTicks = useMemo(
    () => new Set((pattern ?? []).filter((e) => e.active).map((e) => tickKey(e.weekday, e.staffId))),
    [pattern],
  );
  const isChanged = ticks.size !== savedTicks.size || [...ticks].some((key) => !savedTicks.has(key));
  const inactiveOnRota = [...new Set((pattern ?? []).filter((e) => !e.active).map((e) => e.displayName))];
  const separator = t('console.rota.separator');
  const namesOf = (day: OnDate) =>
    day.staff.length > 0 ? day.staff.map((s) => s.displayName).join(separator) : t('console.rota.nobody');

  const toggle = (weekday: number, staffId: string) => {
    const key = tickKey(weekday, staffId);
    const next = new Set(ticks);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setTicks(next);
    setMessage('');
  };

  const savePattern = async () => {
    setSaving(true);
    setMessage('');
    try {
      const active = new Set(people.map((p) => p.staffId));
      const body = [...ticks]
        .map((key) => {
          const [weekday, staffId] = key.split('|') as [string, string];
          return { weekday: Number(weekday), staffId };
        })
        .filter((entry) => active.has(entry.staffId))
        .sort((x, y) => x.weekday - y.weekday || x.staffId.localeCompare(y.staffId));
      await api.call('PUT /api/duty/pattern', { body });
      setMessage(t('console.rota.saved'));
      setError(null);
      setPatternReloads((n) => n + 1);
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
      else throw failure;
    } finally {
      setSaving(false);
    }
  };

  const deleteOverride = async (change: DutyOverride) => {
    setMessage('');
    try {
      await api.call('DELETE /api/duty/overrides/{id}', { params: { id: change.id } });
      setMessage(t('console.rota.deleted'));
      setError(null);
      setDayReloads((n) => n + 1);
    } catch (failure) {
      if (failure instanceof ApiError) setError(failure);
      else throw failure;
    }
  };

  const pickDay = (date: string) => {
    setPicked(date);
    if (isIsoDate(date) && monthOf(date) !== shownMonth) setMonth(monthOf(date));
    requestAnimationFrame(() =>
      document.querySelector<HTMLElement>('.rota-override input[type="date"]')?.focus({ preventScroll: false }),
    );
  };

  return (
    <div class="screen rota-screen">
      <h1>{t('console.nav.rota')}</h1>
      <p>{isAdmin ? t('console.rota.intro') : t('console.rota.intro-teacher')}</p>
      {near && (
        <div class="rota-near">
          <div class="rota-near-day" data-day="today">
            <span class="rota-near-title">{t('console.rota.today')}</span>
            <strong>{namesOf(near.today)}</strong>
            <span class="muted">{dayLabel(near.today.date, locale)}</span>
          </div>
          <div class="rota-near-day" data-day="tomorrow">
            <span class="rota-near-title">{t('console.rota.tomorrow')}</span>
            <strong>{namesOf(near.tomorrow)}</strong>
            <span class="muted">{dayLabel(near.tomorrow.date, locale)}</span>
          </div>
        </div>
      )}
      {message && <Banner kind="ok">{message}</Banner>}
      {error && <Banner kind="warn">{problemText(error, t, 'error.duty')}</Banner>}

      <section class="card" aria-labelledby="rota-week-title">
        <h2 id="rota-week-title">{t('console.rota.week-title')}</h2>
        {isAdmin && people.length > 0 && <p class="rota-hint">{t('console.rota.week-hint')}</p>}
        {isAdmin && inactiveOnRota.length > 0 && (
          <p class="rota-hint">{t('console.rota.inactive-dropped', { names: inactiveOnRota.join(separator) })}</p>
        )}
        {pattern &&
          (people.length === 0 ? (
            <EmptyState message={isAdmin ? t('console.rota.no-staff') : t('console.rota.week-empty')} />
          ) : (
            <WeeklyGrid t={t} people={people} ticks={ticks} onToggle={isAdmin ? toggle : undefined} />
          ))}
        {isAdmin && people.length > 0 && (
          <div class="form-actions">
            <Button
              kind="primary"
              busy={saving}
              disabled={!isChanged && inactiveOnRota.length === 0}
              onClick={savePattern}
            >
              {t('console.rota.save')}
            </Button>
            <Button disabled={!isChanged} onClick={() => setTicks(new Set(savedTicks))}>
              {t('console.rota.undo')}
            </Button>
            {isChanged && (
              <span class="rota-unsaved" role="status">
                {t('console.rota.unsaved')}
              </span>
            )}
          </div>
        )}
      </section>

      <section class="card" aria-labelledby="rota-month-title">
        <div class="rota-month-head">
          <h2 id="rota-month-title">
            {t('console.rota.calendar-title')} · {shownMonth && monthTitle(shownMonth, locale)}
          </h2>
          <div class="rota-month-nav">
            <Button onClick={() => setMonth(shiftMonth(shownMonth, -1))} disabled={!shownMonth}>
              {t('console.rota.prev-month')}
            </Button>
            <Button onClick={() => setMonth('')} disabled={!month || (today !== null && month === monthOf(today))}>
              {t('console.rota.this-month')}
            </Button>
            <Button onClick={() => setMonth(shiftMonth(shownMonth, 1))} disabled={!shownMonth}>
              {t('console.rota.next-month')}
            </Button>
          </div>
        </div>
        <p class="rota-hint">{t('console.rota.legend')}</p>
        {pattern && overrides && today && (
          <MonthCalendar
            t={t}
            locale={locale}
            month={shownMonth}
            today={today}
            pattern={pattern}
            overrides={overrides}
            selected={picked}
            onPick={isAdmin ? pickDay : undefined}
          />
        )}
      </section>

      {isAdmin && (
        <OverrideForm
          api={api}
          t={t}
          locale={locale}
          date={picked}
          onDate={pickDay}
          people={people}
          onSaved={(text) => {
            setMessage(text);
            setError(null);
            setDayReloads((n) => n + 1);
          }}
          onRefused={() => setDayReloads((n) => n + 1)}
          version={dayReloads}
        />
      )}

      {overrides && (
        <section class="card" aria-labelledby="rota-changes-title">
          <h2 id="rota-changes-title">{t('console.rota.overrides-title')}</h2>
          {overrides.length === 0 ? (
            <p class="muted">{t('console.rota.overrides-empty')}</p>
          ) : (
            <ul class="plain-list rota-changes">
              {overrides.map((change) => (
                <li key={change.id} data-override={change.id} data-kind={change.kind}>
                  <span>
                    {dayLabel(change.date, locale)} · {change.displayName} ·{' '}
                    {change.kind === 'add' ? t('console.rota.override-add') : t('console.rota.override-remove')}
                  </span>
                  {isAdmin && (
                    <Button
                      kind="quiet"
                      onClick={() => deleteOverride(change)}
                      aria-label={t('console.rota.delete-label', {
                        date: dayLabel(change.date, locale),
                        name: change.displayName,
                      })}
                    >
                      {t('console.rota.delete')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
