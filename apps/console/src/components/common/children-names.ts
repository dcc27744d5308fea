import type { ConsoleApi } from '../../shell/console-api.ts';

/** A child to pick by name in a filter. */
export interface ChildName {
  id: string;
  name: string;
}

/**
 * Every child of the Home by name, read 200 at a time (the list's largest page), for a filter's child picker: a Home
 * of more than 200 children is read whole, not cut at its first page.
 *
 * @example await loadChildrenNames(api) → [{ id: 'chd_…', name: '王小明' }, …]
 */
export async function loadChildrenNames(api: ConsoleApi): Promise<ChildName[]> {
  const named: ChildName[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.call('GET /api/children', { query: { limit: 200, offset } });
    named.push(...page.items.map((c) => ({ id: c.id, name: `${c.familyName}${c.givenName}` })));
    if (page.items.length === 0 || offset + page.items.length >= page.total) return named;
  }
}
