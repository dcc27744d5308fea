import { ApiError } from '@affection/ui';
import { useEffect, useState } from 'preact/hooks';
import { problemText } from '../components/common/api-problem.ts';
import { Banner } from '../components/common/banner.tsx';
import { Button } from '../components/common/button.tsx';
import { Dialog } from '../components/common/dialog.tsx';
import { EmptyState } from '../components/common/empty-state.tsx';
import {
  type BoardTeacher,
  childName,
  type PairedChild,
  type PairingBoard,
  type PickableChild,
  pickableChildren,
  type UnpairedChild,
} from '../components/pairings/pairing-types.ts';
import { PickChildDialog, PickTeacherDialog } from '../components/pairings/pick-dialogs.tsx';
import { TeacherCard } from '../components/pairings/teacher-card.tsx';
import '../components/pairings/pairings.css';
import { connection } from '../shell/connection.ts';
import type { ScreenProps } from '../shell/screen-props.ts';

type Opened =
  | { kind: 'teacher-for'; child: UnpairedChild }
  | { kind: 'child-for'; teacher: BoardTeacher }
  | { kind: 'unpair'; teacher: BoardTeacher; child: PairedChild };

/**
 * 结对帮扶: each teacher with their paired children and the board's warnings (children with no
 * teacher, teachers with more than 3). The admin pairs (an unpaired child → a teacher, or a teacher
 * → a child) and unpairs with pickers that work by keyboard and touch; a teacher sees their own
 * children only.
 */
