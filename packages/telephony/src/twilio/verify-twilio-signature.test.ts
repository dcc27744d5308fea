import twilio from 'twilio';
import { describe, expect, it, vi } from 'vitest';
import { createTwilioSignatureVerifier, verifyTwilioSignature } from './verify-twilio-signature.ts';

const AUTH_TOKEN = '12345678901234567890123456789012';
const URL = 'https://affection.example.cn/webhooks/twilio/sms-status?idempotencyKey=sms_01';
const PARAMS = { MessageSid: `SM${'a'.repeat(32)}`, MessageStatus: 'delivered', To: '+8613800138000' };

describe('createTwilioSignatureVerifier', () => {
  const verifier = createTwilioSignatureVerifier({ authToken: AUTH_TOKEN });
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL, PARAMS);

  it('accepts a request signed with the SDK helper', () => {
    expect(verifier.verify({ url: URL, params: PARAMS, signature })).toEqual({ ok: true });
  });

  it('checks the same way unbound', () => {
    expect(verifyTwilioSignature(AUTH_TOKEN, { url: URL, params: PARAMS, signature })).toEqual({ ok: true });
    expect(
      verifyTwilioSignature(AUTH_TOKEN, { url: URL, params: { ...PARAMS, To: '+8613800138001' }, signature }).ok,
    ).toBe(false);
  });

  it('accepts an HMAC-SHA256 signature when the settings header asks for it', () => {
    const sha256 = twilio.getExpectedTwilioSignature(AUTH_TOKEN, URL, PARAMS, twilio.HMAC_SHA256);
    const settings = 'key=webhooks_sharedkey_1,algorithm=HMAC_SHA256';
    expect(verifier.verify({ url: URL, params: PARAMS, signature: sha256, signatureSettings: settings })).toEqual({
      ok: true,
    });
    expect(verifier.verify({ url: URL, params: PARAMS, signature: sha256 }).ok).toBe(false);
  });

  it('rejects a tampered field, an added field, another URL, another token, or no signature', () => {
    expect(verifier.verify({ url: URL, params: { ...PARAMS, MessageStatus: 'failed' }, signature })).toEqual({
      ok: false,
      reason: 'invalid-signature',
    });
    expect(verifier.verify({ url: URL, params: { ...PARAMS, ErrorCode: '30003' }, signature }).ok).toBe(false);
    expect(verifier.verify({ url: URL.replace('sms_01', 'sms_02'), params: PARAMS, signature }).ok).toBe(false);
    expect(
      verifier.verify({ url: 'https://evil.example/webhooks/twilio/sms-status', params: PARAMS, signature }).ok,
    ).toBe(false);
    const other = createTwilioSignatureVerifier({ authToken: 'another-token-another-token-1234' });
    expect(other.verify({ url: URL, params: PARAMS, signature }).ok).toBe(false);
    expect(verifier.verify({ url: URL, params: PARAMS, signature: undefined })).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
  });

  it('refuses an unknown algorithm in the settings header without printing what the caller sent', () => {
    const printed = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const settings = 'key=k,algorithm=MD5-欧阳娜娜-13812345678';
      expect(verifier.verify({ url: URL, params: PARAMS, signature, signatureSettings: settings })).toEqual({
        ok: false,
        reason: 'invalid-signature',
      });
      expect(printed).not.toHaveBeenCalled();
    } finally {
      printed.mockRestore();
    }
  });

  it('fails fast without an auth token', () => {
    expect(() => createTwilioSignatureVerifier({ authToken: '' })).toThrow(/authToken is required/);
  });
});
