import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.ts';

const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'token',
  TWILIO_FROM: '+15005550006',
};
const ALIYUN = {
  SMS_PROVIDER: 'aliyun',
  ALIYUN_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
  ALIYUN_ACCESS_KEY_SECRET: 'example-secret-value',
  ALIYUN_SMS_SIGN_NAME: '青山小学',
  ALIYUN_SMS_TEMPLATES: '{"booking-confirmed":"SMS_123456789","reminder-15-min-phone":"SMS_987654321"}',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.variable}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('SMS provider settings', () => {
  it('default to the outbox, and to Twilio when TWILIO_* is set (as before SMS_PROVIDER existed)', () => {
    expect(loadConfig({}).smsProvider).toBe('outbox');
    expect(loadConfig(TWILIO).smsProvider).toBe('twilio');
    expect(loadConfig({ ...TWILIO, SMS_PROVIDER: 'outbox' }).smsProvider).toBe('outbox');
    expect(loadConfig({}).aliyunSms).toBeNull();
  });

  it('read Alibaba Cloud SMS: templates, signature, region, a test endpoint over http, the report token and addresses', () => {
    const config = loadConfig({
      ...ALIYUN,
      ...TWILIO,
      ALIYUN_SMS_REPORT_TOKEN: 'report-token-0123456789',
      ALIYUN_SMS_ENDPOINT: 'http://127.0.0.1:40123',
      ALIYUN_REPORT_ALLOWED_IPS: '47.96.0.0/16, 106.11.1.2',
    });
    expect(config.smsProvider).toBe('aliyun');
    expect(config.twilio).not.toBeNull();
    expect(config.aliyunSms).toEqual({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'example-secret-value',
      signName: '青山小学',
      templateCodes: { 'booking-confirmed': 'SMS_123456789', 'reminder-15-min-phone': 'SMS_987654321' },
      regionId: 'cn-hangzhou',
      endpoint: '127.0.0.1:40123',
      protocol: 'http',
      reportToken: 'report-token-0123456789',
      reportAllowedIps: ['47.96.0.0/16', '106.11.1.2'],
    });
    expect(loadConfig(ALIYUN).aliyunSms).toMatchObject({ endpoint: undefined, protocol: 'https', reportToken: null });
    // Sign-in codes are not shown in the outbox when messages really leave.
    expect(loadConfig(ALIYUN).outboxShowsSignInCodes).toBe(false);
  });

  it('lists every problem at once, and never the secret', () => {
    const problems = problemsOf({
      SMS_PROVIDER: 'aliyun',
      ALIYUN_ACCESS_KEY_SECRET: 'super-secret-value',
      ALIYUN_SMS_TEMPLATES: '{"booking-confirmed":"123","no-such-kind":"SMS_1234"}',
      ALIYUN_SMS_REPORT_TOKEN: 'short',
      ALIYUN_REPORT_ALLOWED_IPS: '47.96.0.0/16,not-an-ip',
    });
    expect(problems).toEqual([
      'ALIYUN_SMS_REPORT_TOKEN: must be at least 16 characters (e.g. from `openssl rand -hex 24`)',
      'ALIYUN_REPORT_ALLOWED_IPS: a comma-separated list of IPv4 addresses or CIDR blocks',
      'ALIYUN_ACCESS_KEY_ID: is required with SMS_PROVIDER=aliyun',
      'ALIYUN_SMS_SIGN_NAME: is required with SMS_PROVIDER=aliyun',
      expect.stringMatching(
        /^ALIYUN_SMS_TEMPLATES: the code of booking-confirmed must look like SMS_123456789; unknown template key no-such-kind/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('super-secret-value');
  });

  it('refuses SMS settings of Alibaba Cloud without SMS_PROVIDER=aliyun, and twilio without its settings', () => {
    expect(problemsOf({ ALIYUN_SMS_SIGN_NAME: '青山小学', ALIYUN_SMS_TEMPLATES: '{}' })).toEqual([
      'ALIYUN_SMS_SIGN_NAME: ALIYUN_SMS_SIGN_NAME, ALIYUN_SMS_TEMPLATES set but SMS_PROVIDER is not aliyun',
      'ALIYUN_SMS_TEMPLATES: names no template',
    ]);
    expect(problemsOf({ SMS_PROVIDER: 'twilio' })).toEqual([
      'SMS_PROVIDER: twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID',
    ]);
    expect(problemsOf({ ...ALIYUN, ALIYUN_SMS_TEMPLATES: 'not json' })).toEqual([
      'ALIYUN_SMS_TEMPLATES: must be a JSON object, e.g. {"booking-confirmed":"SMS_123456789"}',
    ]);
  });
});
