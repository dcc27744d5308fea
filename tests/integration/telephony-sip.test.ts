import { randomUUID } from 'node:crypto';
import { isTelephonyError } from '@affection/core';
import { LivekitCallRooms, LivekitPhoneBridge, type ProvisionSipOptions, provisionSip } from '@affection/telephony';
import { type LivekitServer, type RedisServer, startLivekit, startRedis } from '@affection/test-support';
import { SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PARENT_PHONE = '+8613800138000';

function sipOptions(livekit: LivekitServer): ProvisionSipOptions {
  return {
    url: livekit.httpUrl,
    apiKey: livekit.apiKey,
    apiSecret: livekit.apiSecret,
    outbound: {
      name: 'affection-outbound',
      address: 'affection-home.pstn.twilio.com',
      numbers: ['+15005550006'],
      authUsername: 'affection',
      authPassword: 'first-password',
    },
    inbound: {
      name: 'affection-inbound',
      numbers: ['+15005550006'],
      allowedAddresses: ['54.172.60.0/30', '54.244.51.0/30'],
      dispatchRule: { name: 'affection-voice-menu', type: 'individual', roomPrefix: 'inbound-' },
    },
  };
}

async function openRoom(livekit: LivekitServer): Promise<string> {
  const rooms = new LivekitCallRooms({ url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
  const bookingId = `bkg_${randomUUID().slice(0, 8)}`;
  await rooms.openRoom({ bookingId, homeId: 'hom_1', emptyTimeoutSeconds: 120, maxParticipants: 4 });
  return bookingId;
}

describe('SIP on a LiveKit server with Redis (no SIP service, no carrier)', () => {
  let redis: RedisServer;
  let livekit: LivekitServer;

  beforeAll(async () => {
    redis = await startRedis();
    livekit = await startLivekit({ redisUrl: `${redis.url}/5` });
  });
  afterAll(async () => {
    await livekit?.stop();
    await redis?.stop();
  });

  it('provisions trunks and the dispatch rule idempotently: create, then nothing, then only what changed', async () => {
    const options = sipOptions(livekit);
    const first = await provisionSip(options);
    expect(first).toEqual({
      outboundTrunk: { id: expect.stringMatching(/^ST_/), action: 'created' },
      inboundTrunk: { id: expect.stringMatching(/^ST_/), action: 'created' },
      dispatchRule: { id: expect.stringMatching(/^SDR_/), action: 'created' },
    });

    const second = await provisionSip(options);
    expect(second).toEqual({
      outboundTrunk: { id: first.outboundTrunk.id, action: 'unchanged' },
      inboundTrunk: { id: first.inboundTrunk?.id, action: 'unchanged' },
      dispatchRule: { id: first.dispatchRule?.id, action: 'unchanged' },
    });

    const changed = await provisionSip({
      ...options,
      outbound: { ...options.outbound, authPassword: 'second-password', numbers: ['+15005550006', '+15005550007'] },
      inbound: options.inbound && {
        ...options.inbound,
        dispatchRule: { name: 'affection-voice-menu', type: 'direct', roomName: 'voice-menu' },
      },
    });
    expect(changed).toEqual({
      outboundTrunk: { id: first.outboundTrunk.id, action: 'updated' },
      inboundTrunk: { id: first.inboundTrunk?.id, action: 'unchanged' },
      dispatchRule: { id: first.dispatchRule?.id, action: 'updated' },
    });

    // What the server now holds: one of each, with the new settings.
    const sip = new SipClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const outbound = await sip.listSipOutboundTrunk();
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({
      sipTrunkId: first.outboundTrunk.id,
      name: 'affection-outbound',
      address: 'affection-home.pstn.twilio.com',
      numbers: ['+15005550006', '+15005550007'],
      authUsername: 'affection',
      authPassword: 'second-password',
    });
    const inbound = await sip.listSipInboundTrunk();
    expect(inbound.map((t) => [t.name, t.numbers, t.allowedAddresses])).toEqual([
      ['affection-inbound', ['+15005550006'], ['54.172.60.0/30', '54.244.51.0/30']],
    ]);
    const rules = await sip.listSipDispatchRule();
    expect(rules).toHaveLength(1);
    expect(rules[0]?.trunkIds).toEqual([first.inboundTrunk?.id]);
    expect(rules[0]?.hidePhoneNumber).toBe(true);
    expect(rules[0]?.rule?.rule).toMatchObject({ case: 'dispatchRuleDirect', value: { roomName: 'voice-menu' } });

    // Running the changed options again changes nothing more.
    const settled = await provisionSip({
      ...options,
      outbound: { ...options.outbound, authPassword: 'second-password', numbers: ['+15005550007', '+15005550006'] },
      inbound: options.inbound && {
        ...options.inbound,
        dispatchRule: { name: 'affection-voice-menu', type: 'direct', roomName: 'voice-menu' },
      },
    });
    expect([settled.outboundTrunk.action, settled.inboundTrunk?.action, settled.dispatchRule?.action]).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('ringing a phone with no SIP service running is a typed "unavailable" outcome, not an exception', async () => {
    const { outboundTrunk } = await provisionSip(sipOptions(livekit));
    const bookingId = await openRoom(livekit);
    const bridge = new LivekitPhoneBridge({
      url: livekit.httpUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: outboundTrunk.id,
    });
    const started = Date.now();
    const result = await bridge.ring({
      bookingId,
      contactId: 'cnt_1',
      to: PARENT_PHONE,
      ringingTimeoutSeconds: 20,
      maxDurationSeconds: 600,
      displayName: '妈妈',
    });
    expect(result).toMatchObject({ outcome: 'unavailable', isRetryable: true });
    if (result.outcome === 'answered') throw new Error('a call was answered without a SIP service');
    expect(result.message).toMatch(/no response from servers/);
    expect(result.message).not.toContain(PARENT_PHONE.slice(3));
    // The server answers at once; it does not wait out the ringing timeout.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('ringing through a trunk that does not exist is "unavailable" too', async () => {
    const bookingId = await openRoom(livekit);
    const bridge = new LivekitPhoneBridge({
      url: livekit.httpUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: 'ST_doesnotexist',
    });
    const result = await bridge.ring({
      bookingId,
      contactId: 'cnt_1',
      to: PARENT_PHONE,
      ringingTimeoutSeconds: 20,
      maxDurationSeconds: 600,
    });
    expect(result).toMatchObject({ outcome: 'unavailable', isRetryable: false });
    if (result.outcome !== 'answered') expect(result.message).toMatch(/trunk does not exist/);
  });

  it('hanging up a phone that is not in the call says so', async () => {
    const bookingId = await openRoom(livekit);
    const bridge = new LivekitPhoneBridge({
      url: livekit.httpUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: 'ST_any',
    });
    expect(await bridge.hangUp({ bookingId, contactId: 'cnt_1' })).toEqual({ ok: false, reason: 'not-in-call' });
  });
});

describe('SIP on a LiveKit server without Redis', () => {
  let livekit: LivekitServer;

  beforeAll(async () => {
    livekit = await startLivekit();
  });
  afterAll(async () => {
    await livekit?.stop();
  });

  it('ringing is "unavailable": the server has no SIP without Redis', async () => {
    const bookingId = await openRoom(livekit);
    const bridge = new LivekitPhoneBridge({
      url: livekit.wsUrl,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: 'ST_any',
    });
    const result = await bridge.ring({
      bookingId,
      contactId: 'cnt_2',
      to: PARENT_PHONE,
      ringingTimeoutSeconds: 20,
      maxDurationSeconds: 600,
    });
    expect(result).toMatchObject({ outcome: 'unavailable', isRetryable: false });
    if (result.outcome !== 'answered') expect(result.message).toMatch(/redis required/);
  });

  it('provisioning fails with a TelephonyError that says why', async () => {
    const error = await provisionSip(sipOptions(livekit)).catch((e: unknown) => e);
    expect(isTelephonyError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'provider-error', provider: 'livekit' });
    expect((error as Error).message).toMatch(/sip not connected \(redis required\)/);
  });

  it('fails fast at construction without credentials or a trunk', async () => {
    const base = { url: livekit.httpUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret };
    expect(() => new LivekitPhoneBridge({ ...base, outboundTrunkId: '' })).toThrow(/outboundTrunkId/);
    expect(() => new LivekitPhoneBridge({ ...base, apiSecret: '', outboundTrunkId: 'ST_1' })).toThrow(/apiSecret/);
    await expect(provisionSip({ ...sipOptions(livekit), apiKey: '' })).rejects.toThrow(/apiKey/);
  });
});
