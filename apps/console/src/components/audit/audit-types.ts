import type { ApiResponse } from '@affection/server/contract';
import { isMessageKey, type Translate } from '@affection/ui';

/** `GET /api/audit`: a page of events. */
export type AuditPage = ApiResponse<'GET /api/audit'>;

/** One event: who, what, about what, which fields (never values). */
export type AuditEntry = AuditPage['items'][number];

/** The filters, as kept in the address (`#/audit?staff=stf_…&child=chd_…&from=…&to=…`); empty = no filter. */
export interface AuditFilters {
  staffId: string;
  childId: string;
  from: string;
  to: string;
}

/** No filter: everything, newest first. */
export const NO_FILTERS: AuditFilters = { staffId: '', childId: '', from: '', to: '' };

/** A name to pick by: a staff member or a child. */
export interface Named {
  id: string;
  name: string;
}

/** The catalog's words for `key` when it has them, else null. */
function wordsOf(t: Translate, key: string): string | null {
  return isMessageKey(key) ? t(key) : null;
}

/** An action in plain words (`staff.update` → 修改老师账号), or the action's own code when the catalog has none. */
export function actionText(t: Translate, action: string): string {
  return wordsOf(t, `console.audit.action.${action}`) ?? action;
}

/** A record kind in plain words (`child` → 孩子), or the kind itself. */
export function subjectKindText(t: Translate, kind: string): string {
  return wordsOf(t, `console.audit.subject.${kind}`) ?? kind;
}
