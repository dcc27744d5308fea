import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('gives safe local defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/app', 'data'),
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      redisUrl: undefined,
      livekit: null,
      twilio: null,
      logLevel: 'info',
    });
  });

  it('derives PUBLIC_URL from PORT and trims a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://call.example.org/' }).publicUrl).toBe('https://call.example.org');
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' }).redisUrl).toBeUndefined();
  });

  it('reads LiveKit and Twilio when fully configured', () => {
    const config = loadConfig({
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'secret',
      TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
      TWILIO_AUTH_TOKEN: 'token',
      TWILIO_FROM: '+15005550006',
    });
    expect(config.livekit).toEqual({ url: 'ws://127.0.0.1:7880', apiKey: 'key', apiSecret: 'secret' });
    expect(config.twilio?.from).toBe('+15005550006');
  });

  it('lists every problem at once', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LIVEKIT_URL: 'ws://127.0.0.1:7880',
        TWILIO_ACCOUNT_SID: 'nope',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const variables = (caught as ConfigError).problems.map((p) => p.variable).sort();
    expect(variables).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'TWILIO_ACCOUNT_SID']);
    expect((caught as ConfigError).message).toContain('PORT');
  });

  it('reports half-configured services once the fields parse', () => {
    expect(() => loadConfig({ LIVEKIT_URL: 'ws://127.0.0.1:7880' })).toThrow(/set all three or none/);
    expect(() => loadConfig({ TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`, TWILIO_AUTH_TOKEN: 't' })).toThrow(
      /TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID/,
    );
    expect(() => loadConfig({ TWILIO_FROM: '+15005550006' })).toThrow(/TWILIO_ACCOUNT_SID/);
  });
});

describe('SMS_COUNTRY_POLICIES', () => {
  it('is null when unset: the core defaults apply', () => {
    expect(loadConfig({}).smsPolicies).toBeNull();
  });

  it('reads calling codes and * for every other country', () => {
    expect(loadConfig({ SMS_COUNTRY_POLICIES: '1=links+replies, 44=replies,86=none,*=links' }).smsPolicies).toEqual({
      byCallingCode: {
        '1': { allowsLinks: true, allowsReplies: true },
        '44': { allowsLinks: false, allowsReplies: true },
        '86': { allowsLinks: false, allowsReplies: false },
      },
      fallback: { allowsLinks: true, allowsReplies: false },
    });
  });

  it('refuses a malformed entry or a code named twice, saying what it expects', () => {
    expect(() => loadConfig({ SMS_COUNTRY_POLICIES: '+86=none' })).toThrow(
      /SMS_COUNTRY_POLICIES: must be comma-separated <calling code>=<none\|links\|replies\|links\+replies>/,
    );
    expect(() => loadConfig({ SMS_COUNTRY_POLICIES: '1=links,1=none' })).toThrow(/names a calling code twice/);
    expect(() => loadConfig({ SMS_COUNTRY_POLICIES: '1=sms' })).toThrow(/SMS_COUNTRY_POLICIES/);
  });
});

describe('METRICS_TOKEN', () => {
  it('is null when unset or empty: /metrics stays closed', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: '' }).metricsToken).toBeNull();
  });

  it('reads a token of 16 characters or more and refuses a shorter one, saying how long it must be', () => {
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16) }).metricsToken).toBe('a'.repeat(16));
    let caught: unknown;
    try {
      loadConfig({ METRICS_TOKEN: 'short' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      expect.objectContaining({
        variable: 'METRICS_TOKEN',
        message: expect.stringContaining('at least 16 characters'),
      }),
    ]);
  });
});
