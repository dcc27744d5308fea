import type { ApiError, Locale } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { BookDialog, type BookTarget } from '../components/calendar/book-dialog.tsx';
import { BookingDialog } from '../components/calendar/booking-dialog.tsx';
import { addDays, instantIn, isIsoDate, mondayOf, wallClockIn } from '../components/calendar/calendar-time.ts';
import type { CalendarBooking, CalendarData } from '../components/calendar/calendar-types.ts';
import { type GridColumn, WeekGrid } from '../components/calendar/week-grid.tsx';
import '../components/calendar/calendar.css';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import type { ScreenProps } from '../shell/screen-props.ts';

type View = 'week' | 'day';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "12月7日" and "周一" of a calendar date, in the page's language. */
function dayWords(date: string, locale: Locale): { day: string; weekday: string } {
  const noon = new Date(`${date}T12:00:00Z`);
  const format = (kind: 'day' | 'weekday') => {
    const key = `${locale}|${kind}`;
    let f = dayFormats.get(key);
    if (!f) {
      f = new Intl.DateTimeFormat(
        locale,
        kind === 'day' ? { timeZone: 'UTC', month: 'numeric', day: 'numeric' } : { timeZone: 'UTC', weekday: 'short' },
      );
      dayFormats.set(key, f);
    }
    return f.format(noon);
  };
  return { day: format('day'), weekday: format('weekday') };
}

