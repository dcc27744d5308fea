import type { OpeningException, OpeningRule } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { OpeningExceptionSchema, OpeningRuleSchema } from './opening-schemas.ts';

/** The rule as the API shows it. */
export function toOpeningRuleDto(rule: OpeningRule): z.infer<typeof OpeningRuleSchema> {
  return { id: rule.id, weekday: rule.weekday, startTime: rule.startTime, endTime: rule.endTime };
}

/** The exception as the API shows it. */
export function toOpeningExceptionDto(exception: OpeningException): z.infer<typeof OpeningExceptionSchema> {
  return {
    id: exception.id,
    date: exception.date,
    closed: exception.closed,
    startTime: exception.startTime,
    endTime: exception.endTime,
    note: exception.note,
  };
}
