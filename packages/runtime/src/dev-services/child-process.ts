import { type ChildProcess, spawn } from 'node:child_process';

/** Options for {@link spawnUntilReady}. */
export interface SpawnOptions {
  command: string;
  args: string[];
  /** A line of stdout or stderr that means "ready". */
  readyWhen: (line: string) => boolean;
  /** How long to wait for readiness before failing. Default 30 s. */
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Used in error messages. */
  label: string;
}

/** How a process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started process and the last lines it printed (for error messages). */
export interface RunningProcess {
  child: ChildProcess;
  output: string[];
  /** Resolves with the exit code when the process has exited (`null` when a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves with the exit code and signal when the process has exited. */
  exit: Promise<ProcessExit>;
  /** Resolves at the next printed line matching `predicate`, or when the process exits. */
  waitForLine(predicate: (line: string) => boolean): Promise<void>;
}

/**
 * Spawns a process and resolves once it prints a line matching `readyWhen`; rejects if it exits
 * first or the timeout passes, with its last output in the message.
 */
export function spawnUntilReady(options: SpawnOptions): Promise<RunningProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const lineWaiters = new Set<{ predicate: (line: string) => boolean; resolve: () => void }>();
  const exit = new Promise<ProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = exit.then(({ code }) => code);
  const waitForLine = (predicate: (line: string) => boolean) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      lineWaiters.add({ predicate, resolve });
      void exited.then(() => resolve());
    });
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${options.label} did not become ready in ${options.timeoutMs ?? 30_000} ms:\n${output.join('\n')}`),
      );
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        output.push(line);
        if (output.length > 200) output.shift();
        for (const waiter of lineWaiters) {
          if (waiter.predicate(line)) {
            lineWaiters.delete(waiter);
            waiter.resolve();
          }
        }
        if (!ready && options.readyWhen(line)) {
          ready = true;
          clearTimeout(timer);
          resolve({ child, output, exited, exit, waitForLine });
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${options.label} could not start: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      if (!ready) {
        clearTimeout(timer);
        reject(
          new Error(
            `${options.label} exited (code ${code}, signal ${signal}) before it was ready:\n${output.join('\n')}`,
          ),
        );
      }
    });
  });
}

/**
 * Sends `signal` and waits for the exit. With `graceMs`, a process still running after that
 * long is killed with SIGKILL.
 */
export async function stopProcess(
  running: RunningProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs?: number,
): Promise<void> {
  if (running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill(signal);
  if (graceMs === undefined) {
    await running.exited;
    return;
  }
  const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
  await running.exited;
  clearTimeout(timer);
}
