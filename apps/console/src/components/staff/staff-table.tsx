import type { Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import type { StaffRow } from './staff-types.ts';

/** What a row says after an action: the API's refusal in plain words, or what was done. */
export interface RowNote {
  kind: 'problem' | 'done';
  text: string;
}

/** Options of {@link StaffTable}. */
export interface StaffTableProps {
  t: Translate;
  rows: readonly StaffRow[];
  /** The signed-in admin (their own row offers a link to their account instead of a reset). */
  meId: string;
  /** The row whose deactivation waits for a second press. */
  confirming: string | null;
  busyId: string | null;
  notes: Readonly<Record<string, RowNote>>;
  onEdit: (row: StaffRow) => void;
  onResetPassword: (row: StaffRow) => void;
  onDeactivate: (row: StaffRow) => void;
  onConfirmDeactivate: (row: StaffRow) => void;
  onCancelDeactivate: () => void;
  onReactivate: (row: StaffRow) => void;
}

/**
 * The staff: name, sign-in name, role, phone (masked by the server), in use or not, and the actions,
 * with the API's answer shown next to them.
 */
export function StaffTable({ t, rows, meId, confirming, busyId, notes, ...on }: StaffTableProps) {
  return (
    <div class="table-box">
      <table class="data-table staff-table">
        <thead>
          <tr>
            <th scope="col">{t('console.staff.col-name')}</th>
            <th scope="col">{t('console.staff.col-login')}</th>
            <th scope="col">{t('console.staff.col-role')}</th>
            <th scope="col">{t('console.staff.col-phone')}</th>
            <th scope="col">{t('console.staff.col-state')}</th>
            <th scope="col">{t('console.staff.col-actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const note = notes[row.id];
            const busy = busyId === row.id;
            return (
              <tr key={row.id} data-staff={row.id} class={row.active ? '' : 'staff-inactive'}>
                <th scope="row">
                  {row.displayName}
                  {row.id === meId && <span class="staff-me"> {t('console.staff.me')}</span>}
                </th>
                <td>{row.username ?? '—'}</td>
                <td>{t(`console.shell.role.${row.role}`)}</td>
                <td class="masked-phone">{row.phone ?? '—'}</td>
                <td>
                  <span class={`staff-state staff-state-${row.active ? 'active' : 'inactive'}`}>
                    {t(row.active ? 'console.staff.active' : 'console.staff.inactive')}
                  </span>
                </td>
                <td>
                  <div class="staff-actions">
                    <Button onClick={() => on.onEdit(row)}>{t('console.staff.edit')}</Button>
                    {row.active &&
                      (row.id === meId ? (
                        <a class="btn btn-quiet staff-link" href="#/account">
                          {t('console.staff.own-password')}
                        </a>
                      ) : (
                        <Button onClick={() => on.onResetPassword(row)}>{t('console.staff.reset-password')}</Button>
                      ))}
                    {row.active ? (
                      confirming === row.id ? (
                        <span class="staff-confirm">
                          <span>{t('console.staff.deactivate-confirm', { name: row.displayName })}</span>
                          <Button kind="danger" busy={busy} onClick={() => on.onConfirmDeactivate(row)}>
                            {t('console.staff.deactivate-yes')}
                          </Button>
                          <Button onClick={on.onCancelDeactivate}>{t('console.staff.cancel')}</Button>
                        </span>
                      ) : (
                        <Button kind="danger" onClick={() => on.onDeactivate(row)}>
                          {t('console.staff.deactivate')}
                        </Button>
                      )
                    ) : (
                      <Button busy={busy} onClick={() => on.onReactivate(row)}>
                        {t('console.staff.reactivate')}
                      </Button>
                    )}
                  </div>
                  {note && (
                    <p
                      class={note.kind === 'problem' ? 'staff-note form-error' : 'staff-note'}
                      role={note.kind === 'problem' ? 'alert' : 'status'}
                    >
                      {note.text}
                    </p>
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
