import { ID_PREFIXES } from '@affection/db';

const ID = new RegExp(`^(?:${Object.values(ID_PREFIXES).join('|')})_[0-9a-z]{16}$`);

/** What stands in a logged path for a segment that may be a secret or typed text. */
export const MASKED_SEGMENT = ':masked';

/**
 * A request path as it may be logged: a segment stays only when it is a literal word of a route the
 * request matched (`api`, `children`, `export`) or one of our prefixed ids (`chd_…`); anything else —
 * an enrolment link's secret, a code, a name typed into a wrong address — becomes {@link MASKED_SEGMENT}.
 * The query string is never part of it.
 *
 * @example pathForLog('/family/enrol/3q2-7Zr…', ['/family/*']) === '/family/:masked/:masked'
 */
export function pathForLog(path: string, routePatterns: readonly string[]): string {
  const words = new Set<string>();
  for (const pattern of routePatterns)
    for (const segment of pattern.split('/'))
      if (segment && !segment.startsWith(':') && !segment.includes('*')) words.add(segment);
  return path
    .split('?')[0]!
    .split('/')
    .map((segment) => (segment === '' || words.has(segment) || ID.test(segment) ? segment : MASKED_SEGMENT))
    .join('/');
}