export default function PairingsScreen({ api, me, t }: ScreenProps) {
  const isAdmin = me.role === 'admin';
  const [board, setBoard] = useState<PairingBoard | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [opened, setOpened] = useState<Opened | null>(null);
  const [actionError, setActionError] = useState('');
  const [busy, setBusy] = useState(false);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const load = () => {
      api.call('GET /api/pairings', { signal: controller.signal }).then(
        (answer) => {
          setBoard(answer);
          setError(null);
        },
        (failure: ApiError) => {
          if (!controller.signal.aborted) setError(failure);
        },
      );
    };
    load();
    const stop = connection.onRetry(load);
    return () => {
      stop();
      controller.abort();
    };
  }, [api, reloads]);

  const open = (next: Opened) => {
    setActionError('');
    setOpened(next);
  };
  const teacherName = (staffId: string) => board?.teachers.find((x) => x.staffId === staffId)?.displayName ?? '';

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setActionError('');
    try {
      setMessage(await work());
      setOpened(null);
      setReloads((n) => n + 1);
    } catch (failure) {
      if (!(failure instanceof ApiError)) throw failure;
      setActionError(problemText(failure, t, 'error.pairing'));
      // Someone else may have changed the pairs meanwhile: show them as they are now.
      setReloads((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const pair = (staffId: string, childId: string, child: string) =>
    run(async () => {
      const answer = await api.call('POST /api/pairings', { body: { staffId, childId } });
      const teacher = teacherName(staffId);
      const over = answer.warnings.find((w) => w.code === 'teacher-over-3');
      const done = t('console.pairings.paired', { child, teacher });
      return over && 'count' in over
        ? `${done} ${t('console.pairings.over', { name: teacher, count: over.count })}`
        : done;
    });

  const unpair = (teacher: BoardTeacher, child: PairedChild) =>
    run(async () => {
      const answer = await api.call('DELETE /api/pairings/{id}', { params: { id: child.pairingId } });
      const name = childName(child);
      const done = t('console.pairings.unpaired', { child: name, teacher: teacher.displayName });
      return answer.warnings.some((w) => w.code === 'child-unpaired')
        ? `${done} ${t('console.pairings.still-unpaired', { child: name })}`
        : done;
    });

  const goToTeacher = (staffId: string) => {
    const card = document.getElementById(`teacher-${staffId}`);
    card?.scrollIntoView({ block: 'start' });
    card?.focus({ preventScroll: true });
  };

  const overWarnings = (board?.warnings ?? []).flatMap((w) => (w.code === 'teacher-over-3' ? [w] : []));
  const overIds = new Set(overWarnings.map((w) => w.staffId));
  const shown = board ? (isAdmin ? board.teachers : board.teachers.filter((x) => x.staffId === me.id)) : [];
  const pickable: PickableChild[] = board ? pickableChildren(board) : [];

  return (
    <div class="screen pairings-screen">
      <h1>{t('console.nav.pairings')}</h1>
      <p>{isAdmin ? t('console.pairings.intro') : t('console.pairings.intro-teacher')}</p>
      {message && <Banner kind="ok">{message}</Banner>}
      {error && <Banner kind="warn">{problemText(error, t)}</Banner>}

      {board && isAdmin && (
        <div class="pairings-warnings">
          {board.unpairedChildren.length > 0 && (
            <section class="card pairings-unpaired" aria-labelledby="pairings-unpaired-title">
              <h2 id="pairings-unpaired-title">
                {t('console.pairings.unpaired-title', { count: board.unpairedChildren.length })}
              </h2>
              <p class="pairings-hint">{t('console.pairings.unpaired-hint')}</p>
              <ul class="pairings-chips">
                {board.unpairedChildren.map((child) => (
                  <li key={child.childId}>
                    <button
                      type="button"
                      class="btn pairings-chip"
                      data-child={child.childId}
                      onClick={() => open({ kind: 'teacher-for', child })}
                    >
                      {childName(child)}
                      {child.className && <span class="pairings-class">{child.className}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {overWarnings.map((warning) => (
            <Banner kind="warn" key={warning.staffId}>
              <span>{t('console.pairings.over', { name: teacherName(warning.staffId), count: warning.count })}</span>
              <Button onClick={() => goToTeacher(warning.staffId)}>{t('console.pairings.over-action')}</Button>
            </Banner>
          ))}
          {board.unpairedChildren.length === 0 && overWarnings.length === 0 && (
            <Banner kind="ok">{t('console.pairings.all-good')}</Banner>
          )}
        </div>
      )}

      {board &&
        (shown.length === 0 ? (
          <EmptyState message={isAdmin ? t('console.pairings.no-teachers') : t('console.pairings.none')} />
        ) : (
          <div class="pairings-teachers">
            {shown.map((teacher) => (
              <TeacherCard
                key={teacher.staffId}
                t={t}
                teacher={teacher}
                isOver={overIds.has(teacher.staffId)}
                onAdd={isAdmin ? (which) => open({ kind: 'child-for', teacher: which }) : undefined}
                onUnpair={isAdmin ? (which, child) => open({ kind: 'unpair', teacher: which, child }) : undefined}
              />
            ))}
          </div>
        ))}

      {board && opened?.kind === 'teacher-for' && (
        <PickTeacherDialog
          t={t}
          childName={childName(opened.child)}
          teachers={board.teachers.filter((x) => x.active)}
          busy={busy}
          error={actionError}
          onPick={(teacher) => pair(teacher.staffId, opened.child.childId, childName(opened.child))}
          onClose={() => setOpened(null)}
        />
      )}
      {opened?.kind === 'child-for' && (
        <PickChildDialog
          t={t}
          teacher={opened.teacher}
          options={pickable}
          busy={busy}
          error={actionError}
          onPick={(child) => pair(opened.teacher.staffId, child.childId, child.name)}
          onClose={() => setOpened(null)}
        />
      )}
      {opened?.kind === 'unpair' && (
        <Dialog
          title={t('console.pairings.unpair-title')}
          onClose={() => setOpened(null)}
          closeLabel={t('console.common.close')}
        >
          <p>
            {t('console.pairings.unpair-text', {
              teacher: opened.teacher.displayName,
              child: childName(opened.child),
            })}
          </p>
          {actionError && (
            <p class="form-error" role="alert">
              {actionError}
            </p>
          )}
          <div class="form-actions">
            <Button kind="danger" busy={busy} onClick={() => unpair(opened.teacher, opened.child)}>
              {t('console.pairings.unpair')}
            </Button>
            <Button onClick={() => setOpened(null)}>{t('console.common.cancel')}</Button>
          </div>
        </Dialog>
      )}
    </div>
  );
}
