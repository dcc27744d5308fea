import type { ApiResponse } from '@affection/server/contract';
import type { Translate } from '@affection/ui';
import { useId } from 'preact/hooks';
import type { Me } from '../../shell/console-api.ts';
import { childName } from './report-words.ts';

type Board = ApiResponse<'GET /api/pairings'>;

/** Whose calls a report counts: the whole Home, one teacher's paired children, or one child. */
export interface ReportScope {
  kind: 'home' | 'teacher' | 'child';
  /** The teacher (scope `teacher`); a teacher's own id when a teacher is signed in. */
  staffId: string;
  /** The child (scope `child`). */
  childId: string;
}

const STAFF = /^stf_[0-9a-z]{16}$/;
const CHILD = /^chd_[0-9a-z]{16}$/;

/** The scope in the address (`scope=teacher&staff=stf_…`, `scope=child&child=chd_…`); a teacher's teacher scope is their own. */
export function scopeFrom(query: URLSearchParams, me: Me): ReportScope {
  const kind = query.get('scope');
  const staff = query.get('staff') ?? '';
  const child = query.get('child') ?? '';
  if (kind === 'teacher') {
    return { kind, staffId: me.role === 'admin' ? (STAFF.test(staff) ? staff : '') : me.id, childId: '' };
  }
  if (kind === 'child') return { kind, staffId: '', childId: CHILD.test(child) ? child : '' };
  return { kind: 'home', staffId: '', childId: '' };
}

/** The scope as the summary's query fields. */
export function scopeQuery(scope: ReportScope): { scope: ReportScope['kind']; staffId?: string; childId?: string } {
  if (scope.kind === 'teacher') return { scope: 'teacher', staffId: scope.staffId };
  if (scope.kind === 'child') return { scope: 'child', childId: scope.childId };
  return { scope: 'home' };
}

/** The children a signed-in person may report on: a teacher their paired children, the admin every child. */
function childrenFor(board: Board | null, me: Me): { id: string; name: string; className: string | null }[] {
  if (!board) return [];
  const teachers = me.role === 'admin' ? board.teachers : board.teachers.filter((row) => row.staffId === me.id);
  const rows = [
    ...teachers.flatMap((row) => row.children.filter((child) => !child.archived)),
    ...(me.role === 'admin' ? board.unpairedChildren : []),
  ];
  const seen = new Map<string, { id: string; name: string; className: string | null }>();
  for (const child of rows) {
    if (!seen.has(child.childId)) {
      seen.set(child.childId, { id: child.childId, name: childName(child), className: child.className });
    }
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

/** Options of {@link ScopePicker}. */
export interface ScopePickerProps {
  t: Translate;
  me: Me;
  /** The pairing board (teachers with their children), for the pickers. */
  board: Board | null;
  scope: ReportScope;
  onScope: (scope: ReportScope) => void;
}

/**
 * 范围: the whole Home, a teacher's paired children (the admin picks the teacher; a teacher sees "我结对的孩子"),
 * or one child (a teacher picks among their paired children, the admin among all).
 */
export function ScopePicker({ t, me, board, scope, onScope }: ScopePickerProps) {
  const id = useId();
  const isAdmin = me.role === 'admin';
  const children = childrenFor(board, me);
  const teachers = (board?.teachers ?? []).filter((row) => row.active);
  return (
    <div class="reports-scope">
      <div class="field">
        <label class="field-label" for={`${id}-kind`}>
          {t('console.reports.scope')}
        </label>
        <select
          id={`${id}-kind`}
          class="field-input"
          value={scope.kind}
          onChange={(event) => {
            const kind = event.currentTarget.value as ReportScope['kind'];
            onScope({ kind, staffId: kind === 'teacher' && !isAdmin ? me.id : '', childId: '' });
          }}
        >
          <option value="home">{t('console.reports.scope.home')}</option>
          <option value="teacher">
            {isAdmin ? t('console.reports.scope.teacher') : t('console.reports.scope.mine')}
          </option>
          <option value="child">{t('console.reports.scope.child')}</option>
        </select>
      </div>
      {scope.kind === 'teacher' && isAdmin && (
        <div class="field">
          <label class="field-label" for={`${id}-teacher`}>
            {t('console.reports.teacher')}
          </label>
          <select
            id={`${id}-teacher`}
            class="field-input"
            value={scope.staffId}
            onChange={(event) => onScope({ ...scope, staffId: event.currentTarget.value })}
          >
            <option value="">{t('console.reports.choose')}</option>
            {teachers.map((row) => (
              <option key={row.staffId} value={row.staffId}>
                {row.displayName}
              </option>
            ))}
          </select>
        </div>
      )}
      {scope.kind === 'child' && (
        <div class="field">
          <label class="field-label" for={`${id}-child`}>
            {t('console.reports.child')}
          </label>
          <select
            id={`${id}-child`}
            class="field-input"
            // A child from the address who is not among the choices shows as not chosen.
            value={children.some((child) => child.id === scope.childId) ? scope.childId : ''}
            onChange={(event) => onScope({ ...scope, childId: event.currentTarget.value })}
          >
            <option value="">{t('console.reports.choose')}</option>
            {children.map((child) => (
              <option key={child.id} value={child.id}>
                {child.className ? `${child.name}（${child.className}）` : child.name}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );
}
