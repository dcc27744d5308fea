import type { ApiResponse } from '@affection/server/contract';
import { useEffect, useState } from 'preact/hooks';
import { EmptyState } from '../components/common/empty-state.tsx';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Alerts = ApiResponse<'GET /api/alerts'>;

/** Today: the landing page of the duty teacher. */
export default function TodayScreen({ api, t, navigate }: ScreenProps) {
  const [alerts, setAlerts] = useState<Alerts | null>(null);
  useEffect(() => {
    const load = () => {
      api.call('GET /api/alerts').then(setAlerts, () => undefined);
    };
    load();
    return connection.onRetry(load);
  }, [api]);
  return (
    <section class="screen">
      <h1>{t('console.board.title')}</h1>
      <aside class="card">
        <h2>{t('console.board.alerts')}</h2>
        {alerts && alerts.noContact.length === 0 && <EmptyState message={t('console.board.no-alerts')} />}
        <ul class="plain-list">
          {alerts?.noContact.map((child) => (
            <li key={child.childId}>
              <a
                href={`#/children/${child.childId}`}
                onClick={(e) => {
                  e.preventDefault();
                  navigate(`/children/${child.childId}`);
                }}
              >
                {child.familyName}
                {child.givenName}
              </a>{' '}
              {child.lastCallAt
                ? t('console.board.alert-days', { days: child.daysWithoutContact })
                : t('console.board.alert-never')}
            </li>
          ))}
        </ul>
      </aside>
    </section>
  );
}
