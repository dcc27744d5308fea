import type { AppServices } from '../../services.ts';
import type { BoardDto } from './board-schemas.ts';

/** The requests waiting for a Home's next read, and what that read runs. */
interface NextRead<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  load: () => Promise<T>;
}

/** A Home whose read is running, and the read its newer requests wait for (none yet). */
interface HomeReads<T> {
  next: NextRead<T> | null;
}

/**
 * Reads of one kind shared among the requests of one key (a Home) that ask at the same time, without ever answering
 * older data than a read of the request's own would. A request never joins a read that started before it arrived
 * (that read might miss a change committed just before the request): while a key's read runs, every request that
 * arrives waits for the one read that starts as soon as it ends. So N requests at once make two reads, not N; a
 * lone request is read at once, as before. A failed read fails every request that shared it.
 */
export class SharedReads<T> {
  /** Reads started so far (what the database was asked for, as against the requests answered). */
  started = 0;
  private readonly keys = new Map<string, HomeReads<T>>();

  /** The answer of a read of `key` that starts no earlier than this call; `load` reads it when one must start. */
  read(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.keys.get(key);
    if (!running) {
      const reads: HomeReads<T> = { next: null };
      this.keys.set(key, reads);
      return this.run(key, reads, load);
    }
    if (!running.next) {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((ok, fail) => {
        resolve = ok;
        reject = fail;
      });
      running.next = { promise, resolve, reject, load };
    }
    return running.next.promise;
  }

  private run(key: string, reads: HomeReads<T>, load: () => Promise<T>): Promise<T> {
    this.started += 1;
    const answer = Promise.resolve().then(load);
    const then = () => {
      const next = reads.next;
      if (!next) {
        this.keys.delete(key);
        return;
      }
      reads.next = null;
      this.run(key, reads, next.load).then(next.resolve, next.reject);
    };
    void answer.then(then, then);
    return answer;
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
