import type { Locale, Translate } from '@affection/ui';
import { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import type { KioskApi } from '../api/kiosk-api.ts';
import { say } from '../audio/say.ts';
import { BackIcon } from '../components/icons.tsx';

const DIGITS = 8;

/** Props of {@link EnrolScreen}. */
export interface EnrolScreenProps {
  t: Translate;
  locale: Locale;
  api: KioskApi;
  /** The kiosk was revoked (or re-coded): say so first. */
  revoked: boolean;
  onEnrolled: (deviceToken: string) => void;
}

function messageOf(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError) || error.status === 0) return t('error.kiosk.offline');
  if (error.status === 400) return t('validation.enrolment_code');
  // The server's own words: a wrong or used code, too many tries, enrolment paused.
  return t(error.userMessageKey);
}

/** A teacher types the 8-digit code from the admin on a big number pad; the kiosk keeps the device token. */
export function EnrolScreen({ t, locale, api, revoked, onEnrolled }: EnrolScreenProps) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    if (revoked) say({ key: 'kiosk.revoked.prompt' }, t, locale);
  }, [revoked, t, locale]);

  const press = (digit: string) => {
    setError(undefined);
    setCode((current) => (current.length < DIGITS ? current + digit : current));
  };
  const submit = async () => {
    if (code.length !== DIGITS || busy) return;
    setBusy(true);
    try {
      const enrolled = await api.call('POST /api/kiosk/enrol', { body: { code }, anonymous: true });
      onEnrolled(enrolled.deviceToken);
    } catch (failure) {
      setError(messageOf(t, failure));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="screen enrol" data-screen={revoked ? 'revoked' : 'enrol'}>
      {revoked ? (
        <div class="notice" role="alert">
          <h1 class="notice__title">{t('kiosk.revoked.title')}</h1>
          <p class="notice__text">{t('kiosk.revoked.prompt')}</p>
        </div>
      ) : (
        <h1>{t('kiosk.enrol.title')}</h1>
      )}
      <p class="enrol__prompt">{t('kiosk.enrol.prompt')}</p>
      <div class="code" aria-live="polite" data-code-length={code.length}>
        {Array.from({ length: DIGITS }, (_, i) => (
          <span key={i} class={`code__box${i === 3 ? ' code__box--gap' : ''}`}>
            {code[i] ?? ''}
          </span>
        ))}
      </div>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="pad">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
          <button key={digit} type="button" class="pad__key" onClick={() => press(digit)} disabled={busy}>
            {digit}
          </button>
        ))}
        <button type="button" class="pad__key pad__key--word" onClick={() => setCode('')} disabled={busy}>
          {t('kiosk.enrol.clear')}
        </button>
        <button type="button" class="pad__key" onClick={() => press('0')} disabled={busy}>
          0
        </button>
        <button
          type="button"
          class="pad__key"
          aria-label={t('kiosk.enrol.delete')}
          onClick={() => setCode((current) => current.slice(0, -1))}
          disabled={busy}
        >
          <BackIcon />
        </button>
      </div>
      <button
        type="button"
        class="big-button big-button--go"
        onClick={submit}
        disabled={code.length !== DIGITS || busy}
      >
        {busy ? t('kiosk.enrol.working') : t('kiosk.enrol.submit')}
      </button>
    </main>
  );
}
