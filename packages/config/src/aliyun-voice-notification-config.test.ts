import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

const ALIYUN = {
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
  ALIYUN_ACCESS_KEY_SECRET: 'example-secret-value',
  ALIYUN_SMS_SIGN_NAME: '青山小学',
  ALIYUN_SMS_TEMPLATES: '{"booking-confirmed":"SMS_123456789"}',
};
const VOICE = { ALIYUN_VOICE_SHOW_NUMBER: '057112345678', ALIYUN_VOICE_TTS_TEMPLATE: 'TTS_100001' };

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('voice notification settings', () => {
  it('default to the outbox (no Alibaba Cloud voice)', () => {
    expect(loadConfig({}).aliyunVoice).toBeNull();
    expect(loadConfig(ALIYUN).aliyunVoice).toBeNull();
  });

  it('read the show number, the TTS template, the report token, a test endpoint over http and the account', () => {
    const config = loadConfig({
      ...ALIYUN,
      ...VOICE,
      ALIYUN_VOICE_REPORT_TOKEN: 'voice-token-0123456789',
      ALIYUN_VOICE_ENDPOINT: 'http://127.0.0.1:40125',
      ALIYUN_REPORT_ALLOWED_IPS: '100.104.0.0/16, 203.0.113.7',
    });
    expect(config.aliyunVoice).toEqual({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'example-secret-value',
      showNumber: '057112345678',
      ttsTemplate: 'TTS_100001',
      regionId: 'cn-hangzhou',
      endpoint: '127.0.0.1:40125',
      protocol: 'http',
      reportToken: 'voice-token-0123456789',
      reportAllowedIps: ['100.104.0.0/16', '203.0.113.7'],
    });
  });

  it('lists every problem: a half setting, bad values, voice without the Alibaba Cloud account', () => {
    expect(problemsOf({ ...ALIYUN, ALIYUN_VOICE_SHOW_NUMBER: '057112345678' })).toEqual([
      'ALIYUN_VOICE_TTS_TEMPLATE: is required with ALIYUN_VOICE_SHOW_NUMBER',
    ]);
    const bad = problemsOf({
      ...ALIYUN,
      ALIYUN_VOICE_SHOW_NUMBER: 'call-me',
      ALIYUN_VOICE_TTS_TEMPLATE: 'SMS_1',
      ALIYUN_VOICE_REPORT_TOKEN: 'short',
    });
    expect(bad.map((p) => p.split(':')[0]).sort()).toEqual([
      'ALIYUN_VOICE_REPORT_TOKEN',
      'ALIYUN_VOICE_SHOW_NUMBER',
      'ALIYUN_VOICE_TTS_TEMPLATE',
    ]);
    expect(problemsOf(VOICE)).toEqual([
      'ALIYUN_VOICE_SHOW_NUMBER: voice notifications go through the Alibaba Cloud account: set SMS_PROVIDER=aliyun and its ALIYUN_* settings',
    ]);
    expect(problemsOf({ ALIYUN_ACCESS_KEY_ID: 'LTAI5tExampleKeyId' })).toEqual([
      'ALIYUN_ACCESS_KEY_ID: ALIYUN_ACCESS_KEY_ID set but SMS_PROVIDER is not aliyun',
    ]);
  });

  it('never shows the secret in a problem', () => {
    const problems = problemsOf({ ...VOICE, ALIYUN_ACCESS_KEY_SECRET: 'very-secret-value-42' });
    expect(problems.join('\n')).not.toContain('very-secret-value-42');
  });
});
