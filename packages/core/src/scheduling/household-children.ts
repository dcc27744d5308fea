import type { SchedulingHousehold } from './types.ts';

/**
 * The children who would join a household's call: `childIds` if given, else all of them (siblings share one call).
 * @throws RangeError when `childIds` is empty or names a child of another household.
 */
export function householdChildren(household: SchedulingHousehold, childIds?: readonly string[]): Set<string> {
  if (!childIds) return new Set(household.childIds);
  const stranger = childIds.find((c) => !household.childIds.includes(c));
  if (childIds.length === 0 || stranger !== undefined) {
    throw new RangeError(`children must be some of household ${household.id}'s children, got ${stranger ?? 'none'}`);
  }
  return new Set(childIds);
}
