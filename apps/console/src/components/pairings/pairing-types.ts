import type { ApiResponse } from '@affection/server/contract';

/** `GET /api/pairings`: every teacher with their children, the children nobody has, and the warnings. */
export type PairingBoard = ApiResponse<'GET /api/pairings'>;

/** A teacher on the board, with their children. */
export type BoardTeacher = PairingBoard['teachers'][number];

/** A child of a teacher on the board. */
export type PairedChild = BoardTeacher['children'][number];

/** A child with no teacher. */
export type UnpairedChild = PairingBoard['unpairedChildren'][number];

/** A child the pickers offer: who they are and who they are paired with already. */
export interface PickableChild {
  childId: string;
  name: string;
  className: string | null;
  teacherIds: string[];
  teacherNames: string[];
}

/** The full name a teacher reads: family name then given name. */
export function childName(child: { familyName: string; givenName: string }): string {
  return `${child.familyName}${child.givenName}`;
}

/** The active children that teachers may be paired with, unpaired first, each with their teachers. */
export function pickableChildren(board: PairingBoard): PickableChild[] {
  const byId = new Map<string, PickableChild>();
  for (const child of board.unpairedChildren) {
    byId.set(child.childId, {
      childId: child.childId,
      name: childName(child),
      className: child.className,
      teacherIds: [],
      teacherNames: [],
    });
  }
  for (const teacher of board.teachers) {
    for (const child of teacher.children) {
      if (child.archived) continue;
      const known = byId.get(child.childId) ?? {
        childId: child.childId,
        name: childName(child),
        className: child.className,
        teacherIds: [],
        teacherNames: [],
      };
      known.teacherIds.push(teacher.staffId);
      known.teacherNames.push(teacher.displayName);
      byId.set(child.childId, known);
    }
  }
  return [...byId.values()].sort(
    (x, y) =>
      Number(x.teacherIds.length > 0) - Number(y.teacherIds.length > 0) ||
      (x.className ?? '').localeCompare(y.className ?? '', 'zh-CN') ||
      x.name.localeCompare(y.name, 'zh-CN'),
  );
}

/** Children a teacher is counted for (archived children are not). */
export function activeCount(teacher: BoardTeacher): number {
  return teacher.children.filter((child) => !child.archived).length;
}
