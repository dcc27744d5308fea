import type { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { fieldProblem, problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { Dialog } from '../components/common/dialog.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import { Field } from '../components/common/field.tsx';
import { EnrolmentCodePanel } from '../components/kiosks/enrolment-code-panel.tsx';
import { KioskTable } from '../components/kiosks/kiosk-table.tsx';
import type { KioskItem, KioskWithCode } from '../components/kiosks/kiosk-types.ts';
import '../components/kiosks/kiosks.css';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

/** How long an enrolment code works (the server's rule), to read the server's clock off a fresh code. */
const CODE_TTL_MS = 10 * 60_000;

/** The list is read again this often while the screen is open (last contacts move on). */
const RELOAD_EVERY_MS = 30_000;

interface ShownCode {
  kioskId: string;
  kioskName: string;
  code: string;
  expiresAt: string;
  clockSkewMs: number;
}

/** What the confirm dialog asks about: revoking a kiosk, or a new code for a kiosk a device is enrolled on. */
type Confirming = { kind: 'revoke' | 're-enrol'; kiosk: KioskItem } | null;

/**
 * 亲情电话机 (admin): the Home's kiosks with whether they take calls, whether a device is enrolled, its last contact
 * with the server and app version, and the self-test column (no self-test yet); add a kiosk, rename it, turn it off
 * or on for calls, show a fresh enrolment code large with its 10-minute countdown, and revoke it after confirming.
 */
export default function KiosksScreen({ api, t, locale }: ScreenProps) {
  const [kiosks, setKiosks] = useState<KioskItem[] | null>(null);
  const [zone, setZone] = useState('Asia/Shanghai');
  // The server's clock at the last read (an old PC's own clock may be off): last contacts are shown against it.
  const [now, setNow] = useState(() => new Date());
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState('');
  const [newName, setNewName] = useState('');
  const [addError, setAddError] = useState<ApiError | null>(null);
  const [adding, setAdding] = useState(false);
  const [code, setCode] = useState<ShownCode | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<KioskItem | null>(null);
  const [renameTo, setRenameTo] = useState('');
  const [renameError, setRenameError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [loading, setLoading] = useState(false);

  const load = async () => {
    setLoading(true);
    try {
      const list = await api.call('GET /api/kiosks');
      setKiosks(list.items);
      setLoadError(null);
      setNow(new Date(list.now));
    } catch (caught) {
      setLoadError(caught as ApiError);
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    api.call('GET /api/home').then(
      (home) => setZone(home.timeZone),
      () => undefined,
    );
    void load();
    const reload = setInterval(() => void load(), RELOAD_EVERY_MS);
    const stop = connection.onRetry(() => void load());
    return () => {
      clearInterval(reload);
      stop();
    };
  }, [api]);

  const showCode = (answer: KioskWithCode) => {
    setCode({
      kioskId: answer.kiosk.id,
      kioskName: answer.kiosk.name,
      code: answer.enrolmentCode,
      expiresAt: answer.enrolmentExpiresAt,
      clockSkewMs: new Date(answer.enrolmentExpiresAt).getTime() - CODE_TTL_MS - Date.now(),
    });
  };

  const add = async (event: Event) => {
    event.preventDefault();
    setAdding(true);
    setAddError(null);
    setNotice('');
    try {
      const answer = await api.call('POST /api/kiosks', { body: { name: newName } });
      setNewName('');
      showCode(answer);
      await load();
    } catch (caught) {
      setAddError(caught as ApiError);
    } finally {
      setAdding(false);
    }
  };

  /** Runs one action on a kiosk, then reads the list again. */
  const act = async (kiosk: KioskItem, run: () => Promise<void>, done?: string) => {
    setBusyId(kiosk.id);
    setActionError(null);
    setNotice('');
    try {
      await run();
      if (done) setNotice(done);
      await load();
    } catch (caught) {
      setActionError(caught as ApiError);
    } finally {
      setBusyId(null);
    }
  };

  const newCode = (kiosk: KioskItem) =>
    act(kiosk, async () => {
      showCode(await api.call('POST /api/kiosks/{id}/enrolment-code', { params: { id: kiosk.id } }));
    });

  const toggle = (kiosk: KioskItem) =>
    act(
      kiosk,
      async () => {
        await api.call('PATCH /api/kiosks/{id}', { params: { id: kiosk.id }, body: { enabled: !kiosk.enabled } });
      },
      kiosk.enabled
        ? t('console.kiosks.turned-off', { name: kiosk.name })
        : t('console.kiosks.turned-on', { name: kiosk.name }),
    );

  const rename = async (event: Event) => {
    event.preventDefault();
    const kiosk = renaming;
    if (!kiosk) return;
    setRenameError(null);
    setBusyId(kiosk.id);
    try {
      await api.call('PATCH /api/kiosks/{id}', { params: { id: kiosk.id }, body: { name: renameTo } });
      setRenaming(null);
      setNotice(t('console.kiosks.renamed', { name: renameTo.trim() }));
      await load();
    } catch (caught) {
      setRenameError(caught as ApiError);
    } finally {
      setBusyId(null);
    }
  };

  const confirm = async () => {
    if (!confirming) return;
    const { kind, kiosk } = confirming;
    setConfirming(null);
    if (kind === 're-enrol') return newCode(kiosk);
    if (code?.kioskId === kiosk.id) setCode(null);
    return act(
      kiosk,
      async () => {
        await api.call('POST /api/kiosks/{id}/revoke', { params: { id: kiosk.id } });
      },
      t('console.kiosks.revoked', { name: kiosk.name }),
    );
  };

  return (
    <div class="screen kiosks-screen">
      <div class="kiosks-head">
        <h1>{t('console.nav.kiosks')}</h1>
        <Button busy={loading} onClick={() => void load()}>
          {t('console.kiosks.refresh')}
        </Button>
      </div>
      <p>{t('console.kiosks.intro')}</p>

      {code && (
        <EnrolmentCodePanel
          t={t}
          kioskName={code.kioskName}
          code={code.code}
          expiresAt={code.expiresAt}
          clockSkewMs={code.clockSkewMs}
          busy={busyId === code.kioskId}
          onRenew={() => {
            const kiosk = kiosks?.find((k) => k.id === code.kioskId);
            if (kiosk) void newCode(kiosk);
          }}
          onClose={() => setCode(null)}
        />
      )}

      {notice && <Banner kind="ok">{notice}</Banner>}
      {actionError && <Banner kind="warn">{problemText(actionError, t)}</Banner>}
      {loadError && <Banner kind="warn">{problemText(loadError, t)}</Banner>}

      <form class="card kiosk-add" onSubmit={add} noValidate>
        <Field
          label={t('console.kiosks.add-name')}
          hint={t('console.kiosks.add-hint')}
          value={newName}
          onValue={setNewName}
          maxLength={40}
          error={fieldProblem(addError, 'name', locale)}
          required
        />
        <Button kind="primary" submit busy={adding}>
          {t('console.kiosks.add')}
        </Button>
        {addError && addError.fields.length === 0 && (
          <p class="form-error" role="alert">
            {problemText(addError, t)}
          </p>
        )}
      </form>

      {kiosks &&
        (kiosks.length === 0 ? (
          <EmptyState message={t('console.kiosks.empty')} />
        ) : (
          <KioskTable
            t={t}
            locale={locale}
            zone={zone}
            kiosks={kiosks}
            now={now}
            busyId={busyId}
            onRename={(kiosk) => {
              setRenaming(kiosk);
              setRenameTo(kiosk.name);
              setRenameError(null);
            }}
            onToggle={(kiosk) => void toggle(kiosk)}
            onNewCode={(kiosk) =>
              kiosk.status === 'enrolled' ? setConfirming({ kind: 're-enrol', kiosk }) : void newCode(kiosk)
            }
            onRevoke={(kiosk) => setConfirming({ kind: 'revoke', kiosk })}
          />
        ))}

      {renaming && (
        <Dialog
          title={t('console.kiosks.rename-title', { name: renaming.name })}
          onClose={() => setRenaming(null)}
          closeLabel={t('console.common.close')}
        >
          <form onSubmit={rename} noValidate>
            <Field
              label={t('console.kiosks.add-name')}
              value={renameTo}
              onValue={setRenameTo}
              maxLength={40}
              error={fieldProblem(renameError, 'name', locale)}
              required
            />
            {renameError && renameError.fields.length === 0 && (
              <p class="form-error" role="alert">
                {problemText(renameError, t)}
              </p>
            )}
            <div class="form-actions">
              <Button kind="primary" submit busy={busyId === renaming.id}>
                {t('console.common.save')}
              </Button>
              <Button onClick={() => setRenaming(null)}>{t('console.common.cancel')}</Button>
            </div>
          </form>
        </Dialog>
      )}

      {confirming && (
        <Dialog
          title={
            confirming.kind === 'revoke'
              ? t('console.kiosks.revoke-title', { name: confirming.kiosk.name })
              : t('console.kiosks.re-enrol-title', { name: confirming.kiosk.name })
          }
          onClose={() => setConfirming(null)}
          closeLabel={t('console.common.close')}
        >
          <p>
            {confirming.kind === 'revoke' ? t('console.kiosks.revoke-explain') : t('console.kiosks.re-enrol-explain')}
          </p>
          <div class="form-actions">
            <Button kind={confirming.kind === 'revoke' ? 'danger' : 'primary'} onClick={() => void confirm()}>
              {confirming.kind === 'revoke' ? t('console.kiosks.revoke-confirm') : t('console.kiosks.re-enrol-confirm')}
            </Button>
            <Button onClick={() => setConfirming(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
