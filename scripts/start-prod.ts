/**
 * `npm run start:prod`: runs the built server (`apps/server/dist/main.js`) and the built workers
 * (`apps/worker/dist/main.js`) as two plain `node` processes, with the environment as given (REDIS_URL and
 * DATABASE_URL are required: the workers need a PostgreSQL server). No tsx, no Vite: run `npm run build` first, and
 * in production `npm run db:migrate` once before (under NODE_ENV=production neither process migrates by itself).
 * A SIGTERM or Ctrl-C is passed to both as one SIGTERM, and they drain and stop (a second one makes them exit at
 * once); when one stops by itself, the other is stopped too and
 * this exits with the first one's code. A deployment with a process manager (systemd) runs the two files as two
 * units instead.
 *
 * This file imports only Node's own modules (and a list of flags), so Node runs it as it is (type stripping),
 * without tsx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { NODE_MEMORY_FLAGS } from './node-memory-flags.ts';

const root = path.resolve(import.meta.dirname, '..');
const processes = [
  { name: 'server', file: path.join(root, 'apps/server/dist/main.js') },
  { name: 'worker', file: path.join(root, 'apps/worker/dist/main.js') },
];
const missing = processes.filter((p) => !existsSync(p.file));
if (missing.length > 0) {
  console.error(
    `${missing.map((p) => path.relative(root, p.file)).join(' and ')} not built yet: run \`npm run build\` first.`,
  );
  process.exit(1);
}

const children: ChildProcess[] = [];
let stopping = false;
let exitCode: number | undefined;
let running = processes.length;

function stopAll(signal: NodeJS.Signals): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

for (const { name, file } of processes) {
  const child = spawn(process.execPath, [...NODE_MEMORY_FLAGS, file, ...process.argv.slice(2)], {
    stdio: 'inherit',
    // Its own process group: a Ctrl-C reaches this process only, which passes one SIGTERM on (a second signal
    // to a process of ours means "exit now", so the children must not get the terminal's SIGINT as well).
    detached: true,
  });
  child.once('exit', (code, signal) => {
    running -= 1;
    exitCode ??= code ?? (signal ? 1 : 0);
    if (!stopping) {
      console.error(`The ${name} stopped (${signal ?? `exit ${code}`}): stopping the other process.`);
      stopAll('SIGTERM');
    }
    if (running === 0) process.exit(exitCode);
  });
  children.push(child);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  // The first signal lets both drain; a second one is passed on too, and they exit at once.
  process.on(signal, () => stopAll('SIGTERM'));
}
