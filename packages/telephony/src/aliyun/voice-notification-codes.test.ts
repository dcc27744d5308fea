import { describe, expect, it } from 'vitest';
import { AliyunVoiceNotifier, aliyunCalledNumberOf, voiceFailureFromAliyunCode } from './voice-notifier.ts';
import { parseAliyunVoiceReports } from './voice-report.ts';

describe('Alibaba Cloud voice codes in our words', () => {
  it('reads the report push: results, keys, our id; leaves out what is not a report', () => {
    expect(
      parseAliyunVoiceReports([
        { call_id: '1^2', status_code: '200000', out_id: 'vnt_1' },
        { call_id: '1^3', status_code: '300000', out_id: 'vnt_2', dtmf: '1' },
        { call_id: '1^4', status_code: '200002', out_id: '' },
        { call_id: '1^5', status_code: '200005' },
        { call_id: '1^6', status_code: '200099', smart_status_code: 'NO_ANSWER' },
        { call_id: '1^7', status_code: '477000' },
        { call_id: '1^8', status_code: '200000', dtmf: '<script>' },
        { status_code: '200000' },
        'nonsense',
        null,
      ]),
    ).toEqual([
      { callId: '1^2', notificationId: 'vnt_1', result: 'answered', dtmf: null, providerStatus: '200000' },
      { callId: '1^3', notificationId: 'vnt_2', result: 'answered', dtmf: '1', providerStatus: '300000' },
      { callId: '1^4', notificationId: null, result: 'not-answered', dtmf: null, providerStatus: '200002' },
      { callId: '1^5', notificationId: null, result: 'busy', dtmf: null, providerStatus: '200005' },
      { callId: '1^6', notificationId: null, result: 'not-answered', dtmf: null, providerStatus: '200099' },
      { callId: '1^7', notificationId: null, result: 'failed', dtmf: null, providerStatus: '477000' },
      { callId: '1^8', notificationId: null, result: 'answered', dtmf: null, providerStatus: '200000' },
    ]);
    expect(parseAliyunVoiceReports({ call_id: '1^2' })).toBeNull();
  });

  it('maps refusals: throttling may pass, template and number errors never will, a 5xx may have placed the call', () => {
    expect(voiceFailureFromAliyunCode('isv.BUSINESS_LIMIT_CONTROL', '流控')).toMatchObject({
      kind: 'retryable',
      reason: 'rate-limited',
      isAmbiguous: false,
    });
    expect(voiceFailureFromAliyunCode('isv.TTS_TEMPLATE_ILLEGAL', '模板')).toMatchObject({
      kind: 'permanent',
      reason: 'template-error',
    });
    expect(voiceFailureFromAliyunCode('isv.MOBILE_NUMBER_ILLEGAL', '号码')).toMatchObject({
      kind: 'permanent',
      reason: 'invalid-number',
    });
    expect(voiceFailureFromAliyunCode('ServiceUnavailable', 'down', 503)).toMatchObject({
      kind: 'retryable',
      isAmbiguous: true,
    });
    expect(voiceFailureFromAliyunCode('SignatureDoesNotMatch', 'bad', 400)).toMatchObject({
      kind: 'permanent',
      reason: 'provider-error',
      isAmbiguous: false,
    });
  });

  it('calls mainland mobiles only, without the country code', () => {
    const notifier = new AliyunVoiceNotifier({
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'example-secret-value',
      showNumber: '057112345678',
      templates: { 'parent-awaited': 'TTS_100001' },
    });
    expect(notifier.canCall('+8613800138000')).toBe(true);
    expect(notifier.canCall('+34612345678')).toBe(false);
    expect(notifier.canCall('+85291234567')).toBe(false);
    expect(aliyunCalledNumberOf('+8613800138000')).toBe('13800138000');
  });

  it('refuses to start without its credentials or show number', () => {
    const options = {
      accessKeyId: 'LTAI5tExampleKeyId',
      accessKeySecret: 'example-secret-value',
      showNumber: '057112345678',
      templates: { 'parent-awaited': 'TTS_100001' },
    };
    expect(() => new AliyunVoiceNotifier({ ...options, accessKeySecret: '' })).toThrow(/AccessKey/);
    expect(() => new AliyunVoiceNotifier({ ...options, showNumber: '' })).toThrow(/number/);
  });
});
