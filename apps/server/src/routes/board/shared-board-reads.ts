import type { AppServices } from '../../services.ts';
import type { BoardDto } from './board-schemas.ts';

/** A read planned and not started yet: the requests that will share it, and what it runs. */
interface PlannedRead<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  load: () => Promise<T>;
}

/** A key's reads: whether one is running, and the one planned to start next (joined by the requests until then). */
interface KeyReads<T> {
  running: boolean;
  planned: PlannedRead<T> | null;
}

/**
 * Reads of one kind shared among the requests of one key (a Home) that ask at about the same time, without ever
 * answering older data than a read of the request's own would: a request only joins a read that has not started
 * yet. A read starts on the event loop's turn after the first request for it (`setImmediate`), so that the requests
 * that arrived together share it: the embedded database answers a whole read without giving the event loop back,
 * so requests arriving during one are only seen once it has ended. While a key's read runs, the requests that
 * arrive wait for the one read that starts after it. A failed read fails every request that shared it.
 */
export class SharedReads<T> {
  /** Reads started so far (what the database was asked for, as against the requests answered). */
  started = 0;
  private readonly keys = new Map<string, KeyReads<T>>();

  /** The answer of a read of `key` that starts after this call; `load` reads it when one must start. */
  read(key: string, load: () => Promise<T>): Promise<T> {
    let reads = this.keys.get(key);
    if (!reads) {
      reads = { running: false, planned: null };
      this.keys.set(key, reads);
    }
    if (reads.planned) return reads.planned.promise;
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    reads.planned = { promise, resolve, reject, load };
    if (!reads.running) this.startSoon(key, reads);
    return promise;
  }

  private startSoon(key: string, reads: KeyReads<T>): void {
    setImmediate(() => {
      const read = reads.planned!;
      reads.planned = null;
      reads.running = true;
      this.started += 1;
      const ended = () => {
        reads.running = false;
        if (reads.planned) this.startSoon(key, reads);
        else this.keys.delete(key);
      };
      Promise.resolve().then(read.load).then(read.resolve, read.reject).then(ended);
    });
  }
}

const boardReads = new WeakMap<AppServices, SharedReads<BoardDto>>();

/**
 * The board reads of an app's services, shared per Home. The board's body depends on the Home, the clock and the
 * settings only, never on which teacher asks, so every teacher of the Home may be given the same answer.
 */
export function boardReadsOf(services: AppServices): SharedReads<BoardDto> {
  let reads = boardReads.get(services);
  if (!reads) {
    reads = new SharedReads<BoardDto>();
    boardReads.set(services, reads);
  }
  return reads;
}
