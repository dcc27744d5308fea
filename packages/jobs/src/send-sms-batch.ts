import {
  claimSmsBatchForSending,
  claimSmsForSending,
  type Db,
  recordSmsSent,
  recordSmsSentBatch,
  type SmsMessageRecord,
  type SmsSentRecord,
} from '@affection/db';

type Settled<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Waiting<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers the calls made while earlier statements run into one statement: a call waits at most for
 * the end of the current turn of the event loop when fewer than `maxInFlight` statements are
 * running, otherwise for one of them to finish. No timer: an idle sender pays nothing, a busy one
 * sends batches as large as its concurrency (up to `maxBatch`).
 */
class StatementBatcher<I, O> {
  private readonly waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private isScheduled = false;

  constructor(
    private readonly run: (inputs: I[]) => Promise<Settled<O>[]>,
    private readonly maxBatch: number,
    private readonly maxInFlight: number,
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.isScheduled || this.inFlight >= this.maxInFlight || this.waiting.length === 0) return;
    this.isScheduled = true;
    setImmediate(() => {
      this.isScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.run(batch.map((w) => w.input))
        .then(
          (results) => {
            batch.forEach((w, i) => {
              const result = results[i];
              if (result?.ok) w.resolve(result.value);
              else w.reject(result ? result.error : new Error('no result for a batched statement'));
            });
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight -= 1;
          this.schedule();
        });
    }
  }
}

/** What {@link createSmsDispatchBatch} needs. */
export interface SmsDispatchBatchOptions {
  db: Db;
  now: () => Date;
  /** How much earlier than its due time a message may be claimed (`SendSmsMessageOptions.earlyToleranceMs`). */
  earlyToleranceMs: number;
  /** Most messages in one statement. Default 500. */
  maxBatch?: number;
  /** Statements of each kind running at once. Default 1. */
  maxInFlight?: number;
}

/**
 * The two statements every sent message runs (claim, record sent), each shared by the messages of a
 * busy sender: one `update … where id = any($1)` claims all the due messages whose jobs arrived
 * meanwhile, and one records all the messages the provider accepted meanwhile. Same rows, same
 * conditions, same outcome as the single statements (a message is claimed by one caller only, even
 * when two of its jobs land in one batch); far fewer round trips to the database and less work in
 * it. A batch that fails as a whole (a deadlock with another sender's batch, a provider id already
 * recorded on another row) is run again one message at a time, so each caller gets its own answer.
 */
export interface SmsDispatchBatch {
  /** See `claimSmsForSending`: the message claimed by this caller, or null. */
  claim(id: string): Promise<SmsMessageRecord | null>;
  /** See `recordSmsSent`: true when this call moved the message to `sent`. */
  recordSent(sent: SmsSentRecord): Promise<boolean>;
}

/** A {@link SmsDispatchBatch} on one database. */
export function createSmsDispatchBatch(options: SmsDispatchBatchOptions): SmsDispatchBatch {
  const maxBatch = options.maxBatch ?? 500;
  const maxInFlight = options.maxInFlight ?? 1;
  const { db } = options;

  const claims = new StatementBatcher<string, SmsMessageRecord | null>(
    async (ids) => {
      const claim = { now: options.now(), earlyMs: options.earlyToleranceMs };
      let claimed: SmsMessageRecord[];
      try {
        claimed = await claimSmsBatchForSending(db, [...new Set(ids)], claim);
      } catch {
        return await Promise.all(ids.map((id) => settle(claimSmsForSending(db, id, claim))));
      }
      const byId = new Map(claimed.map((message) => [message.id, message]));
      // Two jobs of one message in one batch: the first gets the claim, the other nothing.
      return ids.map((id) => {
        const message = byId.get(id) ?? null;
        byId.delete(id);
        return { ok: true, value: message };
      });
    },
    maxBatch,
    maxInFlight,
  );

  const records = new StatementBatcher<SmsSentRecord, boolean>(
    async (entries) => {
      const one = (entry: SmsSentRecord) => settle(recordSmsSent(db, entry.id, entry).then((row) => row !== null));
      if (new Set(entries.map((entry) => entry.id)).size !== entries.length) {
        return await Promise.all(entries.map(one));
      }
      let recorded: string[];
      try {
        recorded = await recordSmsSentBatch(db, entries);
      } catch {
        return await Promise.all(entries.map(one));
      }
      const done = new Set(recorded);
      return entries.map((entry) => ({ ok: true, value: done.has(entry.id) }));
    },
    maxBatch,
    maxInFlight,
  );

  return {
    claim: (id) => claims.add(id),
    recordSent: (sent) => records.add(sent),
  };
}

async function settle<O>(promise: Promise<O>): Promise<Settled<O>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
