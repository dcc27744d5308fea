import type { Translate } from '@affection/ui';
import type { BrowserVerdict } from '../browser-support.ts';
import { InAppNotice } from './in-app-notice.tsx';

/** Right after the QR link signed the phone in: how to put the page on the home screen. */
export function EnrolledScreen({
  t,
  browser,
  userAgent,
  willBeRung,
  onContinue,
}: {
  t: Translate;
  browser: BrowserVerdict;
  userAgent: string;
  willBeRung: boolean;
  onContinue: () => void;
}) {
  const isIphone = /iPhone|iPad|iPod/i.test(userAgent);
  const isAndroid = /Android/i.test(userAgent);
  return (
    <main class="screen enrolled" data-screen="enrolled">
      <h1>{t('family.enrolled.title')}</h1>
      {browser.ok ? null : <InAppNotice verdict={browser} t={t} willBeRung={willBeRung} />}
      <ol class="how-to">
        {isIphone ? null : <li>{t('family.enrolled.android')}</li>}
        {isAndroid ? null : <li>{t('family.enrolled.iphone')}</li>}
      </ol>
      <p>{t('family.enrolled.why')}</p>
      <div class="actions">
        <button type="button" class="big" onClick={onContinue}>
          {t('family.continue')}
        </button>
      </div>
    </main>
  );
}
