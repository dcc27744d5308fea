import type { Locale, Translate } from '@affection/ui';
import { ApiError } from '@affection/ui';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type FamilyChoice } from '../family-api.ts';
import { joinNames } from '../join-names.ts';
import { problemMessage } from '../problems.ts';

const CODE_DIGITS = 6;

/**
 * Sign-in by phone number and SMS code (验证码): the number first, then the 6 digits in one big
 * field that fills itself from the SMS where the phone allows, with a countdown before a resend.
 * A number registered at several Children's Homes (siblings in two schools) then chooses one: a big
 * button per Home with its own children's names, and the same code is sent again with that choice.
 */
export function SignInScreen({
  t,
  locale,
  notice,
  onSignedIn,
  onThrottled,
}: {
  t: Translate;
  locale: Locale;
  /** Why the person is here (signed out, link expired…), shown above the form. */
  notice?: string | undefined;
  onSignedIn: (deviceToken: string) => void;
  /** Too many codes or tries: the caller shows the waiting screen. */
  onThrottled: (problem: ApiError) => void;
}) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'phone' | 'code' | 'choose'>('phone');
  const [choices, setChoices] = useState<readonly FamilyChoice[]>([]);
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
    // The chooser is a new screen: start reading it from the top.
    if (step === 'choose') window.scrollTo(0, 0);
  }, [step]);

  function fail(problem: unknown): void {
    if (problem instanceof ApiError && problem.status === 429 && problem.reason === 'code-wait') {
      // The number's code limits: say when the next code can be asked for, and count down to it here.
      setError(problemMessage(problem, t));
      setResendIn(problem.retryAfterSeconds ?? 60);
      return;
    }
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

  async function verify(value: string, contactId?: string): Promise<void> {
    if (isBusy || value.length !== CODE_DIGITS) return;
    setBusy(true);
    setError(null);
    try {
      const signedIn = await api.call('POST /api/family/code/verify', {
        body: { phone: phone.trim(), code: value, ...(contactId ? { contactId } : {}) },
        anonymous: true,
      });
      if ('deviceToken' in signedIn) {
        onSignedIn(signedIn.deviceToken);
      } else if (!contactId && signedIn.choices.length > 0) {
        // The number is registered at several Homes: the code stays valid until one is chosen.
        setChoices(signedIn.choices);
        setStep('choose');
      } else {
        setCode('');
        setError(t('error.family.generic'));
      }
    } catch (problem) {
      // Back to the code field, where a new code can be asked for (a chosen Home's code may have expired).
      setStep('code');
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

  if (step === 'choose') {
    const separator = locale === 'zh-CN' ? '：' : ': ';
    return (
      <main class="screen sign-in choose" data-screen="choose-home">
        <h1>{t('family.choose.title')}</h1>
        <p>{t('family.choose.hint', { count: choices.length })}</p>
        <div class="actions">
          {choices.map((choice) => (
            <button
              key={choice.contactId}
              type="button"
              class="big choice"
              disabled={isBusy}
              onClick={() => void verify(code, choice.contactId)}
            >
              {`${choice.homeName}${separator}${
                choice.childNames.length > 0 ? joinNames(choice.childNames, locale) : t('family.your-child')
              }`}
            </button>
          ))}
          <button
            type="button"
            class="plain"
            disabled={isBusy}
            onClick={() => {
              setStep('phone');
              setError(null);
            }}
          >
            {t('family.choose.back')}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main class="screen sign-in" data-screen="sign-in">
      <h1>{t('family.sign-in.title')}</h1>
      {notice ? <p class="notice">{notice}</p> : null}
      {step === 'phone' ? (
        // Keyed apart: reusing the code form's input would leave its `pattern` on the phone field, whose value then
        // never validates and the form never submits (going back to change the number).
        <form key="phone" onSubmit={sendCode}>
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
          key="code"
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
