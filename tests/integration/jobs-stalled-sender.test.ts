import type { FindSentSmsRequest, SendSmsRequest, SmsSender } from '@affection/core';
import { getSmsForDispatch, insertOutgoingSms } from '@affection/db';
import { type SendSmsMessageOptions, type SendSmsOutcome, sendSmsMessage } from '@affection/jobs';
import type { TwilioSmsSender } from '@affection/telephony';
import { openTestDatabase, type TestDatabase, useSmsWorld } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TO = '+8613800138000';
const LEASE_MS = 2_000;

/**
 * A Twilio sender whose next send stops on entry until the test lets it go: the sender has passed
 * `sendSmsMessage`'s own timing check and is on its way to the provider, as a starved process would be.
 */
class StallingSender implements SmsSender {
  readonly #inner: TwilioSmsSender;
  #entered: () => void = () => {};
  #resume: () => void = () => {};
  /** Resolves when a send has started and stopped. */
  readonly entered: Promise<void>;
  readonly #gate: Promise<void>;

  constructor(inner: TwilioSmsSender) {
    this.#inner = inner;
    this.entered = new Promise((resolve) => {
      this.#entered = resolve;
    });
    this.#gate = new Promise((resolve) => {
      this.#resume = resolve;
    });
  }

  /** Lets the stopped send go on to the provider. */
  resume(): void {
    this.#resume();
  }

  async send(request: SendSmsRequest) {
    this.#entered();
    await this.#gate;
    return this.#inner.send(request);
  }

  lookup(providerId: string) {
    return this.#inner.lookup(providerId);
  }

  findSent(request: FindSentSmsRequest) {
    return this.#inner.findSent(request);
  }
}

/** Waits until the wall clock reaches `at` (a lease's end, as a delayed job would). */
function untilTime(at: Date): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at.getTime() - Date.now()) + 5));
}

describe('A sender stalled between its check and its request, its claim taken over meanwhile (fake Twilio, PGlite)', () => {
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
    const stalling = new StallingSender(fixture.world.twilioSender());
    const first = sendSmsMessage(optionsWith(stalling), messageId);
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
