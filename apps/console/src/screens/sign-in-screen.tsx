import type { ApiError, Locale, Translate } from '@affection/ui';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Button } from '../components/common/button.tsx';
import { Field } from '../components/common/field.tsx';
import { api } from '../shell/console-api.ts';
import { useDraft } from '../shell/drafts.ts';
import { session } from '../shell/session.ts';

/** Options of {@link SignInScreen}. */
export interface SignInScreenProps {
  t: Translate;
  locale: Locale;
  /** Shown over a screen whose session ended: says that what was typed is kept. */
  expired?: boolean;
  onSwitchLocale: () => void;
}

/** Minutes to tell a teacher to wait after a 429 (at least one). */
export function minutesToWait(error: ApiError): number {
  return Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
}

/**
 * Sign-in with username or phone number and password. A 429 says how many minutes to wait; the
 * login name is kept as a draft (never the password). Over an expired session it is a modal layer.
 */
export function SignInScreen({ t, locale, expired = false, onSwitchLocale }: SignInScreenProps) {
  const [draft, setDraft] = useDraft('sign-in', { login: '' });
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const loginRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const first = loginRef.current?.querySelector<HTMLInputElement>(draft.login ? 'input[type=password]' : 'input');
    first?.focus();
    // focus once, on opening
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.call('POST /api/auth/login', {
        body: { login: draft.login, password },
        anonymous: true,
      });
      setPassword('');
      session.signIn(answer);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  let message: string | null = null;
  if (error) {
    if (error.status === 429) message = t('console.signin.wait-minutes', { minutes: minutesToWait(error) });
    else if (error.status === 401) message = t('console.signin.failed');
    else if (error.fields.length === 0) message = problemText(error, t);
  }

  const form = (
    <form ref={loginRef} class="sign-in" onSubmit={submit} noValidate>
      <h1>{t('console.signin.title')}</h1>
      {expired && (
        <p class="banner banner-info" role="status">
          {t('console.shell.session-expired')}
        </p>
      )}
      <Field
        label={t('console.signin.login')}
        name="login"
        autoComplete="username"
        value={draft.login}
        onValue={(login) => setDraft({ login })}
        error={fieldProblem(error, 'login', locale)}
        required
      />
      <Field
        label={t('console.signin.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onValue={setPassword}
        error={fieldProblem(error, 'password', locale)}
        required
      />
      {message && (
        <p class="form-error" role="alert">
          {message}
        </p>
      )}
      <div class="form-actions">
        <Button kind="primary" submit busy={busy}>
          {busy ? t('console.common.working') : t('console.signin.submit')}
        </Button>
        <Button kind="quiet" onClick={onSwitchLocale}>
          {t('console.shell.language-switch')}
        </Button>
      </div>
    </form>
  );
  if (!expired) {
    return (
      <main id="main" class="sign-in-page">
        <p class="brand">{t('console.title')}</p>
        {form}
      </main>
    );
  }
  return <ExpiredSignIn label={t('console.signin.title')}>{form}</ExpiredSignIn>;
}

/**
 * The sign-in over an expired screen: a modal `<dialog>`, so that it sits above any dialog the screen had open
 * (the top layer keeps the latest modal on top) and Escape cannot dismiss it.
 */
function ExpiredSignIn({ label, children }: { label: string; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} class="overlay" aria-label={label} onCancel={(event) => event.preventDefault()}>
      {children}
    </dialog>
  );
}
