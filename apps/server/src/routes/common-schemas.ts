import { normalizePhone } from '@affection/core';
import { z } from '@hono/zod-openapi';
import { isCleanText, type TextCharacterOptions } from '../validation/text-characters.ts';

/** A prefixed id in a path, e.g. `chd_7m2k9x4q1b8c0d5e`. */
export function idParam(prefix: string) {
  return z.object({
    id: z
      .string()
      .regex(new RegExp(`^${prefix}_[0-9a-z]{16}$`), 'validation.id')
      .openapi({ param: { name: 'id', in: 'path' }, example: `${prefix}_7m2k9x4q1b8c0d5e` }),
  });
}

/** A prefixed id in a body. */
export function idOf(prefix: string) {
  return z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{16}$`), 'validation.id');
}

/** 'HH:MM', 24-hour. */
export const WallTimeSchema = z
  .string()
  .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'validation.time')
  .openapi({ example: '12:15' });

/** 'YYYY-MM-DD' that is a real date. */
export const DateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.date')
  .refine((value) => {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
  }, 'validation.date')
  .openapi({ example: '2026-09-01' });

/** An IANA time zone the runtime knows. */
export const TimeZoneSchema = z
  .string()
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'validation.time_zone')
  .openapi({ example: 'Asia/Shanghai' });

/** A phone number as typed; becomes E.164 (mainland China when no country code). */
export const PhoneSchema = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const parsed = normalizePhone(value);
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'validation.phone' });
      return z.NEVER;
    }
    return parsed.e164;
  })
  .openapi({ type: 'string', example: '+8613812345678' });

/** ISO weekday, Monday = 1. */
export const WeekdaySchema = z.number().int().min(1).max(7).openapi({ example: 1 });

/**
 * Non-empty trimmed text up to `max` characters, with no control character (NUL included) and no
 * lone surrogate; one line without tabs unless `multiline` (notes). A bad character is the field
 * problem `validation.invalid_format`.
 */
export function textOf(max: number, options: TextCharacterOptions = {}) {
  return z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((text) => isCleanText(text, options), 'validation.invalid_format');
}

/** `?limit=&offset=` paging. */
export const PagingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ example: 0 }),
});

/** The error body, for OpenAPI responses. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      userMessageKey: z.string().openapi({ example: 'error.common.not-found' }),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

/** Standard error responses to list on a route. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 422 | 429)[]) {
  const descriptions: Record<number, string> = {
    400: 'Invalid input (per-field problems in details.fields)',
    401: 'Not signed in',
    403: 'Not allowed',
    404: 'Not found (or not in your Home)',
    409: 'Conflicts with existing data',
    422: 'Valid but cannot be done now',
    429: 'Too many tries; details.retryAfterSeconds says when to try again',
  };
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: descriptions[s], content: { 'application/json': { schema: ErrorBodySchema } } },
    ]),
  );
}
