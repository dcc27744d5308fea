import type { CallOutcome } from '@affection/db';
import type { FoldedCallLog } from '../call-log/fold-call-log.ts';

/** A call counts as held when a child and a parent were in the room together at least this long. */
export const COMPLETED_OVERLAP_SECONDS = 60;

/**
 * What a call came to, from its folded log:
 * - `completed`: a child and a parent (page or phone) together for at least {@link COMPLETED_OVERLAP_SECONDS};
 * - `parent-no-show`: a child came, no parent did;
 * - `child-no-show`: a parent came, no child did;
 * - `failed`: nobody came, or both came but were together for less than a minute (the call did not happen,
 *   and it is nobody's no-show).
 *
 * @example decideCallOutcome({ overlapSeconds: 59, hasChild: true, hasParent: true }) // 'failed'
 */
export function decideCallOutcome(log: Pick<FoldedCallLog, 'overlapSeconds' | 'hasChild' | 'hasParent'>): CallOutcome {
  if (log.overlapSeconds >= COMPLETED_OVERLAP_SECONDS) return 'completed';
  if (log.hasChild && !log.hasParent) return 'parent-no-show';
  if (log.hasParent && !log.hasChild) return 'child-no-show';
  return 'failed';
}
