import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, MASKED_PHONE } from './create-logger.ts';

function capture(service: string) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(line);
      done();
    },
  });
  return { lines, logger: createLogger({ service, level: 'debug', destination }) };
}

describe('createLogger', () => {
  it('redacts personal fields at the top and one level down', () => {
    const { lines, logger } = capture('affection-worker');
    logger.info(
      { phone: '+8613812345678', token: 'tok_secret', contact: { phone: '+8613812345678', code: '123456' } },
      'sent',
    );
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ service: 'affection-worker', phone: '[redacted]', token: '[redacted]' });
    expect(line.contact).toEqual({ phone: '[redacted]', code: '[redacted]' });
  });

  it('masks phone numbers written anywhere in a line: messages, reasons, nested errors', () => {
    const { lines, logger } = capture('affection-worker');
    logger.warn(
      { reason: "The 'To' number +8613812345678 is not valid", err: { message: 'to 13812345678 failed' } },
      'send to +15005550006 failed',
    );
    const text = lines.join('\n');
    expect(text).not.toMatch(/13812345678|5005550006/);
    expect(text.split(MASKED_PHONE)).toHaveLength(4);
    expect(JSON.parse(lines[0]!).msg).toBe(`send to ${MASKED_PHONE} failed`);
  });

  it('leaves ids, times and counts alone', () => {
    const { lines, logger } = capture('affection-server');
    logger.info({ bookingId: 'bkg_01J8ZQ', durationMs: 1_500, at: 1_796_496_363_444, port: 38_111 }, 'done');
    expect(JSON.parse(lines[0]!)).toMatchObject({ bookingId: 'bkg_01J8ZQ', durationMs: 1500, at: 1796496363444 });
  });
});
