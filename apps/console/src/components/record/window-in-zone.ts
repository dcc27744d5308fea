const DAY_MS = 86_400_000;

function partsIn(zone: string, at: number): { y: number; m: number; d: number; h: number; mi: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { y: +parts.year!, m: +parts.month!, d: +parts.day!, h: +parts.hour! % 24, mi: +parts.minute! };
}

/** The instant a wall-clock time on a date reads as in `zone` (the zone's offset that day). */
function instantOf(zone: string, y: number, m: number, d: number, h: number, mi: number): number {
  const guess = Date.UTC(y, m - 1, d, h, mi);
  const seen = partsIn(zone, guess);
  const offset = Date.UTC(seen.y, seen.m - 1, seen.d, seen.h, seen.mi) - guess;
  return guess - offset;
}

/**
 * A weekly window of a contact (weekday 1–7, `HH:MM` in the contact's zone) as it falls in another zone this week:
 * the weekday (1–7) and times there. A Madrid evening is the next night in Beijing.
 *
 * @example windowInZone({ weekday: 1, startTime: '19:00', endTime: '20:00' }, 'Europe/Madrid', 'Asia/Shanghai', now)
 */
export function windowInZone(
  window: { weekday: number; startTime: string; endTime: string },
  fromZone: string,
  toZone: string,
  now: Date,
): { weekday: number; startTime: string; endTime: string } | null {
  if (!/^\d\d:\d\d$/.test(window.startTime) || !/^\d\d:\d\d$/.test(window.endTime)) return null;
  const today = partsIn(fromZone, now.getTime());
  const todayUtc = Date.UTC(today.y, today.m - 1, today.d);
  const todayWeekday = ((new Date(todayUtc).getUTCDay() + 6) % 7) + 1;
  const day = new Date(todayUtc + (window.weekday - todayWeekday) * DAY_MS);
  const at = (time: string) =>
    instantOf(
      fromZone,
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      +time.slice(0, 2),
      +time.slice(3),
    );
  const start = partsIn(toZone, at(window.startTime));
  const end = partsIn(toZone, at(window.endTime));
  const pad = (n: number) => String(n).padStart(2, '0');
  const weekday = ((new Date(Date.UTC(start.y, start.m - 1, start.d)).getUTCDay() + 6) % 7) + 1;
  return { weekday, startTime: `${pad(start.h)}:${pad(start.mi)}`, endTime: `${pad(end.h)}:${pad(end.mi)}` };
}
