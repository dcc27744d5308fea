import type { Translate } from '@affection/ui';

/**
 * A last contact as a teacher says it: "刚刚" under a minute, then minutes, hours and days ago; "从未联系" when
 * the kiosk never reached the server. `now` and `at` are instants.
 *
 * @example lastContactText(t, '2026-12-05T08:00:00Z', new Date('2026-12-05T08:03:10Z')) → '3分钟前'
 */
export function lastContactText(t: Translate, at: string | null, now: Date): string {
  if (at === null) return t('console.kiosks.never');
  const minutes = Math.floor(Math.max(0, now.getTime() - new Date(at).getTime()) / 60_000);
  if (minutes < 1) return t('console.kiosks.just-now');
  if (minutes < 60) return t('console.kiosks.minutes-ago', { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('console.kiosks.hours-ago', { n: hours });
  return t('console.kiosks.days-ago', { n: Math.floor(hours / 24) });
}

/** Whether a kiosk's last contact is old enough that the admin should look at it (over 10 minutes). */
export function isContactStale(at: string | null, now: Date): boolean {
  return at !== null && now.getTime() - new Date(at).getTime() > 10 * 60_000;
}
