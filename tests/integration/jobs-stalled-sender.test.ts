import type { LookupFunction } from 'node:net';
import type { SmsSender } from '@affection/core';
import { getSmsForDispatch, insertOutgoingSms } from '@affection/db';
import { type SendSmsMessageOptions, type SendSmsOutcome, sendSmsMessage } from '@affection/jobs';
import { TwilioSmsSender } from '@affection/telephony';
import { type FakeTwilio, openTestDatabase, type TestDatabase, useSmsWorld } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TO = '+8613800138000';
const LEASE_MS = 2_000;

/**
 * A Twilio sender on the fake whose first connection stops while its host name is being resolved, until the test
 * lets it go: the sender has passed every check of ours and its request is on its way, as in a starved process or
 * behind a slow DNS answer.
 */
class StallingSender {
  readonly sender: TwilioSmsSender;
  /** Resolves when the first connection has started and stopped. */
  readonly entered: Promise<void>;
  #entered: () => void = () => {};
  #resume: () => void = () => {};
  readonly #gate: Promise<void>;

  constructor(fake: FakeTwilio) {
    this.entered = new Promise((resolve) => {
      this.#entered = resolve;
    });
    this.#gate = new Promise((resolve) => {
      this.#resume = resolve;
    });
    let isFirst = true;
    const lookup: LookupFunction = (_hostname, options, callback) => {
      const answer = () =>
        options.all
          ? (callback as (error: null, addresses: { address: string; family: number }[]) => void)(null, [
              { address: '127.0.0.1', family: 4 },
            ])
          : callback(null, '127.0.0.1', 4);
      if (!isFirst) return answer();
      isFirst = false;
      this.#entered();
      void this.#gate.then(answer);
    };
    this.sender = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: '+15005550006',
      // A host name, so that the connection asks `lookup`.
      apiBaseUrl: fake.url.replace('127.0.0.1', 'localhost'),
      // Longer than the stall: the client's own timer would abort the request first. It fires only between turns of
      // the event loop, though; a process held up within one turn writes the request as soon as it connects.
      timeoutMs: 10_000,
      lookup,
    });
  }

  /** Lets the stopped connection go on to the provider. */
  resume(): void {
    this.#resume();
  }
}

/** Waits until the wall clock reaches `at` (a lease's end, as a delayed job would). */
function untilTime(at: Date): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now()) + 5));
}

describe('A sender stalled after its checks, while its connection is made, its claim taken over meanwhile (fake Twilio, PGlite)', () => {
  const fixture = useSmsWorld('provider', { seed: 11 });
  let database: TestDatabase;
  let counter = 0;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  async function storeDueMessage() {
    counter += 1;
    const now = new Date();
    const { message } = await insertOutgoingSms(database.db, {
      homeId: null,
      toPhone: TO,
      body: `小明的亲情电话在12:15 #${counter}【某某小学留守儿童之家】`,
      dedupeKey: `bkg_stall${counter}-reminder-15m-v1`,
      dueAt: now,
      now,
    });
    return message;
  }

  function optionsWith(sender: SmsSender): SendSmsMessageOptions {
    return { db: database.db, sender, provider: 'twilio', now: () => new Date(), sendLeaseMs: LEASE_MS };
  }

  function sentWithBody(body: string) {
    return [...fixture.world.fake.messages.values()].filter((message) => message.body === body);
  }

  /** Starts sender A and returns once it is stopped on its way to the provider, its check passed. */
  async function stallFirstSender(messageId: string) {
    const stalling = new StallingSender(fixture.world.fake);
    const first = sendSmsMessage(optionsWith(stalling.sender), messageId);
    const early = await Promise.race([stalling.entered.then(() => null), first]);
    expect(early, 'the first sender should reach its send within half its lease').toBeNull();
    return { stalling, first };
  }

  it('the resumed sender does not send after its lease ran out and the takeover sent: one message', async () => {
    const message = await storeDueMessage();
    const { stalling, first } = await stallFirstSender(message.id);

    // Sender B: the claim is A's until its lease runs out; then B takes it over, asks Twilio (nothing there) and sends.
    const second = optionsWith(fixture.world.twilioSender());
    const waiting = await sendSmsMessage(second, message.id);
    if (waiting.kind !== 'in-flight') throw new Error(`expected the claim to be held, got ${waiting.kind}`);
    await untilTime(waiting.at);
    const takenOver = await sendSmsMessage(second, message.id);
    expect(takenOver).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sentWithBody(message.body)).toHaveLength(1);

    // A comes back: its send window closed long ago, so nothing leaves for the provider.
    stalling.resume();
    const late: SendSmsOutcome = await first;
    const posts = fixture.world.fake.requests.filter(
      (request) => request.method === 'POST' && request.form.Body === message.body,
    );
    expect(posts, 'one request to create the message').toHaveLength(1);
    expect(late.kind).not.toBe('sent');
    expect(sentWithBody(message.body)).toHaveLength(1);
    const row = await getSmsForDispatch(database.db, message.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row?.providerId).toBe(takenOver.kind === 'sent' ? takenOver.providerId : 'none');
  });

  it('a sender that stalled past its window with nobody taking over gives the message back, and it goes out once', async () => {
    const message = await storeDueMessage();
    const { stalling, first } = await stallFirstSender(message.id);
    const claimed = await getSmsForDispatch(database.db, message.id);
    if (!claimed) throw new Error('the message is gone');
    // Past half the lease: the window in which a send may start is over.
    await untilTime(new Date(claimed.updatedAt.getTime() + LEASE_MS / 2));
    stalling.resume();
    expect(await first).toMatchObject({ kind: 'retry' });
    expect(sentWithBody(message.body)).toHaveLength(0);
    expect(await getSmsForDispatch(database.db, message.id)).toMatchObject({ status: 'pending', attempts: 1 });

    // The retry sends it at once, without waiting for the lease: nothing can be at the provider.
    const retried = await sendSmsMessage(optionsWith(fixture.world.twilioSender()), message.id);
    expect(retried).toMatchObject({ kind: 'sent', via: 'send' });
    expect(sentWithBody(message.body)).toHaveLength(1);
  });
});
