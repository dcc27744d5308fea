import { spawn } from 'node:child_process';

/** How a process run to its end ended: its exit code and everything it printed (stdout and stderr, in order). */
export interface RunToEnd {
  code: number | null;
  out: string;
}

/**
 * Runs this Node with `args` (a built file, or `--import tsx` and a script) to its end.
 *
 * @example await runNodeToEnd(['apps/server/dist/db-migrate.js'], env) → { code: 0, out: '…' }
 */
export function runNodeToEnd(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunToEnd> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}
