import type { Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { AUTO_RETRY_MS, connection } from '../../shell/connection.ts';

/** The lost-connection banner: says what happened, retries by itself every 10 s, and offers a retry now. */
export function ConnectionBanner({ t }: { t: Translate }) {
  const [isLost, setLost] = useState(connection.isLost());
  useEffect(() => connection.subscribe(setLost), []);
  useEffect(() => {
    if (!isLost) return;
    const timer = setInterval(() => connection.retry(), AUTO_RETRY_MS);
    return () => clearInterval(timer);
  }, [isLost]);
  if (!isLost) return null;
  return (
    <div class="banner banner-warn" role="alert">
      <span>{t('console.shell.offline')}</span>
      <button type="button" class="btn btn-plain" onClick={() => connection.retry()}>
        {t('console.shell.retry')}
      </button>
    </div>
  );
}
