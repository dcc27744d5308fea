/** PostgreSQL error codes we act on (the same from PGlite and node-postgres). */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
} as const;

/** The SQLSTATE of a database error, looking through Drizzle's wrapping (`cause`). */
export function databaseErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a database error names, if any (e.g. `bookings_kiosk_no_overlap`). */
export function databaseErrorConstraint(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth += 1) {
    const constraint = (current as { constraint?: unknown }).constraint;
    if (typeof constraint === 'string') return constraint;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True for a unique-constraint violation. */
export function isUniqueViolation(error: unknown): boolean {
  return databaseErrorCode(error) === PG_ERROR.uniqueViolation;
}

/** True for an exclusion-constraint violation (two overlapping active bookings). */
export function isExclusionViolation(error: unknown): boolean {
  return databaseErrorCode(error) === PG_ERROR.exclusionViolation;
}

/**
 * The name of the unique constraint (or index) that `error` violated, or null when it is not a
 * unique violation.
 *
 * @example uniqueViolationOf(error) === 'staff_username_unique'
 */
export function uniqueViolationOf(error: unknown): string | null {
  return isUniqueViolation(error) ? (databaseErrorConstraint(error) ?? '') : null;
}
