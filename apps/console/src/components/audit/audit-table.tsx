import type { Locale, Translate } from '@affection/ui';
import { formatInZone } from '../common/zoned-time.tsx';
import { type AuditEntry, actionText, subjectKindText } from './audit-types.ts';

/** Options of {@link AuditTable}. */
export interface AuditTableProps {
  t: Translate;
  locale: Locale;
  /** The Home's zone: every time is shown in it. */
  zone: string;
  entries: readonly AuditEntry[];
  /** Names of the Home's staff and children by id, to say which record an event was about. */
  names: ReadonlyMap<string, string>;
}

function actorText(t: Translate, actor: AuditEntry['actor']): string {
  switch (actor.kind) {
    case 'staff':
      return actor.name ?? t('console.audit.actor-staff-gone');
    case 'kiosk':
      return actor.name ?? t('console.audit.actor-kiosk');
    case 'family':
      return t('console.audit.actor-family');
    case 'system':
      return t('console.audit.actor-system');
  }
}

/**
 * The events, newest first: when (the Home's zone), who, what, about which record (by name for a
 * child or a staff member, else its kind and id), and the names of the fields changed — never values.
 */
export function AuditTable({ t, locale, zone, entries, names }: AuditTableProps) {
  return (
    <div class="table-box">
      <table class="data-table audit-table">
        <thead>
          <tr>
            <th scope="col">{t('console.audit.col-time')}</th>
            <th scope="col">{t('console.audit.col-who')}</th>
            <th scope="col">{t('console.audit.col-what')}</th>
            <th scope="col">{t('console.audit.col-subject')}</th>
            <th scope="col">{t('console.audit.col-fields')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const named = entry.subjectId ? names.get(entry.subjectId) : undefined;
            return (
              <tr
                key={entry.id}
                data-audit={entry.id}
                data-action={entry.action}
                data-subject={entry.subjectId ?? undefined}
              >
                <td>
                  <time dateTime={entry.at}>{formatInZone(entry.at, zone, locale, 'date-time')}</time>
                </td>
                <td>{actorText(t, entry.actor)}</td>
                <td>
                  {actionText(t, entry.action)}
                  <div class="audit-code">{entry.action}</div>
                </td>
                <td>
                  {subjectKindText(t, entry.subjectKind)}
                  {named ? ` · ${named}` : ''}
                  {entry.subjectId && !named && <div class="audit-code">{entry.subjectId}</div>}
                </td>
                <td class="audit-fields">
                  {entry.fields.length > 0 ? (
                    entry.fields.map((field) => (
                      <code key={field} class="audit-field">
                        {field}
                      </code>
                    ))
                  ) : (
                    <span class="audit-none">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
