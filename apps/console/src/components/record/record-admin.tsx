import type { ApiError, Locale, Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import type { ConsoleApi } from '../../shell/console-api.ts';
import { fieldProblem, problemText } from '../common/api-problem.ts';
import { Banner } from '../common/banner.tsx';
import { Button } from '../common/button.tsx';
import { Dialog } from '../common/dialog.tsx';
import { Field } from '../common/field.tsx';
import type { ChildRecord } from './record-types.ts';

/** Options of {@link RecordAdmin}. */
export interface RecordAdminProps {
  api: ConsoleApi;
  child: ChildRecord;
  t: Translate;
  locale: Locale;
  /** After the erasure: back to the list. */
  onErased: () => void;
}

/**
 * The admin's two record actions: export the whole record as a JSON file (downloaded; the server audits it), and
 * erase, which cannot be undone: the dialog asks for the child's record number, as the API does.
 */
export function RecordAdmin({ api, child, t, locale, onErased }: RecordAdminProps) {
  const [exporting, setExporting] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [exported, setExported] = useState(false);

  const download = async () => {
    setExporting(true);
    setError(null);
    try {
      const record = await api.call('GET /api/children/{id}/export', { params: { id: child.id } });
      const blob = new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = `${child.id}-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(true);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setExporting(false);
    }
  };

  const erase = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.call('POST /api/children/{id}/erase', { params: { id: child.id }, body: { confirm } });
      setErasing(false);
      onErased();
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card record-card" aria-labelledby="record-admin">
      <h2 id="record-admin">{t('console.record.admin')}</h2>
      <p class="muted">{t('console.record.admin-explain')}</p>
      {exported && <Banner kind="ok">{t('console.record.exported')}</Banner>}
      {error && !erasing && <Banner kind="warn">{problemText(error, t)}</Banner>}
      <div class="form-actions">
        <Button busy={exporting} onClick={download}>
          {t('console.record.export')}
        </Button>
        <Button
          kind="danger"
          onClick={() => {
            setConfirm('');
            setError(null);
            setErasing(true);
          }}
        >
          {t('console.record.erase')}
        </Button>
      </div>
      {erasing && (
        <Dialog
          title={t('console.record.erase-title')}
          onClose={() => setErasing(false)}
          closeLabel={t('console.common.close')}
        >
          <form onSubmit={erase} noValidate>
            <p>{t('console.record.erase-explain', { name: `${child.familyName}${child.givenName}` })}</p>
            <p>
              {t('console.record.erase-type')} <code class="record-id">{child.id}</code>
            </p>
            <Field
              label={t('console.record.erase-confirm-label')}
              value={confirm}
              onValue={setConfirm}
              autoComplete="off"
              error={
                fieldProblem(error, 'confirm', locale) ??
                (error?.reason === 'erase-confirm' ? problemText(error, t) : undefined)
              }
            />
            {error && error.fields.length === 0 && error.reason !== 'erase-confirm' && (
              <p class="form-error" role="alert">
                {problemText(error, t)}
              </p>
            )}
            <div class="form-actions">
              <Button kind="danger" submit busy={busy} disabled={confirm.trim() !== child.id}>
                {t('console.record.erase-now')}
              </Button>
              <Button onClick={() => setErasing(false)}>{t('console.common.cancel')}</Button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}
