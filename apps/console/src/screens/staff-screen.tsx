import type { ApiError } from '@affection/ui';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { Dialog } from '../components/common/dialog.tsx';
import { makePassword } from '../components/staff/make-password.ts';
import { PasswordOnce } from '../components/staff/password-once.tsx';
import { StaffForm } from '../components/staff/staff-form.tsx';
import { type RowNote, StaffTable } from '../components/staff/staff-table.tsx';
import { EMPTY_DRAFT, type StaffDraft, type StaffMember, type StaffRow } from '../components/staff/staff-types.ts';
import '../components/staff/staff.css';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Open =
  | { kind: 'add' }
  | { kind: 'edit'; member: StaffMember }
  | { kind: 'reset'; row: StaffRow }
  | { kind: 'password'; name: string; password: string; made: 'new' | 'reset' };

/** The form's text as the API takes it: an empty sign-in name is none. */
function orNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/**
 * 老师账号 (admin): every staff member of the Home, active or not; add a teacher or admin (the first
 * password is made here and shown once), change a name, role or sign-in name, set a new password
 * (shown once too), deactivate and reactivate. The API's refusals (the last admin, one's own account)
 * are shown next to the action in plain words.
 */
export default function StaffScreen({ api, me, t, locale }: ScreenProps) {
  const [rows, setRows] = useState<StaffRow[] | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState<Open | null>(null);
  const [draft, setDraft] = useState<StaffDraft>(EMPTY_DRAFT);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [notes, setNotes] = useState<Record<string, RowNote>>({});
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      api.call('GET /api/staff', { query: { includeInactive: 'true' }, signal }).then(
        (answer) => {
          setRows(answer.items);
          setLoadError(null);
        },
        (failure: ApiError) => {
          if (!signal?.aborted) setLoadError(failure);
        },
      ),
    [api],
  );
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal);
    const stop = connection.onRetry(() => load(controller.signal));
    return () => {
      stop();
      controller.abort();
    };
  }, [load]);

  const note = (id: string, value: RowNote | null) =>
    setNotes((current) => {
      const next = { ...current };
      if (value) next[id] = value;
      else delete next[id];
      return next;
    });
  const close = () => {
    setOpen(null);
    setFormError(null);
  };

  const add = async () => {
    setBusy(true);
    const password = makePassword();
    try {
      const made = await api.call('POST /api/staff', {
        body: {
          role: draft.role,
          displayName: draft.displayName,
          username: orNull(draft.username),
          phone: orNull(draft.phone),
          password,
        },
      });
      setFormError(null);
      setOpen({ kind: 'password', name: made.displayName, password, made: 'new' });
      note(made.id, { kind: 'done', text: t('console.staff.added', { name: made.displayName }) });
      await load();
    } catch (caught) {
      setFormError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const startEdit = async (row: StaffRow) => {
    note(row.id, null);
    try {
      const member = await api.call('GET /api/staff/{id}', { params: { id: row.id } });
      setDraft({
        role: member.role,
        displayName: member.displayName,
        username: member.username ?? '',
        phone: member.phone ?? '',
      });
      setFormError(null);
      setOpen({ kind: 'edit', member });
    } catch (caught) {
      note(row.id, { kind: 'problem', text: problemText(caught as ApiError, t) });
    }
  };

  const saveEdit = async (member: StaffMember) => {
    const patch: { role?: StaffDraft['role']; displayName?: string; username?: string | null; phone?: string | null } =
      {};
    if (draft.role !== member.role) patch.role = draft.role;
    if (draft.displayName !== member.displayName) patch.displayName = draft.displayName;
    if (orNull(draft.username) !== member.username) patch.username = orNull(draft.username);
    if (orNull(draft.phone) !== member.phone) patch.phone = orNull(draft.phone);
    if (Object.keys(patch).length === 0) {
      close();
      return;
    }
    setBusy(true);
    try {
      const saved = await api.call('PATCH /api/staff/{id}', { params: { id: member.id }, body: patch });
      close();
      note(saved.id, { kind: 'done', text: t('console.staff.saved', { name: saved.displayName }) });
      await load();
    } catch (caught) {
      setFormError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const resetPassword = async (row: StaffRow) => {
    setBusy(true);
    const password = makePassword();
    try {
      await api.call('POST /api/staff/{id}/password', { params: { id: row.id }, body: { password } });
      setFormError(null);
      setOpen({ kind: 'password', name: row.displayName, password, made: 'reset' });
      note(row.id, { kind: 'done', text: t('console.staff.password-set', { name: row.displayName }) });
    } catch (caught) {
      setFormError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const setActive = async (row: StaffRow, active: boolean) => {
    setBusyId(row.id);
    note(row.id, null);
    try {
      if (active) await api.call('POST /api/staff/{id}/reactivate', { params: { id: row.id } });
      else await api.call('POST /api/staff/{id}/deactivate', { params: { id: row.id } });
      note(row.id, {
        kind: 'done',
        text: t(active ? 'console.staff.reactivated' : 'console.staff.deactivated', { name: row.displayName }),
      });
      await load();
    } catch (caught) {
      note(row.id, { kind: 'problem', text: problemText(caught as ApiError, t) });
    } finally {
      setBusyId(null);
      setConfirming(null);
    }
  };

  return (
    <section class="screen staff-screen">
      <div class="staff-head">
        <h1>{t('console.nav.staff')}</h1>
        <Button
          kind="primary"
          onClick={() => {
            setDraft(EMPTY_DRAFT);
            setFormError(null);
            setOpen({ kind: 'add' });
          }}
        >
          {t('console.staff.add')}
        </Button>
      </div>
      <p>{t('console.staff.intro')}</p>
      {loadError && <Banner kind="warn">{problemText(loadError, t)}</Banner>}
      {rows === null && !loadError && (
        <p class="loading" role="status">
          {t('console.shell.loading')}
        </p>
      )}
      {rows && (
        <StaffTable
          t={t}
          rows={rows}
          meId={me.id}
          confirming={confirming}
          busyId={busyId}
          notes={notes}
          onEdit={startEdit}
          onResetPassword={(row) => {
            setFormError(null);
            setOpen({ kind: 'reset', row });
          }}
          onDeactivate={(row) => {
            note(row.id, null);
            setConfirming(row.id);
          }}
          onConfirmDeactivate={(row) => setActive(row, false)}
          onCancelDeactivate={() => setConfirming(null)}
          onReactivate={(row) => setActive(row, true)}
        />
      )}
      {open?.kind === 'add' && (
        <Dialog title={t('console.staff.add-title')} onClose={close} closeLabel={t('console.staff.close')}>
          <p>{t('console.staff.add-explain')}</p>
          <StaffForm
            t={t}
            locale={locale}
            draft={draft}
            onDraft={setDraft}
            onSubmit={add}
            onCancel={close}
            busy={busy}
            error={formError}
            submitLabel={t('console.staff.add-submit')}
          />
        </Dialog>
      )}
      {open?.kind === 'edit' && (
        <Dialog
          title={t('console.staff.edit-title', { name: open.member.displayName })}
          onClose={close}
          closeLabel={t('console.staff.close')}
        >
          <StaffForm
            t={t}
            locale={locale}
            draft={draft}
            onDraft={setDraft}
            onSubmit={() => saveEdit(open.member)}
            onCancel={close}
            busy={busy}
            error={formError}
            submitLabel={t('console.staff.save')}
          />
        </Dialog>
      )}
      {open?.kind === 'reset' && (
        <Dialog
          title={t('console.staff.reset-title', { name: open.row.displayName })}
          onClose={close}
          closeLabel={t('console.staff.close')}
        >
          <p>{t('console.staff.reset-explain', { name: open.row.displayName })}</p>
          {formError && (
            <p class="form-error" role="alert">
              {problemText(formError, t)}
            </p>
          )}
          <div class="form-actions">
            <Button kind="primary" busy={busy} onClick={() => resetPassword(open.row)}>
              {t('console.staff.reset-submit')}
            </Button>
            <Button onClick={close}>{t('console.staff.cancel')}</Button>
          </div>
        </Dialog>
      )}
      {open?.kind === 'password' && (
        <PasswordOnce t={t} name={open.name} password={open.password} kind={open.made} onClose={close} />
      )}
    </section>
  );
}
