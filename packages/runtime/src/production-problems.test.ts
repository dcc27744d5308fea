import { loadConfig } from '@affection/config';
import { describe, expect, it } from 'vitest';
import { productionProblems } from './production-problems.ts';

const nothingPlanned = { startsDevLivekit: false, seedsDemoHome: false };

describe('productionProblems', () => {
  it('finds nothing outside production, whatever the configuration', () => {
    const config = loadConfig({
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
    });
    expect(productionProblems(config, { startsDevLivekit: true, seedsDemoHome: true })).toEqual([]);
  });

  it('finds nothing in a safe production configuration', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://call.example.org',
      LIVEKIT_URL: 'wss://livekit.example.org',
      LIVEKIT_API_KEY: 'APIx8d2k',
      LIVEKIT_API_SECRET: 'a-generated-secret-of-forty-characters-00',
    });
    expect(productionProblems(config, nothingPlanned)).toEqual([]);
  });

  it('lists every problem at once: http PUBLIC_URL, dev LiveKit credentials, the demo seed, a trunk without credentials', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://call.example.org',
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'devkey',
      LIVEKIT_API_SECRET: 'secret',
      SIP_OUTBOUND_ADDRESS: 'affection.pstn.twilio.com',
      SIP_OUTBOUND_NUMBER: '+15005550006',
      SIP_INBOUND_NUMBERS: '+15005550007',
      LIVEKIT_SIP_URI: 'sip:abc.sip.livekit.cloud',
    });
    const problems = productionProblems(config, { startsDevLivekit: false, seedsDemoHome: true });
    expect(problems).toHaveLength(6);
    expect(problems[0]).toMatch(/^PUBLIC_URL is http:\/\/call\.example\.org: .*https:\/\//);
    expect(problems.some((p) => p.includes('devkey / secret'))).toBe(true);
    expect(problems.some((p) => p.includes('seed the demo Home'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SIP_OUTBOUND_ADDRESS is set without SIP_OUTBOUND_USERNAME'))).toBe(true);
    expect(problems.some((p) => p.startsWith('SIP_INBOUND_NUMBERS is set without SIP_INBOUND_ALLOWED_ADDRESSES'))).toBe(
      true,
    );
    expect(problems.some((p) => p.startsWith('LIVEKIT_SIP_URI is set but Twilio is not'))).toBe(true);
  });

  it('refuses the dev LiveKit npm start would run, and the default http://localhost address', () => {
    const problems = productionProblems(loadConfig({ NODE_ENV: 'production' }), {
      startsDevLivekit: true,
      seedsDemoHome: false,
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('PUBLIC_URL is http://localhost:3000');
    expect(problems[1]).toContain('LIVEKIT_URL is unset, so npm start would run LiveKit in dev mode');
  });

  it('refuses a LiveKit secret shorter than LiveKit itself accepts', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://call.example.org',
      LIVEKIT_URL: 'wss://livekit.example.org',
      LIVEKIT_API_KEY: 'APIx8d2k',
      LIVEKIT_API_SECRET: 'short-secret',
    });
    expect(productionProblems(config, nothingPlanned)).toEqual([
      'LIVEKIT_API_SECRET is shorter than 32 characters: use the generated secret of your LiveKit server',
    ]);
  });
});
