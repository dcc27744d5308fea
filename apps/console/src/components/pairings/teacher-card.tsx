import type { Translate } from '@affection/ui';
import { Button } from '../common/button.tsx';
import { activeCount, type BoardTeacher, childName, type PairedChild } from './pairing-types.ts';

/** Options of {@link TeacherCard}. */
export interface TeacherCardProps {
  t: Translate;
  teacher: BoardTeacher;
  /** More children than the school's 3: the card is marked. */
  isOver: boolean;
  /** The admin's actions; absent: the card is read-only. */
  onAdd?: (teacher: BoardTeacher) => void;
  onUnpair?: (teacher: BoardTeacher, child: PairedChild) => void;
}

/** One teacher with their paired children; each child links to their record. */
export function TeacherCard({ t, teacher, isOver, onAdd, onUnpair }: TeacherCardProps) {
  const count = activeCount(teacher);
  return (
    <section
      class={`card pairings-teacher${isOver ? ' pairings-teacher-over' : ''}`}
      id={`teacher-${teacher.staffId}`}
      data-staff={teacher.staffId}
      aria-labelledby={`teacher-${teacher.staffId}-name`}
      tabIndex={-1}
    >
      <div class="pairings-teacher-head">
        <h2 id={`teacher-${teacher.staffId}-name`}>
          {teacher.displayName}
          {!teacher.active && <span class="pairings-tag">{t('console.pairings.inactive')}</span>}
        </h2>
        <span class={isOver ? 'pairings-count pairings-count-over' : 'pairings-count'}>
          {t('console.pairings.count', { count })}
        </span>
      </div>
      {teacher.children.length === 0 ? (
        <p class="muted">{t('console.pairings.none')}</p>
      ) : (
        <ul class="pairings-children">
          {teacher.children.map((child) => (
            <li key={child.pairingId} data-child={child.childId}>
              <a href={`#/children/${child.childId}`} class="pairings-child-name">
                {childName(child)}
              </a>
              {child.className && <span class="pairings-class">{child.className}</span>}
              {child.archived && <span class="pairings-tag">{t('console.pairings.archived')}</span>}
              {onUnpair && (
                <Button
                  kind="quiet"
                  class="pairings-unpair"
                  onClick={() => onUnpair(teacher, child)}
                  aria-label={t('console.pairings.unpair-label', {
                    teacher: teacher.displayName,
                    child: childName(child),
                  })}
                >
                  {t('console.pairings.unpair')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {onAdd && teacher.active && (
        <Button
          onClick={() => onAdd(teacher)}
          aria-label={t('console.pairings.add-label', { name: teacher.displayName })}
        >
          <span aria-hidden="true">＋ </span>
          {t('console.pairings.add')}
        </Button>
      )}
    </section>
  );
}
