import os from 'node:os';
import path from 'node:path';

/** Where the dev launchers look for `redis-server` and `livekit-server`. */
export interface DevToolPaths {
  /** Folders to search, `PATH`-style. */
  searchPath: string;
  /** The folder `go install` puts the LiveKit server into (`$XDG_CACHE_HOME/affection/bin`, default `~/.cache/…`). */
  toolCacheDir: string;
}

/**
 * The only place the runtime reads the environment: `PATH` and the cache folder, for finding the dev binaries.
 * Everything else comes in through the validated configuration.
 */
export function readDevToolPaths(): DevToolPaths {
  return {
    searchPath: process.env.PATH ?? '',
    toolCacheDir: path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'affection', 'bin'),
  };
}
