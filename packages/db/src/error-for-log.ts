import { isAppError } from '@affection/core';

/** Which fields of one error in a cause chain may be logged: none of them carries a value a person typed. */
export interface LoggableErrorPart {
  /** The error's class (`DatabaseError`, `DrizzleQueryError`, `AppError`, `TypeError`…). */
  class: string;
  /** Our own closed code, for an `AppError`. */
  appCode?: string;
  /** A PostgreSQL SQLSTATE (`23505`). */
  sqlState?: string;
  /** A system error code (`ECONNREFUSED`, `ETIMEDOUT`). */
  systemCode?: string;
  /** Names from the schema, never values: constraint, table, column. */
  constraint?: string;
  table?: string;
  column?: string;
}

/** What {@link errorForLog} returns. */
export interface LoggableError extends LoggableErrorPart {
  /** The causes under the error, outermost first (at most three). */
  causes?: LoggableErrorPart[];
  /** Stack frames in the project's own source (no vendor frames, no message lines), at most eight. */
  frames?: string[];
}

const SQL_STATE = /^[0-9A-Z]{5}$/;
const SYSTEM_CODE = /^E[A-Z0-9_]{2,40}$/;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const OWN_SOURCE = /(?:^|[/\\])((?:apps|packages|tests|scripts)[/\\].+)$/;

function className(error: object): string {
  const name = error.constructor?.name;
  return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,60}$/.test(name) ? name : 'Object';
}

function schemaName(value: unknown): string | undefined {
  return typeof value === 'string' && SCHEMA_NAME.test(value) ? value : undefined;
}

function partOf(error: object): LoggableErrorPart {
  const part: LoggableErrorPart = { class: className(error) };
  const fields = error as Record<string, unknown>;
  if (isAppError(error)) part.appCode = error.code;
  else if (typeof fields.code === 'string' && SQL_STATE.test(fields.code)) part.sqlState = fields.code;
  else if (typeof fields.code === 'string' && SYSTEM_CODE.test(fields.code)) part.systemCode = fields.code;
  const constraint = schemaName(fields.constraint);
  const table = schemaName(fields.table);
  const column = schemaName(fields.column);
  if (constraint) part.constraint = constraint;
  if (table) part.table = table;
  if (column) part.column = column;
  return part;
}

/**
 * The frames of a stack that point into the project's own source, as `function (apps/…/file.ts:12:3)`.
 * The lines before the first frame are the message — a driver puts the query's parameters there — so
 * only lines that are frames are read, and only their function name and location are kept.
 */
function ownFrames(error: object): string[] {
  const { stack, message } = error as { stack?: unknown; message?: unknown };
  if (typeof stack !== 'string') return [];
  // V8 writes `Name: message` first; a message of n lines takes n lines, and a typed value could look like a frame.
  const messageLines = typeof message === 'string' ? message.split('\n').length : 1;
  const frames: string[] = [];
  for (const line of stack.split('\n').slice(messageLines)) {
    const frame = /^\s+at (?:(async )?([\w$.<>[\] ]{1,80}) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!frame) continue;
    const [, isAsync, fn, file = '', row, col] = frame;
    if (file.includes('node_modules') || file.startsWith('node:')) continue;
    const own = OWN_SOURCE.exec(file.replace(/^file:\/\//, ''));
    if (!own) continue;
    frames.push(`${isAsync ?? ''}${fn ? `${fn} ` : ''}(${own[1]}:${row}:${col})`);
    if (frames.length === 8) break;
  }
  return frames;
}

/**
 * What of an unexpected error may go into a log line: the class, our own code, the SQLSTATE or system
 * code, the constraint, table and column names, each cause's same fields, and the stack frames in our
 * own source. Never a message or a stack's text: a database driver writes the query's parameters
 * (names, phone numbers, password hashes, login names) into both, and a vendor may echo what a caller sent.
 *
 * @example log.error({ err: errorForLog(error) }, 'unexpected error')
 */
export function errorForLog(error: unknown): LoggableError {
  if (!(error instanceof Object)) return { class: typeof error };
  const safe: LoggableError = partOf(error);
  const causes: LoggableErrorPart[] = [];
  let cause: unknown = (error as { cause?: unknown }).cause;
  while (cause instanceof Object && causes.length < 3) {
    causes.push(partOf(cause));
    cause = (cause as { cause?: unknown }).cause;
  }
  if (causes.length > 0) safe.causes = causes;
  const frames = ownFrames(error);
  if (frames.length > 0) safe.frames = frames;
  return safe;
}
