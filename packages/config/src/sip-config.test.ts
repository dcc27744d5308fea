import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

const LIVEKIT = { LIVEKIT_URL: 'ws://127.0.0.1:7880', LIVEKIT_API_KEY: 'key', LIVEKIT_API_SECRET: 'secret' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('SIP settings', () => {
  it('are off when unset', () => {
    const config = loadConfig({});
    expect(config.sip).toBeNull();
    expect(config.livekitSipHost).toBeUndefined();
  });

  it('read the trunks and the LiveKit SIP host', () => {
    const config = loadConfig({
      ...LIVEKIT,
      LIVEKIT_SIP_URI: 'sip:abc123.sip.livekit.cloud;transport=tcp',
      SIP_OUTBOUND_ADDRESS: 'affection-home.pstn.twilio.com',
      SIP_OUTBOUND_NUMBER: '+15005550006',
      SIP_OUTBOUND_USERNAME: 'affection',
      SIP_OUTBOUND_PASSWORD: 'a long password',
      SIP_INBOUND_NUMBERS: '+15005550006, +15005550007',
      SIP_INBOUND_ALLOWED_ADDRESSES: '54.172.60.0/30,54.244.51.0/30',
    });
    expect(config.livekitSipHost).toBe('abc123.sip.livekit.cloud;transport=tcp');
    expect(config.sip).toEqual({
      outbound: {
        address: 'affection-home.pstn.twilio.com',
        number: '+15005550006',
        auth: { username: 'affection', password: 'a long password' },
      },
      inbound: { numbers: ['+15005550006', '+15005550007'], allowedAddresses: ['54.172.60.0/30', '54.244.51.0/30'] },
    });
    expect(loadConfig({ ...LIVEKIT, LIVEKIT_SIP_URI: 'sip.example.org:5060' }).livekitSipHost).toBe(
      'sip.example.org:5060',
    );
  });

  it('needs no credentials or inbound numbers', () => {
    const config = loadConfig({
      ...LIVEKIT,
      SIP_OUTBOUND_ADDRESS: 'x.pstn.twilio.com',
      SIP_OUTBOUND_NUMBER: '+15005550006',
    });
    expect(config.sip).toEqual({
      outbound: { address: 'x.pstn.twilio.com', number: '+15005550006', auth: null },
      inbound: null,
    });
  });

  it('refuses malformed values, naming the variable', () => {
    const problems = problemsOf({
      ...LIVEKIT,
      LIVEKIT_SIP_URI: 'sip:room@host.example.org',
      SIP_OUTBOUND_ADDRESS: 'sip:x.pstn.twilio.com',
      SIP_OUTBOUND_NUMBER: '15005550006',
      SIP_INBOUND_NUMBERS: '+15005550006,0123',
      SIP_INBOUND_ALLOWED_ADDRESSES: '54.172.60.0/33',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'LIVEKIT_SIP_URI',
      'SIP_INBOUND_ALLOWED_ADDRESSES',
      'SIP_INBOUND_NUMBERS',
      'SIP_OUTBOUND_ADDRESS',
      'SIP_OUTBOUND_NUMBER',
    ]);
  });

  it('refuses half a trunk, credentials without a trunk, and SIP without LiveKit', () => {
    expect(problemsOf({ ...LIVEKIT, SIP_OUTBOUND_ADDRESS: 'x.pstn.twilio.com' })).toEqual([
      'SIP_OUTBOUND_NUMBER: SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER go together: set both or neither',
    ]);
    const trunk = { SIP_OUTBOUND_ADDRESS: 'x.pstn.twilio.com', SIP_OUTBOUND_NUMBER: '+15005550006' };
    expect(problemsOf({ ...LIVEKIT, ...trunk, SIP_OUTBOUND_USERNAME: 'u' })).toEqual([
      'SIP_OUTBOUND_USERNAME: SIP_OUTBOUND_USERNAME and SIP_OUTBOUND_PASSWORD go together: set both or neither',
    ]);
    expect(problemsOf({ ...LIVEKIT, SIP_INBOUND_NUMBERS: '+15005550006' })).toEqual([
      'SIP_OUTBOUND_ADDRESS: SIP trunk settings are set but SIP_OUTBOUND_ADDRESS and SIP_OUTBOUND_NUMBER are not',
    ]);
    expect(problemsOf({ ...LIVEKIT, ...trunk, SIP_INBOUND_ALLOWED_ADDRESSES: '54.172.60.0/30' })).toEqual([
      'SIP_INBOUND_ALLOWED_ADDRESSES: SIP_INBOUND_ALLOWED_ADDRESSES needs SIP_INBOUND_NUMBERS',
    ]);
    expect(problemsOf(trunk)).toEqual([
      'SIP_OUTBOUND_ADDRESS: SIP settings need LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    ]);
    expect(problemsOf({ LIVEKIT_SIP_URI: 'sip:abc.sip.livekit.cloud' })).toEqual([
      'LIVEKIT_SIP_URI: SIP settings need LiveKit: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET',
    ]);
  });
});
