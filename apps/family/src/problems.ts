import { ApiError, isMessageKey, type Translate } from '@affection/ui';

/** Minutes to wait after a 429, rounded up (at least 1). */
export function waitMinutes(problem: ApiError): number {
  return Math.max(1, Math.ceil((problem.retryAfterSeconds ?? 60) / 60));
}

/**
 * When the next sign-in code may be asked for (`details.nextCodeAt`), in the phone's own zone: `08:15`, or
 * `12/7 08:15` when it is not today. Empty when the answer did not say.
 */
export function nextCodeTimeText(problem: ApiError, now: Date = new Date()): string {
  const iso = problem.details.nextCodeAt;
  if (typeof iso !== 'string') return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(at.getHours())}:${two(at.getMinutes())}`;
  return at.toDateString() === now.toDateString() ? time : `${at.getMonth() + 1}/${at.getDate()} ${time}`;
}

/** What to tell a parent about a failed request: the reason's own message, the network, or a general one. */
export function problemMessage(problem: unknown, t: Translate): string {
  if (!(problem instanceof ApiError)) return t('error.family.generic');
  if (problem.status === 0) return t('error.family.network');
  const key = `error.family.${problem.reason ?? ''}`;
  if (problem.reason && isMessageKey(key)) {
    const triesLeft = problem.details.triesLeft;
    return t(key, {
      tries: typeof triesLeft === 'number' ? triesLeft : '',
      minutes: waitMinutes(problem),
      time: nextCodeTimeText(problem),
    });
  }
  if (problem.status === 401) return t('error.family.signed-out');
  if (problem.status === 503) return t('error.family.unavailable');
  return t('error.family.generic');
}
