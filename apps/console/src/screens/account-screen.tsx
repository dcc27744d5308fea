import type { ApiError } from '@affection/ui';
import { useState } from 'preact/hooks';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { Field } from '../components/common/field.tsx';
import type { ScreenProps } from '../shell/screen-props.ts';

/** The server's shortest password. */
const MIN_PASSWORD_LENGTH = 10;

/** My account: who is signed in, and a password change (the other sessions end; this one stays). */
export default function AccountScreen({ api, me, t, locale }: ScreenProps) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    if (next !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      await api.call('POST /api/auth/password', { body: { currentPassword: current, newPassword: next } });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="screen narrow">
      <h1>{t('console.account.title')}</h1>
      <p>
        {t('console.account.who')}: <strong>{me.displayName}</strong> · {t(`console.shell.role.${me.role}`)}
      </p>
      <form class="card" onSubmit={submit} noValidate>
        <h2>{t('console.account.password-title')}</h2>
        <Field
          label={t('console.account.current-password')}
          type="password"
          autoComplete="current-password"
          value={current}
          onValue={setCurrent}
          error={fieldProblem(error, 'currentPassword', locale)}
          required
        />
        <Field
          label={t('console.account.new-password', { min: MIN_PASSWORD_LENGTH })}
          type="password"
          autoComplete="new-password"
          minLength={MIN_PASSWORD_LENGTH}
          value={next}
          onValue={setNext}
          error={fieldProblem(error, 'newPassword', locale)}
          required
        />
        <Field
          label={t('console.account.repeat-password')}
          type="password"
          autoComplete="new-password"
          value={repeat}
          onValue={setRepeat}
          error={mismatch ? t('console.account.repeat-mismatch') : undefined}
          required
        />
        {error && error.fields.length === 0 && (
          <p class="form-error" role="alert">
            {error.status === 429
              ? t('console.signin.wait-minutes', {
                  minutes: Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60)),
                })
              : problemText(error, t)}
          </p>
        )}
        {done && <Banner kind="ok">{t('console.account.changed')}</Banner>}
        <div class="form-actions">
          <Button kind="primary" submit busy={busy}>
            {t('console.account.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
