import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { formatInZone } from '../components/common/zoned-time.tsx';
import { type QueuesOverview, QueueTable } from '../components/queues/queue-table.tsx';
import '../components/queues/queues.css';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** The counts are read again this often while the screen is open. */
const RELOAD_EVERY_MS = 15_000;

/**
 * 后台任务 (admin): how many jobs of each queue are waiting, running, failed and delayed; opens the job board
 * read-only; after the admin ticks that they understand and confirms, opens the board with actions (retry,
 * remove, promote) for 10 minutes.
 */
export default function QueuesScreen({ api, t, locale }: ScreenProps) {
  const [overview, setOverview] = useState<QueuesOverview | null>(null);
  const [zone, setZone] = useState('Asia/Shanghai');
  const [error, setError] = useState<ApiError | null>(null);
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [loading, setLoading] = useState(false);

  const load = async () => {
    setLoading(true);
    try {
      setOverview(await api.call('GET /api/queues'));
      setError(null);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => undefined,
    );
    void load();
    const reload = setInterval(() => void load(), RELOAD_EVERY_MS);
    const stop = connection.onRetry(() => void load());
    return () => {
      clearInterval(reload);
      stop();
    };
  }, [api]);

  const grant = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api.call('POST /api/queues/actions-grant', { body: { confirm: true } });
      setUnderstood(false);
      await load();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const end = async () => {
    setBusy(true);
    try {
      await api.call('DELETE /api/queues/actions-grant');
      await load();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  // The server says whether the grant still holds (by its clock, not this PC's); the counts are read every 15 s.
  const until = overview?.actionsUntil ?? null;

  return (
    <div class="screen queues-screen">
      <div class="queues-head">
        <h1>{t('console.nav.queues')}</h1>
        <Button busy={loading} onClick={() => void load()}>
          {t('console.queues.refresh')}
        </Button>
      </div>
      <p>{t('console.queues.intro')}</p>
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}
      {overview && (
        <>
          <QueueTable t={t} queues={overview.queues} />
          <section class="card" aria-labelledby="queues-board-title">
            <h2 id="queues-board-title">{t('console.queues.board-title')}</h2>
            <p>{t('console.queues.board-explain')}</p>
            <div class="queue-links">
              <a class="btn btn-primary btn-link" href={overview.boardPath}>
                {t('console.queues.open-board')}
              </a>
            </div>
          </section>
          <section class="card queue-confirm" aria-labelledby="queues-actions-title">
            <h2 id="queues-actions-title">{t('console.queues.actions-title')}</h2>
            {until ? (
              <>
                <Banner kind="info">
                  {t('console.queues.actions-until', { time: formatInZone(until, zone, locale, 'time') })}
                </Banner>
                <div class="form-actions">
                  <a class="btn btn-primary btn-link" href={overview.actionsPath}>
                    {t('console.queues.open-actions')}
                  </a>
                  <Button busy={busy} onClick={() => void end()}>
                    {t('console.queues.end-actions')}
                  </Button>
                </div>
              </>
            ) : (
              <form onSubmit={grant} noValidate>
                <p>{t('console.queues.actions-explain')}</p>
                <label>
                  <input
                    type="checkbox"
                    checked={understood}
                    onChange={(event) => setUnderstood(event.currentTarget.checked)}
                  />
                  <span>{t('console.queues.understand')}</span>
                </label>
                <div class="form-actions">
                  <Button kind="primary" submit busy={busy} disabled={!understood}>
                    {t('console.queues.confirm')}
                  </Button>
                </div>
              </form>
            )}
          </section>
        </>
      )}
    </div>
  );
}
