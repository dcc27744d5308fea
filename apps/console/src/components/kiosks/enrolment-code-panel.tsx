import type { Translate } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { Button } from '../common/button.tsx';

/** An 8-digit enrolment code as shown and typed: two groups of four ("4821 3907"). */
function groupedCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)} ${code.slice(4)}` : code;
}

/** `m:ss` of the time left, never below zero. */
function countdownText(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Options of {@link EnrolmentCodePanel}. */
export interface EnrolmentCodePanelProps {
  t: Translate;
  kioskName: string;
  code: string;
  /** When the code stops working (ISO instant, the server's). */
  expiresAt: string;
  /** The server's clock minus the page's, so a wrong PC clock does not shorten the countdown. */
  clockSkewMs: number;
  /** A fresh code for the same kiosk. */
  onRenew: () => void;
  onClose: () => void;
  busy: boolean;
}

/**
 * The one-time enrolment code, large, in two groups of four, with a live countdown of its 10 minutes; when it runs
 * out it says so and offers a new one.
 */
export function EnrolmentCodePanel({
  t,
  kioskName,
  code,
  expiresAt,
  clockSkewMs,
  onRenew,
  onClose,
  busy,
}: EnrolmentCodePanelProps) {
  const leftNow = () => new Date(expiresAt).getTime() - (Date.now() + clockSkewMs);
  const [left, setLeft] = useState(leftNow);
  useEffect(() => {
    setLeft(leftNow());
    const timer = setInterval(() => setLeft(leftNow()), 1000);
    return () => clearInterval(timer);
    // leftNow reads only these two.
  }, [expiresAt, clockSkewMs]);
  const expired = left <= 0;
  return (
    <section
      class="card enrol-code"
      aria-labelledby="enrol-code-title"
      data-code-state={expired ? 'expired' : 'active'}
    >
      <h2 id="enrol-code-title">{t('console.kiosks.code-title', { name: kioskName })}</h2>
      {expired ? (
        <p class="enrol-code-expired" role="alert">
          {t('console.kiosks.code-expired')}
        </p>
      ) : (
        <>
          <p>{t('console.kiosks.code-how')}</p>
          <p class="enrol-code-digits">{groupedCode(code)}</p>
          <p class="enrol-code-left" aria-live="off">
            {t('console.kiosks.code-left', { time: countdownText(left) })}
          </p>
        </>
      )}
      <div class="form-actions">
        <Button kind={expired ? 'primary' : 'plain'} busy={busy} onClick={onRenew}>
          {t('console.kiosks.new-code')}
        </Button>
        <Button kind="quiet" onClick={onClose}>
          {t('console.kiosks.code-done')}
        </Button>
      </div>
    </section>
  );
}
