import type { OpeningException, OpeningRule, Weekday } from '@affection/core';
import { and, asc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { createId } from '../ids.ts';
import { openingExceptions, openingRules } from '../schema/index.ts';

/** One weekly opening range to store, in the Home's zone ('HH:MM', start before end). */
export interface OpeningRuleInput {
  /** ISO weekday 1–7 (the database checks the range). */
  weekday: number;
  startTime: string;
  endTime: string;
}

/** A dated exception to store: closed all day (no times) or open at the given hours. */
export interface OpeningExceptionInput {
  date: string;
  closed: boolean;
  startTime?: string | null;
  endTime?: string | null;
  note?: string | null;
}

/** Date bounds (inclusive, 'YYYY-MM-DD') for {@link listOpeningExceptions}; both optional. */
export interface OpeningDateRange {
  from?: string;
  to?: string;
}

function toRule(row: typeof openingRules.$inferSelect): OpeningRule {
  return { ...row, weekday: row.weekday as Weekday };
}

/** A Home's weekly opening rules, by weekday then start time. */
export async function listOpeningRules(db: Db, homeId: string): Promise<OpeningRule[]> {
  const rows = await db
    .select()
    .from(openingRules)
    .where(eq(openingRules.homeId, homeId))
    .orderBy(asc(openingRules.weekday), asc(openingRules.startTime));
  return rows.map(toRule);
}

/**
 * Replaces all of a Home's weekly opening rules in one transaction. The caller checks that the
 * ranges do not overlap on a weekday.
 */
export async function replaceOpeningRules(
  db: Db,
  homeId: string,
  rules: readonly OpeningRuleInput[],
): Promise<OpeningRule[]> {
  return db.transaction(async (tx) => {
    await tx.delete(openingRules).where(eq(openingRules.homeId, homeId));
    if (rules.length > 0) {
      await tx.insert(openingRules).values(rules.map((rule) => ({ id: createId('openingRule'), homeId, ...rule })));
    }
    return listOpeningRules(tx, homeId);
  });
}

/** A Home's dated exceptions, by date then start time, optionally within `range`. */
export async function listOpeningExceptions(
  db: Db,
  homeId: string,
  range: OpeningDateRange = {},
): Promise<OpeningException[]> {
  const conditions: SQL[] = [eq(openingExceptions.homeId, homeId)];
  if (range.from) conditions.push(gte(openingExceptions.date, range.from));
  if (range.to) conditions.push(lte(openingExceptions.date, range.to));
  return db
    .select()
    .from(openingExceptions)
    .where(and(...conditions))
    .orderBy(asc(openingExceptions.date), asc(openingExceptions.startTime));
}

/** Stores a dated exception. The caller checks it does not clash with others on the same date. */
export async function createOpeningException(
  db: Db,
  homeId: string,
  input: OpeningExceptionInput,
): Promise<OpeningException> {
  const [row] = await db
    .insert(openingExceptions)
    .values({
      id: createId('openingException'),
      homeId,
      date: input.date,
      closed: input.closed,
      startTime: input.closed ? null : (input.startTime ?? null),
      endTime: input.closed ? null : (input.endTime ?? null),
      note: input.note ?? null,
    })
    .returning();
  return row!;
}

/** Deletes one exception of a Home; returns it, or null when there is none (also for another Home's). */
export async function deleteOpeningException(
  db: Db,
  homeId: string,
  exceptionId: string,
): Promise<OpeningException | null> {
  const [row] = await db
    .delete(openingExceptions)
    .where(and(eq(openingExceptions.id, exceptionId), eq(openingExceptions.homeId, homeId)))
    .returning();
  return row ?? null;
}
