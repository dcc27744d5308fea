import type { SeriesResult } from '@affection/bookings';
import type { z } from '@hono/zod-openapi';
import { toBookingDto } from './booking-dto.ts';
import { bookingRefusalError } from './booking-refusal.ts';
import type { SeriesResultSchema } from './booking-schemas.ts';

/** The answer of a series action; when nothing at all could be done, the first refusal with every skip listed. */
export function toSeriesResultDto(result: SeriesResult): z.infer<typeof SeriesResultSchema> {
  const skipped = result.skipped.map((s) => ({
    start: s.start.toISOString(),
    bookingId: s.bookingId,
    reason: s.reason,
  }));
  const first = result.skipped[0];
  if (result.bookings.length === 0 && first) throw bookingRefusalError(first.reason, { skipped });
  return {
    seriesId: result.seriesId,
    bookings: result.bookings.map((b) => toBookingDto(b, result.timeZone)),
    skipped,
  };
}