/** 通话日历: a week per kiosk (or a day across the kiosks), to book, move and cancel calls. */
export default function CalendarScreen({ api, t, locale, route }: ScreenProps) {
  const [zone, setZone] = useState<string | null>(null);
  const [today, setToday] = useState('');
  const [view, setView] = useState<View>(route.query.get('view') === 'day' ? 'day' : 'week');
  const [day, setDay] = useState(() => {
    const date = route.query.get('date');
    return isIsoDate(date) ? date : '';
  });
  const [kioskId, setKioskId] = useState(route.query.get('kiosk') ?? '');
  const [data, setData] = useState<CalendarData | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [opened, setOpened] = useState<CalendarBooking | null>(null);
  const [booking, setBooking] = useState<{ target: BookTarget | null; callNow: boolean } | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => {
        const now = wallClockIn(new Date(), home.timeZone).date;
        setZone(home.timeZone);
        setToday(now);
        setDay((current) => current || now);
      },
      (problem: ApiError) => setError(problem),
    );
  }, [api]);

  // A message was written in the language it was made in: another language drops it.
  useEffect(() => setMessage(''), [locale]);

  const monday = day ? mondayOf(day) : '';
  useEffect(() => {
    if (!zone || !monday) return;
    const controller = new AbortController();
    api
      .call('GET /api/bookings/calendar', {
        query: {
          from: instantIn(monday, '00:00', zone).toISOString(),
          to: instantIn(addDays(monday, 7), '00:00', zone).toISOString(),
        },
        signal: controller.signal,
      })
      .then(
        (answer) => {
          setData(answer);
          setError(null);
          setKioskId((current) =>
            answer.kiosks.some((k) => k.id === current)
              ? current
              : (answer.kiosks.find((k) => k.takesCalls)?.id ?? answer.kiosks[0]?.id ?? ''),
          );
        },
        (problem: ApiError) => {
          if (!controller.signal.aborted) setError(problem);
        },
      );
    return () => controller.abort();
  }, [api, zone, monday, reloads]);

  const changed = (text: string) => {
    setOpened(null);
    setBooking(null);
    setMessage(text);
    setReloads((n) => n + 1);
  };

  const kioskName = (id: string) => data?.kiosks.find((k) => k.id === id)?.name ?? '';
  const weekDays = (monday ? Array.from({ length: 7 }, (_, i) => addDays(monday, i)) : []).filter((date, i) => {
    if (i < 5 || !data) return true;
    // Saturday and Sunday only when the Home opens or has a call then.
    return data.open.some((s) => s.inHomeZone.date === date) || data.bookings.some((b) => b.inHomeZone.date === date);
  });
  const columns: GridColumn[] =
    view === 'week'
      ? weekDays.map((date) => {
          const words = dayWords(date, locale);
          return {
            key: date,
            label: words.weekday,
            sublabel: words.day,
            describe: `${words.day} ${words.weekday} ${kioskName(kioskId)}`,
            date,
            kioskId,
          };
        })
      : (data?.kiosks ?? []).map((kiosk) => {
          const words = dayWords(day, locale);
          return {
            key: kiosk.id,
            label: kiosk.name,
            describe: `${words.day} ${words.weekday} ${kiosk.name}`,
            date: day,
            kioskId: kiosk.id,
          };
        });
  const step = view === 'week' ? 7 : 1;
  const heading = !day
    ? ''
    : view === 'week'
      ? t('console.calendar.week-of', {
          from: dayWords(monday, locale).day,
          to: dayWords(addDays(monday, 6), locale).day,
        })
      : `${dayWords(day, locale).day} ${dayWords(day, locale).weekday}`;

  return (
    <section class="screen cal-screen" aria-labelledby="cal-title">
      <div class="cal-head">
        <h1 id="cal-title">{t('console.calendar.title')}</h1>
        <div class="cal-actions">
          <Button kind="primary" onClick={() => setBooking({ target: null, callNow: false })}>
            {t('console.calendar.book')}
          </Button>
          <Button onClick={() => setBooking({ target: null, callNow: true })}>{t('console.calendar.call-now')}</Button>
        </div>
      </div>
      <div class="cal-toolbar">
        <fieldset class="cal-nav">
          <legend class="cal-sr">{t('console.calendar.move-around')}</legend>
          <Button onClick={() => setDay(addDays(day, -step))}>
            {view === 'week' ? t('console.calendar.previous-week') : t('console.calendar.previous-day')}
          </Button>
          <Button onClick={() => setDay(today)}>
            {view === 'week' ? t('console.calendar.this-week') : t('console.calendar.today')}
          </Button>
          <Button onClick={() => setDay(addDays(day, step))}>
            {view === 'week' ? t('console.calendar.next-week') : t('console.calendar.next-day')}
          </Button>
        </fieldset>
        <fieldset class="cal-nav">
          <legend class="cal-sr">{t('console.calendar.view')}</legend>
          <Button aria-pressed={view === 'week'} onClick={() => setView('week')}>
            {t('console.calendar.week-view')}
          </Button>
          <Button
            aria-pressed={view === 'day'}
            onClick={() => {
              setView('day');
              // From a week, the day view opens on today when it is in that week, else on its Monday.
              setDay((current) =>
                today >= mondayOf(current) && today < addDays(mondayOf(current), 7) ? today : mondayOf(current),
              );
            }}
          >
            {t('console.calendar.day-view')}
          </Button>
        </fieldset>
        {view === 'week' && data && data.kiosks.length > 1 && (
          <fieldset class="cal-nav">
            <legend class="cal-sr">{t('console.calendar.kiosk')}</legend>
            {data.kiosks.map((kiosk) => (
              <Button key={kiosk.id} aria-pressed={kioskId === kiosk.id} onClick={() => setKioskId(kiosk.id)}>
                {kiosk.name}
              </Button>
            ))}
          </fieldset>
        )}
      </div>
      {message && (
        <Banner kind="ok">
          <span>{message}</span>
          <Button kind="quiet" onClick={() => setMessage('')}>
            {t('console.common.close')}
          </Button>
        </Banner>
      )}
      {error && (
        <Banner kind="warn">
          <span>{problemText(error, t)}</span>
          <Button onClick={() => setReloads((n) => n + 1)}>{t('console.calendar.retry')}</Button>
        </Banner>
      )}
      <p class="cal-legend">
        <span class="cal-key cal-key-open" aria-hidden="true" /> {t('console.calendar.legend-open')}
        <span class="cal-key cal-key-closed" aria-hidden="true" /> {t('console.calendar.legend-closed')}
        {zone && <span class="cal-muted"> · {t('console.calendar.zone-note', { zone })}</span>}
      </p>
      {!data ? (
        !error && <p class="loading">{t('console.common.working')}</p>
      ) : data.kiosks.length === 0 ? (
        <EmptyState message={t('console.calendar.no-kiosks')} />
      ) : (
        <div class="cal-scroll">
          <WeekGrid
            data={data}
            columns={columns}
            caption={view === 'week' ? `${heading} · ${kioskName(kioskId)}` : heading}
            t={t}
            locale={locale}
            onBooking={setOpened}
            onFreeCell={(cell) =>
              setBooking({
                target: { start: cell.start, kioskId: cell.kioskId, kioskName: kioskName(cell.kioskId) },
                callNow: false,
              })
            }
          />
          {view === 'week' && data.open.length === 0 && <EmptyState message={t('console.calendar.closed-week')} />}
          {view === 'day' &&
            !data.open.some((span) => span.inHomeZone.date === day) &&
            !data.bookings.some((b) => b.inHomeZone.date === day) && (
              <EmptyState message={t('console.calendar.closed-day')} />
            )}
        </div>
      )}
      {opened && (
        <BookingDialog
          api={api}
          booking={opened}
          kioskName={kioskName(opened.kioskId)}
          t={t}
          locale={locale}
          onChanged={changed}
          onClose={() => setOpened(null)}
        />
      )}
      {booking && zone && (
        <BookDialog
          api={api}
          target={booking.target}
          callNow={booking.callNow}
          zone={zone}
          t={t}
          locale={locale}
          onBooked={changed}
          onClose={() => setBooking(null)}
        />
      )}
    </section>
  );
}
