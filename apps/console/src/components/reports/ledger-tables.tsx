import type { ApiResponse } from '@affection/server/contract';
import type { Locale, Translate } from '@affection/ui';
import { relationWord } from '../contact-card/card-words.ts';
import { childName, count, dayLabel, monthLabel, moodWord, outcomeWord } from './report-words.ts';

/** A roster row (留守儿童花名册). */
export type RosterRow = ApiResponse<'GET /api/reports/roster'>['items'][number];
/** A call of the call record book (亲情通话记录簿). */
export type CallBookRow = ApiResponse<'GET /api/reports/call-book'>['items'][number];
/** A pairing with its diary (结对帮扶记录). */
export type PairingRow = ApiResponse<'GET /api/reports/pairings'>['items'][number];
/** The monthly summary (月度通话汇总). */
export type MonthlySummary = ApiResponse<'GET /api/reports/monthly'>;

interface TableProps<Row> {
  t: Translate;
  locale: Locale;
  rows: readonly Row[];
  /** The running head repeated at the top of every printed page: Home · ledger · period. */
  running: string;
}

/** The header rows: the running head (print only) and the columns; `thead` repeats on each printed page. */
function Head({ running, columns }: { running: string; columns: string[] }) {
  return (
    <thead>
      <tr class="ledger-running">
        <th colSpan={columns.length} scope="colgroup">
          {running}
        </th>
      </tr>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** 留守儿童花名册: a child a row, each contact of the household a line in the contact columns. */
export function RosterTable({ t, rows, running }: TableProps<RosterRow>) {
  const columns = ['no', 'name', 'class', 'household', 'contact', 'relation', 'city', 'phone'].map((c) =>
    t(`console.reports.col.${c}` as Parameters<Translate>[0]),
  );
  return (
    <table class="ledger-table">
      <Head running={running} columns={columns} />
      <tbody>
        {rows.map((row, index) => (
          <tr key={row.childId}>
            <td>{index + 1}</td>
            <th scope="row">
              {childName(row)}
              {row.archived && <span class="ledger-note">（{t('console.reports.unreached.left')}）</span>}
            </th>
            <td>{row.className ?? ''}</td>
            <td>{row.householdName}</td>
            <td>
              {row.contacts.map((c) => (
                <div key={c.contactId}>{c.name}</div>
              ))}
            </td>
            <td>
              {row.contacts.map((c) => (
                <div key={c.contactId}>{relationWord(t, c.relation)}</div>
              ))}
            </td>
            <td>
              {row.contacts.map((c) => (
                <div key={c.contactId}>{c.city ?? ''}</div>
              ))}
            </td>
            <td class="ledger-phone">
              {row.contacts.map((c) => (
                <div key={c.contactId}>{c.phone}</div>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 亲情通话记录簿: a call a row — date, time, children, who they talked to, minutes, outcome, moods. */
export function CallBookTable({ t, locale, rows, running }: TableProps<CallBookRow>) {
  const columns = ['no', 'date', 'time', 'child', 'talked-with', 'minutes', 'outcome', 'mood'].map((c) =>
    t(`console.reports.col.${c}` as Parameters<Translate>[0]),
  );
  return (
    <table class="ledger-table">
      <Head running={running} columns={columns} />
      <tbody>
        {rows.map((row, index) => (
          <tr key={row.bookingId}>
            <td>{index + 1}</td>
            <td class="nowrap">{dayLabel(row.date, locale)}</td>
            <td>{row.time}</td>
            <th scope="row">{row.children.map(childName).join('、')}</th>
            <td>{row.contacts.map((c) => `${c.name}（${relationWord(t, c.relation)}）`).join('、')}</td>
            <td>{row.minutes}</td>
            <td>{outcomeWord(t, row.outcome)}</td>
            <td>
              {row.children
                .filter((c) => c.mood !== null)
                .map((c) => (row.children.length > 1 ? `${c.givenName}：${moodWord(t, c.mood)}` : moodWord(t, c.mood)))
                .join('、')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 结对帮扶记录: a pairing a row, with the growth diary entries of the period. */
export function PairingsTable({ t, locale, rows, running }: TableProps<PairingRow>) {
  const columns = ['no', 'teacher', 'child', 'class', 'paired-on', 'diary'].map((c) =>
    t(`console.reports.col.${c}` as Parameters<Translate>[0]),
  );
  return (
    <table class="ledger-table">
      <Head running={running} columns={columns} />
      <tbody>
        {rows.map((row, index) => (
          <tr key={row.pairingId}>
            <td>{index + 1}</td>
            <td class="nowrap">{row.staffName}</td>
            <th scope="row">{childName(row)}</th>
            <td class="nowrap">{row.className ?? ''}</td>
            <td class="nowrap">{dayLabel(row.pairedOn, locale)}</td>
            <td class="ledger-diary">
              {row.diary.length === 0 ? (
                <span class="ledger-note">{t('console.reports.no-diary')}</span>
              ) : (
                row.diary.map((entry) => (
                  <p key={entry.entryId}>
                    <strong>{dayLabel(entry.date, locale)}</strong>
                    {entry.mood !== null && `（${moodWord(t, entry.mood)}）`} {entry.text}
                  </p>
                ))
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** 月度通话汇总: a month a row and the period's totals, for the evaluation. */
export function MonthlyTable({
  t,
  locale,
  summary,
  running,
}: {
  t: Translate;
  locale: Locale;
  summary: MonthlySummary;
  running: string;
}) {
  const columns = ['month', 'children', 'reached', 'percent', 'booked', 'completed', 'minutes', 'no-shows'].map((c) =>
    t(`console.reports.col.${c}` as Parameters<Translate>[0]),
  );
  const cells = (row: MonthlySummary['totals']) => (
    <>
      <td>{count(row.children, locale)}</td>
      <td>{count(row.childrenReached, locale)}</td>
      <td>{row.reachedPercent === null ? '—' : `${row.reachedPercent}%`}</td>
      <td>{count(row.callsBooked, locale)}</td>
      <td>{count(row.callsCompleted, locale)}</td>
      <td>{count(row.minutes, locale)}</td>
      <td>{count(row.parentNoShows + row.childNoShows, locale)}</td>
    </>
  );
  return (
    <table class="ledger-table">
      <Head running={running} columns={columns} />
      <tbody>
        {summary.items.map((row) => (
          <tr key={row.month}>
            <th scope="row">{monthLabel(row.month, locale)}</th>
            {cells(row)}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('console.reports.col.total')}</th>
          {cells(summary.totals)}
        </tr>
      </tfoot>
    </table>
  );
}
