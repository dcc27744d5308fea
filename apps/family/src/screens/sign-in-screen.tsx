import type { Translate } from '@affection/ui';
import { ApiError } from '@affection/ui';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../family-api.ts';
import { problemMessage } from '../problems.ts';

const CODE_DIGITS = 6;

/**
 * Sign-in by phone number and SMS code (验证码): the number first, then the 6 digits in one big
 * field that fills itself from the SMS where the phone allows, with a countdown before a resend.
 */
export function SignInScreen({
  t,
  notice,
  onSignedIn,
  onThrottled,
}: {
  t: Translate;
  /** Why the person is here (signed out, link expired…), shown above the form. */
  notice?: string | undefined;
  onSignedIn: (deviceToken: string) => void;
  /** Too many codes or tries: the caller shows the waiting screen. */
  onThrottled: (problem: ApiError) => void;
}) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code'>('phone');
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [resendIn, setResendIn] = useState(0);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (resendIn <= 0) return;
    const timer = setTimeout(() => setResendIn((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [resendIn]);

  useEffect(() => {
    if (step === 'code') codeInput.current?.focus();
  }, [step]);

  function fail(problem: unknown): void {
    if (problem instanceof ApiError && problem.status === 429) {
      onThrottled(problem);
      return;
    }
    if (problem instanceof ApiError && problem.status === 400 && step === 'phone') {
      setError(t('validation.phone'));
      return;
    }
    setError(problemMessage(problem, t));
  }

  async function sendCode(event?: Event): Promise<void> {
    event?.preventDefault();
    if (isBusy || phone.trim() === '') return;
    setBusy(true);
    setError(null);
    try {
      const sent = await api.call('POST /api/family/code', { body: { phone: phone.trim() }, anonymous: true });
      setStep('code');
      setCode('');
      setResendIn(sent.resendAfterSeconds);
    } catch (problem) {
      fail(problem);
    } finally {
      setBusy(false);
    }
  }

  async function verify(value: string): Promise<void> {
    if (isBusy || value.length !== CODE_DIGITS) return;
    setBusy(true);
    setError(null);
    try {
      const signedIn = await api.call('POST /api/family/code/verify', {
        body: { phone: phone.trim(), code: value },
        anonymous: true,
      });
      // A number known in more than one Home answers the choices instead; this page signs in one Home only.
      if ('deviceToken' in signedIn) onSignedIn(signedIn.deviceToken);
      else setError(t('error.family.generic'));
    } catch (problem) {
      setCode('');
      fail(problem);
      codeInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  function onCodeInput(event: Event): void {
    const value = (event.currentTarget as HTMLInputElement).value.replace(/\D/g, '').slice(0, CODE_DIGITS);
    setCode(value);
    if (value.length === CODE_DIGITS) void verify(value);
  }

  return (
    <main class="screen sign-in" data-screen="sign-in">
      <h1>{t('family.sign-in.title')}</h1>
      {notice ? <p class="notice">{notice}</p> : null}
      {step === 'phone' ? (
        <form onSubmit={sendCode}>
          <p>{t('family.sign-in.hint')}</p>
          <label for="phone">{t('family.sign-in.phone')}</label>
          <input
            id="phone"
            name="phone"
            class="big-input"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={20}
            value={phone}
            onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)}
          />
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" class="big" disabled={isBusy || phone.trim() === ''}>
            {t('family.sign-in.send')}
          </button>
          <p class="hint">{t('family.sign-in.qr-hint')}</p>
        </form>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void verify(code);
          }}
        >
          <p>{t('family.sign-in.sent')}</p>
          <label for="code">{t('family.sign-in.code')}</label>
          <input
            id="code"
            name="code"
            ref={codeInput}
            class="code-input"
            type="text"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={CODE_DIGITS}
            value={code}
            onInput={onCodeInput}
            aria-describedby="code-hint"
          />
          <p id="code-hint" class="hint">
            {t('family.sign-in.code-hint')}
          </p>
          {error ? (
            <p class="error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" class="big" disabled={isBusy || code.length !== CODE_DIGITS}>
            {t('family.sign-in.verify')}
          </button>
          <div class="actions">
            <button type="button" class="plain" disabled={isBusy || resendIn > 0} onClick={() => void sendCode()}>
              {resendIn > 0 ? t('family.sign-in.resend-in', { seconds: resendIn }) : t('family.sign-in.resend')}
            </button>
            <button
              type="button"
              class="plain"
              onClick={() => {
                setStep('phone');
                setError(null);
              }}
            >
              {t('family.sign-in.change-phone')}
            </button>
          </div>
        </form>
      )}
    </main>
  );
}
