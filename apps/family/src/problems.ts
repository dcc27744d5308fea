import { ApiError, isMessageKey, type Translate } from '@affection/ui';

/** Minutes to wait after a 429, rounded up (at least 1). */
export function waitMinutes(problem: ApiError): number {
  return Math.max(1, Math.ceil((problem.retryAfterSeconds ?? 60) / 60));
}

/** What to tell a parent about a failed request: the reason's own message, the network, or a general one. */
export function problemMessage(problem: unknown, t: Translate): string {
  if (!(problem instanceof ApiError)) return t('error.family.generic');
  if (problem.status === 0) return t('error.family.network');
  const key = `error.family.${problem.reason ?? ''}`;
  if (problem.reason && isMessageKey(key)) {
    const triesLeft = problem.details.triesLeft;
    return t(key, { tries: typeof triesLeft === 'number' ? triesLeft : '', minutes: waitMinutes(problem) });
  }
  if (problem.status === 401) return t('error.family.signed-out');
  if (problem.status === 503) return t('error.family.unavailable');
  return t('error.family.generic');
}
