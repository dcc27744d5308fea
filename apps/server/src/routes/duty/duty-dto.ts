import type { DutyOverride, DutyPatternEntry, DutyStaff } from '@affection/db';
import type { z } from '@hono/zod-openapi';
import type { DutyOverrideSchema, DutyPatternEntrySchema, DutyStaffSchema } from './duty-schemas.ts';

/** The rota line as the API shows it. */
export function toDutyPatternEntryDto(entry: DutyPatternEntry): z.infer<typeof DutyPatternEntrySchema> {
  return { id: entry.id, weekday: entry.weekday, ...toDutyStaffDto(entry) };
}

/** The override as the API shows it. */
export function toDutyOverrideDto(override: DutyOverride): z.infer<typeof DutyOverrideSchema> {
  return { id: override.id, date: override.date, kind: override.kind, ...toDutyStaffDto(override) };
}

/** The staff member as the rota shows them. */
export function toDutyStaffDto(staff: DutyStaff): z.infer<typeof DutyStaffSchema> {
  return { staffId: staff.staffId, displayName: staff.displayName, role: staff.role, active: staff.active };
}
