/** More children than this on one teacher draws a warning (the school pairs each teacher with 2–3). */
export const MAX_CHILDREN_PER_TEACHER = 3;

/** Something about the pairings that needs a teacher's attention; `code` is also a catalog key under `pairing.`. */
export type PairingWarning =
  | { code: 'teacher-over-3'; staffId: string; count: number }
  | { code: 'child-unpaired'; childId: string };

/**
 * The warnings the Home's pairings give: a teacher with more than
 * {@link MAX_CHILDREN_PER_TEACHER} active children, and each active child with no teacher.
 * Teachers first (by the order given), then children (by the order given).
 *
 * @example pairingWarnings({ activeChildIds: ['chd_a'], pairings: [] }) → [{ code: 'child-unpaired', childId: 'chd_a' }]
 */
export function pairingWarnings(input: {
  /** Children not archived or erased. */
  activeChildIds: readonly string[];
  /** Every pairing of the Home. */
  pairings: readonly { staffId: string; childId: string }[];
}): PairingWarning[] {
  const active = new Set(input.activeChildIds);
  const perTeacher = new Map<string, number>();
  const paired = new Set<string>();
  for (const pairing of input.pairings) {
    if (!active.has(pairing.childId)) continue;
    paired.add(pairing.childId);
    perTeacher.set(pairing.staffId, (perTeacher.get(pairing.staffId) ?? 0) + 1);
  }
  const warnings: PairingWarning[] = [];
  for (const [staffId, count] of perTeacher) {
    if (count > MAX_CHILDREN_PER_TEACHER) warnings.push({ code: 'teacher-over-3', staffId, count });
  }
  for (const childId of input.activeChildIds) {
    if (!paired.has(childId)) warnings.push({ code: 'child-unpaired', childId });
  }
  return warnings;
}

/** The warnings that concern one teacher or one child. */
export function warningsAbout(
  warnings: readonly PairingWarning[],
  who: { staffId: string; childId: string },
): PairingWarning[] {
  return warnings.filter((w) => (w.code === 'teacher-over-3' ? w.staffId === who.staffId : w.childId === who.childId));
}
