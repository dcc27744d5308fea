import { isoWeekdayOf, type StaffRole, type Weekday } from '@affection/core';
import { and, asc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../database.ts';
import { uniqueViolationOf } from '../database-errors.ts';
import { createId } from '../ids.ts';
import { dutyOverrides, dutyPatterns, staff } from '../schema/index.ts';

/** Who a rota line names, as shown beside it. */
export interface DutyStaff {
  staffId: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
}

/** One line of the weekly rota: `staffId` is on duty every `weekday`. */
export interface DutyPatternEntry extends DutyStaff {
  id: string;
  weekday: Weekday;
}

/** Whether an override puts someone on duty for a date or takes them off. */
export type DutyOverrideKind = 'add' | 'remove';

/** A dated change to the rota. */
export interface DutyOverride extends DutyStaff {
  id: string;
  date: string;
  kind: DutyOverrideKind;
}

/** Who is on duty on a date: the weekly rota for its weekday, plus adds, minus removes. */
export interface DutyOnDate {
  date: string;
  weekday: Weekday;
  /** Active staff on duty, by name. */
  staff: DutyStaff[];
  /** The overrides for that date. */
  overrides: DutyOverride[];
}

/** Result of {@link createDutyOverride}: an expected outcome, never an exception. */
export type CreateDutyOverrideResult =
  | { ok: true; override: DutyOverride }
  | { ok: false; reason: 'already-overridden' };

const staffColumns = {
  staffId: staff.id,
  displayName: staff.displayName,
  // The rota holds a Home's own staff only (the routes check it), never a district admin.
  role: sql<StaffRole>`${staff.role}`,
  active: staff.active,
};

/** The Home's weekly rota, by weekday then name. */
export async function listDutyPattern(db: Db, homeId: string): Promise<DutyPatternEntry[]> {
  const rows = await db
    .select({ id: dutyPatterns.id, weekday: dutyPatterns.weekday, ...staffColumns })
    .from(dutyPatterns)
    .innerJoin(staff, eq(staff.id, dutyPatterns.staffId))
    .where(eq(dutyPatterns.homeId, homeId))
    .orderBy(asc(dutyPatterns.weekday), asc(staff.displayName), asc(staff.id));
  return rows.map((row) => ({ ...row, weekday: row.weekday as Weekday }));
}

/**
 * Replaces the Home's weekly rota in one transaction. The caller checks that every staff member
 * belongs to the Home and that no line repeats.
 */
export async function replaceDutyPattern(
  db: Db,
  homeId: string,
  entries: readonly { weekday: number; staffId: string }[],
): Promise<DutyPatternEntry[]> {
  return db.transaction(async (tx) => {
    await tx.delete(dutyPatterns).where(eq(dutyPatterns.homeId, homeId));
    if (entries.length > 0) {
      await tx.insert(dutyPatterns).values(entries.map((entry) => ({ id: createId('dutyPattern'), homeId, ...entry })));
    }
    return listDutyPattern(tx, homeId);
  });
}

async function selectOverrides(db: Db, conditions: SQL[]): Promise<DutyOverride[]> {
  return db
    .select({ id: dutyOverrides.id, date: dutyOverrides.date, kind: dutyOverrides.kind, ...staffColumns })
    .from(dutyOverrides)
    .innerJoin(staff, eq(staff.id, dutyOverrides.staffId))
    .where(and(...conditions))
    .orderBy(asc(dutyOverrides.date), asc(staff.displayName), asc(staff.id));
}

/** The Home's overrides, by date then name, optionally between two dates (inclusive). */
export async function listDutyOverrides(
  db: Db,
  homeId: string,
  range: { from?: string; to?: string } = {},
): Promise<DutyOverride[]> {
  const conditions: SQL[] = [eq(dutyOverrides.homeId, homeId)];
  if (range.from) conditions.push(gte(dutyOverrides.date, range.from));
  if (range.to) conditions.push(lte(dutyOverrides.date, range.to));
  return selectOverrides(db, conditions);
}

/**
 * Adds someone to, or removes them from, duty on one date. A staff member has at most one override
 * per date; a second gives `already-overridden`. The caller checks the staff member is of the Home.
 */
export async function createDutyOverride(
  db: Db,
  homeId: string,
  input: { date: string; staffId: string; kind: DutyOverrideKind },
): Promise<CreateDutyOverrideResult> {
  const id = createId('dutyOverride');
  try {
    await db.insert(dutyOverrides).values({ id, homeId, ...input });
  } catch (error) {
    if (uniqueViolationOf(error) === 'duty_overrides_unique') return { ok: false, reason: 'already-overridden' };
    throw error;
  }
  const [override] = await selectOverrides(db, [eq(dutyOverrides.id, id)]);
  return { ok: true, override: override! };
}

/** Deletes one override of a Home; returns it, or null when there is none (also for another Home's). */
export async function deleteDutyOverride(db: Db, homeId: string, overrideId: string): Promise<DutyOverride | null> {
  const [existing] = await selectOverrides(db, [eq(dutyOverrides.id, overrideId), eq(dutyOverrides.homeId, homeId)]);
  if (!existing) return null;
  await db.delete(dutyOverrides).where(and(eq(dutyOverrides.id, overrideId), eq(dutyOverrides.homeId, homeId)));
  return existing;
}

/**
 * Who is on duty on `date` ('YYYY-MM-DD'): the weekly rota for that date's weekday, plus the
 * staff added for the date, minus those removed. Inactive staff are never on duty.
 */
export async function listOnDuty(db: Db, homeId: string, date: string): Promise<DutyOnDate> {
  const weekday = isoWeekdayOf(date);
  const [pattern, overrides] = await Promise.all([
    db
      .select(staffColumns)
      .from(dutyPatterns)
      .innerJoin(staff, eq(staff.id, dutyPatterns.staffId))
      .where(and(eq(dutyPatterns.homeId, homeId), eq(dutyPatterns.weekday, weekday))),
    selectOverrides(db, [eq(dutyOverrides.homeId, homeId), eq(dutyOverrides.date, date)]),
  ]);
  const onDuty = new Map<string, DutyStaff>(pattern.map((entry) => [entry.staffId, entry]));
  for (const override of overrides) {
    if (override.kind === 'remove') onDuty.delete(override.staffId);
    else onDuty.set(override.staffId, override);
  }
  const staffOnDuty = [...onDuty.values()]
    .filter((entry) => entry.active)
    .map(({ staffId, displayName, role, active }) => ({ staffId, displayName, role, active }))
    .sort((x, y) => x.displayName.localeCompare(y.displayName, 'zh-CN') || x.staffId.localeCompare(y.staffId));
  return { date, weekday, staff: staffOnDuty, overrides };
}
