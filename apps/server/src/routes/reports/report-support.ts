import { AppError, formatPhone, maskPhone } from '@affection/core';
import { type Db, getHome, type ReportOutcome, type RosterEntry } from '@affection/db';
import { CATALOGS } from '@affection/ui';
import { stringify } from 'csv-stringify/sync';
import type { Context } from 'hono';
import type { AppEnv } from '../../services.ts';
import { fieldProblem } from '../contacts/field-problem.ts';

type Relation = RosterEntry['contacts'][number]['relation'];

/** The Home a report is about, as the answers name it. */
export async function loadReportHome(db: Db, homeId: string): Promise<{ id: string; name: string; timeZone: string }> {
  const home = await getHome(db, homeId);
  if (!home) throw new AppError('not-found', 'No such Home.');
  return { id: home.id, name: home.name, timeZone: home.timeZone };
}

function badCursor(): AppError {
  return new AppError('validation-failed', 'Some fields need fixing: cursor', {
    details: { target: 'query', fields: [fieldProblem('cursor', 'validation.invalid_format')] },
  });
}

/** The cursor of the page after `offset` rows (opaque to callers). */
export function offsetCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

/** The offset a cursor from {@link offsetCursor} holds (0 without one); a cursor it did not make is a 400. */
export function offsetOfCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  const value = decodeCursor(cursor) as { o?: unknown } | null;
  if (!value || typeof value.o !== 'number' || !Number.isInteger(value.o) || value.o < 0 || value.o > 1_000_000) {
    throw badCursor();
  }
  return value.o;
}

/** The cursor of the call book's page after a call (its slot start and id). */
export function callCursor(after: { startAt: Date; bookingId: string }): string {
  return Buffer.from(JSON.stringify({ t: after.startAt.getTime(), b: after.bookingId })).toString('base64url');
}

/** Largest instant a `Date` can hold (±100,000,000 days from 1970): a cursor past it is not ours. */
const MAX_TIME_MS = 8.64e15;

/** The call a cursor from {@link callCursor} holds (null without one); a cursor it did not make is a 400. */
export function callOfCursor(cursor: string | undefined): { startAt: Date; bookingId: string } | null {
  if (cursor === undefined) return null;
  const value = decodeCursor(cursor) as { t?: unknown; b?: unknown } | null;
  if (
    !value ||
    typeof value.t !== 'number' ||
    !Number.isFinite(value.t) ||
    Math.abs(value.t) > MAX_TIME_MS ||
    typeof value.b !== 'string' ||
    !/^bkg_[0-9a-z]{16}$/.test(value.b)
  ) {
    throw badCursor();
  }
  return { startAt: new Date(value.t), bookingId: value.b };
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

/**
 * A phone number for a ledger: a mainland number without its +86 (`138****5678` masked, `13812345678` whole),
 * any other as E.164 (masked as {@link maskPhone} does).
 */
export function ledgerPhone(e164: string, whole: boolean): string {
  if (e164.startsWith('+86')) {
    const national = e164.slice(3);
    return whole ? national : `${national.slice(0, 3)}****${national.slice(-4)}`;
  }
  return whole ? e164 : maskPhone(e164);
}

/**
 * A phone number for a ledger's CSV file: a whole number as people write it ({@link formatPhone}: `138 0013 8000`,
 * `+34 612 34 56 78`), so that a spreadsheet keeps it as text, never as a figure in scientific notation; a masked
 * one as {@link ledgerPhone} writes it. (A cell starting with `+` also gets the formula guard of {@link csvResponse}.)
 */
export function ledgerCsvPhone(e164: string, whole: boolean): string {
  return whole ? formatPhone(e164) : ledgerPhone(e164, false);
}

/** Rows read from the database at a time while a whole ledger is written as CSV. */
export const LEDGER_BATCH = 1000;

/** The period as a ledger's file name says it (`2026-09-01至2027-01-31`), or `fallback` without one. */
export function ledgerFileDates(period: { from: string; to: string } | null, fallback: string): string {
  return period ? `${period.from}至${period.to}` : fallback;
}

/**
 * How the ledgers name a relation (`奶奶/外婆`): the catalog's Chinese words, the ones the console prints the
 * ledgers with (Chinese: the files are the school's own papers).
 */
export function ledgerRelationWord(relation: Relation): string {
  return CATALOGS['zh-CN'][`console.relation.${relation}`];
}

/** How the ledgers name an outcome (`已通话`, `家长未接通`…): the catalog's Chinese words, as the console prints them. */
export function ledgerOutcomeWord(outcome: ReportOutcome): string {
  return CATALOGS['zh-CN'][`console.reports.outcome.${outcome}`];
}

/** A child's name as the ledgers print it. */
export function childName(child: { familyName: string; givenName: string }): string {
  return `${child.familyName}${child.givenName}`;
}

/**
 * A CSV answer that opens in Excel and WPS with its Chinese intact: UTF-8 with a byte order mark, CRLF line ends,
 * the header row first, written by csv-stringify; saved as `filename` (RFC 5987 `filename*` for the Chinese name,
 * an ASCII `filename` for old browsers).
 *
 * Every ledger's file is written here, so the guard against formula injection lives here too (OWASP, CSV
 * injection): a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return (or the full-width
 * `＝＋－＠` a Chinese keyboard types) gets a leading `'`, so that a spreadsheet shows it as text and never runs it.
 * Numbers stay numbers.
 */
export function csvResponse(
  c: Context<AppEnv>,
  names: { ascii: string; chinese: string },
  header: string[],
  rows: (string | number | null)[][],
): Response {
  const text = stringify([header, ...rows.map((row) => row.map((cell) => (cell === null ? '' : cell)))], {
    bom: true,
    record_delimiter: '\r\n',
    escape_formulas: true,
  });
  return c.body(text, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${names.ascii}"; filename*=UTF-8''${encodeURIComponent(names.chinese)}`,
    'Cache-Control': 'no-store',
  });
}
