import { spawn } from 'node:child_process';
import path from 'node:path';
import { type LivekitServer, type RedisServer, startLivekit, startRedis, testEnv } from '@affection/test-support';
import { SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run telephony:provision`'s script with only the given environment. */
function provision(env: Record<string, string>, args: string[] = []) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'scripts', 'telephony-provision.ts'), ...args],
      {
        env: { PATH: testEnv.searchPath, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => resolve({ code, out }));
  });
}

/** The action printed for a row, e.g. `outbound trunk` → `created`. */
function actionsOf(out: string): Record<string, string> {
  const actions: Record<string, string> = {};
  for (const match of out.matchAll(/^\s+(outbound trunk|inbound trunk|dispatch rule)\s+\S+\s+(S\S+)\s+(\w+)$/gm)) {
    actions[match[1] as string] = match[3] as string;
  }
  return actions;
}

describe('npm run telephony:provision on a LiveKit server with Redis', () => {
  let redis: RedisServer;
  let livekit: LivekitServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedis();
    livekit = await startLivekit({ redisUrl: `${redis.url}/6` });
    env = {
      LIVEKIT_URL: livekit.wsUrl,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      SIP_OUTBOUND_ADDRESS: 'affection-home.pstn.twilio.com',
      SIP_OUTBOUND_NUMBER: '+15005550006',
      SIP_OUTBOUND_USERNAME: 'affection',
      SIP_OUTBOUND_PASSWORD: 'first-trunk-password',
      SIP_INBOUND_NUMBERS: '+15005550006',
      SIP_INBOUND_ALLOWED_ADDRESSES: '54.172.60.0/30,54.244.51.0/30',
    };
  });
  afterAll(async () => {
    await livekit?.stop();
    await redis?.stop();
  });

  it('creates the trunks and the rule, then changes nothing, then only what changed', async () => {
    const first = await provision(env);
    expect(first.code, first.out).toBe(0);
    expect(actionsOf(first.out)).toEqual({
      'outbound trunk': 'created',
      'inbound trunk': 'created',
      'dispatch rule': 'created',
    });
    const sip = new SipClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const [outbound] = await sip.listSipOutboundTrunk();
    expect(first.out).toContain(`Parents are rung through outbound trunk ${outbound?.sipTrunkId}.`);
    expect(outbound).toMatchObject({
      name: 'affection-outbound',
      address: 'affection-home.pstn.twilio.com',
      numbers: ['+15005550006'],
      authUsername: 'affection',
      authPassword: 'first-trunk-password',
    });
    const [inbound] = await sip.listSipInboundTrunk();
    expect(inbound).toMatchObject({
      name: 'affection-inbound',
      numbers: ['+15005550006'],
      allowedAddresses: ['54.172.60.0/30', '54.244.51.0/30'],
    });
    const [rule] = await sip.listSipDispatchRule();
    expect(rule).toMatchObject({
      name: 'affection-inbound-calls',
      trunkIds: [inbound?.sipTrunkId],
      hidePhoneNumber: true,
    });
    // The password is never printed.
    expect(first.out).not.toContain('first-trunk-password');

    const again = await provision(env);
    expect(again.code, again.out).toBe(0);
    expect(actionsOf(again.out)).toEqual({
      'outbound trunk': 'unchanged',
      'inbound trunk': 'unchanged',
      'dispatch rule': 'unchanged',
    });

    const changed = await provision({ ...env, SIP_OUTBOUND_PASSWORD: 'second-trunk-password' });
    expect(actionsOf(changed.out)).toEqual({
      'outbound trunk': 'updated',
      'inbound trunk': 'unchanged',
      'dispatch rule': 'unchanged',
    });
    expect((await sip.listSipOutboundTrunk()).map((t) => t.authPassword)).toEqual(['second-trunk-password']);
  });

  it('provisions only the outbound trunk without inbound numbers, under another prefix', async () => {
    const { SIP_INBOUND_NUMBERS: _n, SIP_INBOUND_ALLOWED_ADDRESSES: _a, ...outboundOnly } = env;
    const result = await provision(outboundOnly, ['--prefix', 'second-home']);
    expect(result.code, result.out).toBe(0);
    expect(actionsOf(result.out)).toEqual({ 'outbound trunk': 'created' });
    expect(result.out).toContain('no inbound trunk');
    const sip = new SipClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    expect((await sip.listSipOutboundTrunk()).map((t) => t.name).sort()).toEqual([
      'affection-outbound',
      'second-home-outbound',
    ]);
  });

  it('says what is missing, what is malformed, and when LiveKit refuses', async () => {
    const nothing = await provision({ LIVEKIT_URL: livekit.wsUrl, LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' });
    expect(nothing.code).toBe(2);
    expect(nothing.out).toContain('SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER');

    const malformed = await provision({ ...env, SIP_OUTBOUND_NUMBER: '5005550006' });
    expect(malformed.code).toBe(2);
    expect(malformed.out).toContain('SIP_OUTBOUND_NUMBER: must be an E.164 number');

    const badPrefix = await provision(env, ['--prefix', 'Not Valid']);
    expect(badPrefix.code).toBe(2);

    const refused = await provision({ ...env, LIVEKIT_API_SECRET: 'wrong-secret-wrong-secret-wrong-0' });
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('LiveKit refused the SIP setup (unauthorized)');
    expect(refused.out).not.toContain('first-trunk-password');
  });
});
