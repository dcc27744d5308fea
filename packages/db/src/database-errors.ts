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

/** Node's socket errors that mean the database server could not be reached or dropped the connection. */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres's messages for a connection that broke or never came (they carry no code). */
const UNREACHABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
];

/**
 * True when `error` says the database server is away — not answering, refusing connections, shutting down or
 * starting up — rather than that a query was wrong: a socket error, SQLSTATE class 08 (connection exception),
 * 57P01–57P03 (the server is shutting down or not yet accepting connections), or node-postgres's own messages for a
 * broken connection. Looks through Drizzle's wrapping (`cause`) and Node's `AggregateError` (one error per address).
 *
 * @example if (isDatabaseUnavailable(error)) return c.json(body, 503)
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen: unknown[] = [error];
  for (let i = 0; i < seen.length && i < 12; i += 1) {
    const current = seen[i];
    if (!current || typeof current !== 'object') continue;
    const { code, message, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string') {
      if (UNREACHABLE_SOCKET_CODES.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03') return true;
    }
    if (typeof message === 'string' && UNREACHABLE_MESSAGES.some((m) => message.startsWith(m))) return true;
    if (cause) seen.push(cause);
    if (Array.isArray(errors)) seen.push(...errors);
  }
  return false;
}
