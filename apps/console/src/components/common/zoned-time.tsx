import type { Locale } from '@affection/ui';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Formats an instant in a time zone (`HH:mm` by default), caching the formatter. */
export function formatInZone(
  instant: string | Date,
  zone: string,
  locale: Locale,
  style: 'time' | 'date' | 'date-time' = 'time',
): string {
  const key = `${zone}|${locale}|${style}`;
  let format = formats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = { timeZone: zone, hourCycle: 'h23' };
    if (style !== 'date') Object.assign(options, { hour: '2-digit', minute: '2-digit' });
    if (style !== 'time') Object.assign(options, { month: 'numeric', day: 'numeric', weekday: 'short' });
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format.format(typeof instant === 'string' ? new Date(instant) : instant);
}

/** An instant shown in a zone (the Home's, or a contact's own), as a `<time>` element. */
export function ZonedTime({
  at,
  zone,
  locale,
  style = 'time',
}: {
  at: string;
  zone: string;
  locale: Locale;
  style?: 'time' | 'date' | 'date-time';
}) {
  return <time dateTime={at}>{formatInZone(at, zone, locale, style)}</time>;
}
