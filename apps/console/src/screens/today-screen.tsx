import { useEffect, useState } from 'preact/hooks';
import { CallCard } from '../components/board/call-card.tsx';
import { useLiveBoard } from '../components/board/use-live-board.ts';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { formatInZone } from '../components/common/zoned-time.tsx';
import '../components/board/board.css';
import type { ScreenProps } from '../shell/screen-props.ts';

/**
 * Today (今日通话): the duty teacher's landing page. Who is on duty and today's opening hours at the top, one lane
 * per kiosk with the day's calls live (server-sent events, polling as a fallback), the actions on each call, and
 * the children with no call for N days at the side.
 */
export default function TodayScreen({ api, t, locale, navigate }: ScreenProps) {
  const { board, error, mode, updatedAt, reload } = useLiveBoard(api);
  // Re-render every 20 s so that "updated at" stays honest between refreshes.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 20_000);
    return () => clearInterval(timer);
  }, []);

  if (!board) {
    return (
      <section class="screen">
        <h1>{t('console.board.title')}</h1>
        {error ? (
          <Banner kind="warn">{problemText(error, t)}</Banner>
        ) : (
          <p class="loading">{t('console.shell.loading')}</p>
        )}
      </section>
    );
  }
  const zone = board.timeZone;
  return (
    <section class="screen board" aria-labelledby="board-title">
      <div class="board-top">
        <h1 id="board-title">
          {t('console.board.title')} <span class="board-date">{formatInZone(board.now, zone, locale, 'date')}</span>
        </h1>
        <dl class="board-facts">
          <div>
            <dt>{t('console.board.on-duty')}</dt>
            <dd>
              {board.onDuty.length > 0
                ? board.onDuty.map((s) => s.displayName).join('、')
                : t('console.board.nobody-on-duty')}
            </dd>
          </div>
          <div>
            <dt>{t('console.board.opening')}</dt>
            <dd>
              {board.opening.length > 0
                ? board.opening
                    .map((o) => `${formatInZone(o.start, zone, locale)}–${formatInZone(o.end, zone, locale)}`)
                    .join('，')
                : t('console.board.closed-today')}
            </dd>
          </div>
        </dl>
        <p class={`board-mode board-mode-${mode}`} role="status" data-mode={mode}>
          {mode === 'live' ? t('console.board.live') : t('console.board.polling')}
          {updatedAt && ` · ${t('console.board.updated', { time: formatInZone(updatedAt, zone, locale) })}`}
        </p>
      </div>
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      <div class="board-body">
        <div class="board-lanes">
          {board.lanes.length === 0 && <EmptyState message={t('console.board.no-kiosks')} />}
          {board.lanes.map((lane) => (
            <section
              key={lane.kioskId}
              class="lane card"
              aria-label={t('console.board.kiosk-lane', { name: lane.kioskName })}
            >
              <h2>{lane.kioskName}</h2>
              {lane.calls.length === 0 ? (
                <EmptyState message={t('console.board.no-calls')} />
              ) : (
                <ol class="lane-calls">
                  {lane.calls.map((call) => (
                    <CallCard
                      key={call.bookingId}
                      call={call}
                      api={api}
                      t={t}
                      locale={locale}
                      timeZone={zone}
                      onChanged={() => void reload()}
                    />
                  ))}
                </ol>
              )}
            </section>
          ))}
        </div>
        <aside class="board-alerts card" aria-labelledby="alerts-title">
          <h2 id="alerts-title">{t('console.board.alerts')}</h2>
          {board.alerts.children.length === 0 ? (
            <EmptyState message={t('console.board.no-alerts')} />
          ) : (
            <ul class="plain-list">
              {board.alerts.children.map((child) => (
                <li key={child.childId}>
                  <a
                    href={`#/children/${child.childId}`}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(`/children/${child.childId}`);
                    }}
                  >
                    {child.familyName}
                    {child.givenName}
                  </a>
                  <div class="alert-days">
                    {child.lastCallAt
                      ? t('console.board.alert-days', { days: child.daysWithoutContact })
                      : t('console.board.alert-never')}
                  </div>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}
