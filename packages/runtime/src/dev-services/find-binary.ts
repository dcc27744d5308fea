import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Returns the first executable found among `names` on `searchPath`, then in `extraDirs`,
 * or `undefined`.
 */
export function findBinary(names: string[], searchPath: string, extraDirs: string[] = []): string | undefined {
  const dirs = [...searchPath.split(path.delimiter).filter(Boolean), ...extraDirs];
  for (const dir of dirs) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return undefined;
}
