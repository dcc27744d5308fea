import type { Translate } from '@affection/ui';
import { useState } from 'preact/hooks';
import { Dialog } from '../common/dialog.tsx';
import { EmptyState } from '../common/empty-state.tsx';
import { Field } from '../common/field.tsx';
import { activeCount, type BoardTeacher, type PickableChild } from './pairing-types.ts';

/** Options of {@link PickTeacherDialog}. */
export interface PickTeacherDialogProps {
  t: Translate;
  childName: string;
  /** Teachers who may be paired (active ones). */
  teachers: readonly BoardTeacher[];
  busy: boolean;
  error: string;
  onPick: (teacher: BoardTeacher) => void;
  onClose: () => void;
}

/**
 * Chooses a teacher for a child: one big button per active teacher, fewest children first — by
 * keyboard (Tab, Enter), mouse or touch alike.
 */
export function PickTeacherDialog({ t, childName, teachers, busy, error, onPick, onClose }: PickTeacherDialogProps) {
  const ordered = [...teachers].sort(
    (x, y) => activeCount(x) - activeCount(y) || x.displayName.localeCompare(y.displayName, 'zh-CN'),
  );
  return (
    <Dialog
      title={t('console.pairings.pick-teacher', { child: childName })}
      onClose={onClose}
      closeLabel={t('console.common.close')}
    >
      <p class="pairings-hint">{t('console.pairings.pick-teacher-hint')}</p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {ordered.length === 0 ? (
        <EmptyState message={t('console.pairings.no-teachers')} />
      ) : (
        <ul class="pairings-options">
          {ordered.map((teacher) => (
            <li key={teacher.staffId}>
              <button
                type="button"
                class="btn pairings-option"
                disabled={busy}
                data-staff={teacher.staffId}
                onClick={() => onPick(teacher)}
              >
                {t('console.pairings.teacher-option', { name: teacher.displayName, count: activeCount(teacher) })}
              </button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/** Options of {@link PickChildDialog}. */
export interface PickChildDialogProps {
  t: Translate;
  teacher: BoardTeacher;
  /** Every child that can be paired (see `pickableChildren`). */
  options: readonly PickableChild[];
  busy: boolean;
  error: string;
  onPick: (child: PickableChild) => void;
  onClose: () => void;
}

/**
 * Chooses a child for a teacher: a search by name or class, then one button per child — children
 * with no teacher first, then those with a teacher already (their teachers named).
 */
export function PickChildDialog({ t, teacher, options, busy, error, onPick, onClose }: PickChildDialogProps) {
  const [search, setSearch] = useState('');
  const words = search.trim();
  const offered = options.filter(
    (child) =>
      !child.teacherIds.includes(teacher.staffId) &&
      (!words || child.name.includes(words) || (child.className ?? '').includes(words)),
  );
  const groups = [
    {
      key: 'unpaired',
      title: t('console.pairings.group-unpaired'),
      items: offered.filter((c) => c.teacherIds.length === 0),
    },
    { key: 'paired', title: t('console.pairings.group-paired'), items: offered.filter((c) => c.teacherIds.length > 0) },
  ].filter((group) => group.items.length > 0);
  return (
    <Dialog
      title={t('console.pairings.pick-child', { name: teacher.displayName })}
      onClose={onClose}
      closeLabel={t('console.common.close')}
    >
      <Field
        label={t('console.pairings.search')}
        hint={t('console.pairings.search-hint')}
        type="search"
        value={search}
        onValue={setSearch}
      />
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="pairings-pick-list">
        {groups.length === 0 && <EmptyState message={t('console.pairings.not-found')} />}
        {groups.map((group) => (
          <section key={group.key} aria-label={group.title}>
            <h3>{group.title}</h3>
            <ul class="pairings-options">
              {group.items.map((child) => (
                <li key={child.childId}>
                  <button
                    type="button"
                    class="btn pairings-option"
                    disabled={busy}
                    data-child={child.childId}
                    onClick={() => onPick(child)}
                  >
                    <span>{child.name}</span>
                    {child.className && <span class="pairings-class">{child.className}</span>}
                    {child.teacherNames.length > 0 && (
                      <span class="pairings-class">
                        {t('console.pairings.with', { names: child.teacherNames.join('、') })}
                      </span>
                    )}
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Dialog>
  );
}
