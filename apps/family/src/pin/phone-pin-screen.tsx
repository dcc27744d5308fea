import { ApiError, type Locale, type Translate } from '@affection/ui';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../family-api.ts';
import { problemMessage } from '../problems.ts';

/** The longest PIN the voice menu takes (it asks for 4 to 6 digits; the server checks the length). */
const PIN_MAX_DIGITS = 6;

/** What the phone PIN screen needs from the page. */
export interface PhonePinScreenProps {
  t: Translate;
  locale: Locale;
  /** Back to the page with the next call. */
  onBack: () => void;
  /** The phone's sign-in no longer works (its link or phone was withdrawn): the page signs in again. */
  onSignedOut: () => void;
}

function digitsOf(event: Event): string {
  return (event.currentTarget as HTMLInputElement).value.replace(/\D/g, '').slice(0, PIN_MAX_DIGITS);
}

/**
 * 电话密码: sets or changes the PIN the Home's voice menu asks for before it puts a caller through to
 * a child's call. Digits only, on the numeric keypad, typed twice; the server's problem with the PIN
 * (too short…) is shown beside the field. Loaded with `import()` only when a parent opens it.
 */
export function PhonePinScreen({ t, locale, onBack, onSignedOut }: PhonePinScreenProps) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [pinError, setPinError] = useState<string | null>(null);
  const [againError, setAgainError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [isSaved, setSaved] = useState(false);
  const pinInput = useRef<HTMLInputElement>(null);
  const againInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    window.scrollTo(0, 0);
  }, [isSaved]);

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    if (isBusy || pin === '' || again === '') return;
    setPinError(null);
    setAgainError(null);
    setError(null);
    if (pin !== again) {
      setAgain('');
      setAgainError(t('family.pin.mismatch'));
      againInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.call('PUT /api/family/pin', { body: { pin } });
      setPin('');
      setAgain('');
      setSaved(true);
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 401) {
        onSignedOut();
        return;
      }
      const onPin =
        problem instanceof ApiError && problem.status === 400
          ? problem.fields.find((f) => f.path === 'pin')
          : undefined;
      if (onPin) {
        setPinError(onPin.message[locale]);
        setAgain('');
        pinInput.current?.focus();
      } else {
        setError(problemMessage(problem, t));
      }
    } finally {
      setBusy(false);
    }
  }

  if (isSaved) {
    return (
      <main class="screen pin" data-screen="pin">
        <h1>{t('family.pin.title')}</h1>
        <p class="notice" role="status">
          {t('family.pin.saved')}
        </p>
        <div class="actions">
          <button type="button" class="big" onClick={onBack}>
            {t('family.pin.back')}
          </button>
        </div>
      </main>
    );
  }

  return (
    <main class="screen pin" data-screen="pin">
      <h1>{t('family.pin.title')}</h1>
      <p>{t('family.pin.why')}</p>
      <form noValidate onSubmit={(e) => void save(e)}>
        <label for="pin">{t('family.pin.new')}</label>
        <input
          id="pin"
          name="pin"
          ref={pinInput}
          class="big-input pin-input"
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          maxLength={PIN_MAX_DIGITS}
          value={pin}
          aria-invalid={pinError ? 'true' : undefined}
          aria-describedby={pinError ? 'pin-error' : undefined}
          onInput={(e) => {
            setPin(digitsOf(e));
            setPinError(null);
          }}
        />
        {pinError ? (
          <p id="pin-error" class="error" role="alert">
            {pinError}
          </p>
        ) : null}
        <label for="pin-again">{t('family.pin.again')}</label>
        <input
          id="pin-again"
          name="pin-again"
          ref={againInput}
          class="big-input pin-input"
          type="password"
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          maxLength={PIN_MAX_DIGITS}
          value={again}
          aria-invalid={againError ? 'true' : undefined}
          aria-describedby={againError ? 'pin-again-error' : undefined}
          onInput={(e) => {
            setAgain(digitsOf(e));
            setAgainError(null);
          }}
        />
        {againError ? (
          <p id="pin-again-error" class="error" role="alert">
            {againError}
          </p>
        ) : null}
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="big" disabled={isBusy || pin === '' || again === ''}>
          {t('family.pin.save')}
        </button>
      </form>
      <div class="actions">
        <button type="button" class="plain" onClick={onBack}>
          {t('family.pin.back')}
        </button>
      </div>
    </main>
  );
}
