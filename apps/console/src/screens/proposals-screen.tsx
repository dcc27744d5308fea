import type { ApiResponse } from '@affection/server/contract';
import type { ApiError, Locale } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { BookingDialog, type BookingStep } from '../components/calendar/booking-dialog.tsx';
import { addDays, isIsoDate } from '../components/calendar/calendar-time.ts';
import '../components/calendar/calendar.css';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { type Proposal, ProposalItem } from '../components/proposals/proposal-item.tsx';
import '../components/proposals/proposals.css';
import type { ScreenProps } from '../shell/screen-props.ts';

type Week = ApiResponse<'GET /api/bookings/proposals'>;

const formats = new Map<string, Intl.DateTimeFormat>();

/** "12月8日 周二" of a calendar date. */
function dayTitle(date: string, locale: Locale): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', month: 'long', day: 'numeric', weekday: 'short' });
    formats.set(locale, format);
  }
  return format.format(new Date(`${date}T12:00:00Z`));
}

/** 下周安排建议: the weekly fair scheduler's proposals, per day and kiosk; confirm all, one, move or decline. */
export default function ProposalsScreen({ api, t, locale, route }: ScreenProps) {
  const [week, setWeek] = useState<string>(() => {
    const asked = route.query.get('week');
    return isIsoDate(asked) ? asked : '';
  });
  const [data, setData] = useState<Week | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<{ proposal: Proposal; step: BookingStep } | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.call('GET /api/bookings/proposals', { query: week ? { week } : {}, signal: controller.signal }).then(
      (answer) => {
        setData(answer);
        setError(null);
      },
      (problem: ApiError) => {
        if (!controller.signal.aborted) setError(problem);
      },
    );
    return () => controller.abort();
  }, [api, week, reloads]);

  // A message was written in the language it was made in: another language drops it.
  useEffect(() => setMessage(''), [locale]);

  const changed = (text: string) => {
    setOpened(null);
    setMessage(text);
    setReloads((n) => n + 1);
  };
  const kioskName = (id: string) => data?.kiosks.find((k) => k.id === id)?.name ?? '';
  const shown = data?.week ?? week;
  const total = data ? data.days.reduce((sum, d) => sum + d.kiosks.reduce((n, k) => n + k.proposals.length, 0), 0) : 0;

  const confirmAll = async () => {
    if (!data) return;
    setBusy(true);
    try {
      const answer = await api.call('POST /api/bookings/proposals/confirm', { body: { week: data.week } });
      setMessage(
        answer.refused === 0
          ? t('console.proposals.all-confirmed', { count: answer.confirmed })
          : t('console.proposals.some-confirmed', { count: answer.confirmed, refused: answer.refused }),
      );
      setError(null);
      setReloads((n) => n + 1);
    } catch (problem) {
      setError(problem as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="screen" aria-labelledby="prop-title">
      <div class="prop-head">
        <h1 id="prop-title">{t('console.proposals.title')}</h1>
        {data && data.awaiting > 0 && (
          <Button kind="primary" busy={busy} onClick={confirmAll}>
            {t('console.proposals.confirm-all', { count: data.awaiting })}
          </Button>
        )}
      </div>
      <div class="prop-toolbar">
        <Button disabled={!shown} onClick={() => setWeek(addDays(shown, -7))}>
          {t('console.calendar.previous-week')}
        </Button>
        <Button onClick={() => setWeek('')}>{t('console.proposals.next-week')}</Button>
        <Button disabled={!shown} onClick={() => setWeek(addDays(shown, 7))}>
          {t('console.calendar.next-week')}
        </Button>
        {data && (
          <span class="prop-summary">
            {t('console.proposals.week-summary', {
              from: dayTitle(data.week, locale),
              to: dayTitle(addDays(data.week, 6), locale),
              total,
              awaiting: data.awaiting,
            })}
          </span>
        )}
      </div>
      <p class="cal-muted">{t('console.proposals.explain')}</p>
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
      {!data ? (
        !error && <p class="loading">{t('console.common.working')}</p>
      ) : data.days.length === 0 ? (
        <EmptyState message={t('console.proposals.none')} />
      ) : (
        data.days.map((day) => (
          <section key={day.date} class="card" aria-labelledby={`prop-${day.date}`}>
            <h2 id={`prop-${day.date}`}>{dayTitle(day.date, locale)}</h2>
            <div class="prop-kiosks">
              {day.kiosks.map((kiosk) => (
                <div key={kiosk.kioskId} class="prop-kiosk">
                  <h3>{kioskName(kiosk.kioskId)}</h3>
                  <ul class="prop-list">
                    {kiosk.proposals.map((proposal) => (
                      <ProposalItem
                        key={proposal.id}
                        api={api}
                        proposal={proposal}
                        t={t}
                        locale={locale}
                        onChanged={changed}
                        onOpen={(step) => setOpened({ proposal, step })}
                      />
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          </section>
        ))
      )}
      {opened && (
        <BookingDialog
          api={api}
          booking={opened.proposal}
          kioskName={kioskName(opened.proposal.kioskId)}
          initialStep={opened.step}
          t={t}
          locale={locale}
          onChanged={changed}
          onClose={() => setOpened(null)}
        />
      )}
    </section>
  );
}
