import type { Translate } from '@affection/ui';
import type { BrowserVerdict } from '../browser-support.ts';

/**
 * Explains, inside WeChat, QQ, Weibo and other apps' built-in browsers (or a browser without WebRTC),
 * how to open the page in the phone's own browser, and that the Home can ring them instead.
 */
export function InAppNotice({
  verdict,
  t,
  willBeRung,
}: {
  verdict: Extract<BrowserVerdict, { ok: false }>;
  t: Translate;
  /** Whether the Home rings this contact's phone when they are not on video. */
  willBeRung: boolean;
}) {
  const app = verdict.inApp;
  return (
    <section class="in-app" role="alert" data-testid="in-app-notice">
      {app ? (
        <span class="pointer" aria-hidden="true">
          ↗
        </span>
      ) : null}
      <h2>{t('family.in-app.title')}</h2>
      {app ? (
        <>
          <p>{t('family.in-app.body', { app: t(`family.app.${app}`) })}</p>
          <p class="steps">{t('family.in-app.steps')}</p>
        </>
      ) : (
        <p>{t('family.in-app.unsupported')}</p>
      )}
      {willBeRung ? <p>{t('family.in-app.phone')}</p> : null}
    </section>
  );
}
