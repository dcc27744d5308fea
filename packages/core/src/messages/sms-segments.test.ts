import { describe, expect, it } from 'vitest';
import { smsSegments } from './sms-segments.ts';

describe('smsSegments', () => {
  it('counts an empty text as no part', () => {
    expect(smsSegments('')).toEqual({ encoding: 'gsm-7', units: 0, segments: 0, unitsPerSegment: 160 });
  });

  it('fits 160 GSM-7 characters in one message and splits longer text into parts of 153', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ units: 161, segments: 2, unitsPerSegment: 153 });
    expect(smsSegments('a'.repeat(306)).segments).toBe(2);
    expect(smsSegments('a'.repeat(307)).segments).toBe(3);
  });

  it('counts GSM extension characters as two septets and never splits one from its escape', () => {
    expect(smsSegments('[x]')).toMatchObject({ encoding: 'gsm-7', units: 5 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ units: 160, segments: 1 });
    // 152 plain + one extension character: 154 septets do not fit one part of 153.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`)).toMatchObject({ units: 164, segments: 2 });
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('treats accented Latin letters of the GSM alphabet as GSM-7 and others as UCS-2', () => {
    expect(smsSegments('Café à Málaga').encoding).toBe('ucs-2'); // á is not in the GSM alphabet
    expect(smsSegments('Café à Ñandú').encoding).toBe('ucs-2'); // ú is not either
    expect(smsSegments('Müller, Ørsted, Ñoño é').encoding).toBe('gsm-7');
  });

  it('sends Chinese as UCS-2: 70 characters in one message, 67 per part beyond', () => {
    expect(smsSegments('好'.repeat(70))).toMatchObject({ encoding: 'ucs-2', units: 70, segments: 1 });
    expect(smsSegments('好'.repeat(71))).toMatchObject({ units: 71, segments: 2, unitsPerSegment: 67 });
    expect(smsSegments('好'.repeat(134)).segments).toBe(2);
    expect(smsSegments('好'.repeat(135)).segments).toBe(3);
  });

  it('makes a whole message UCS-2 for one non-GSM character, such as the 【】 signature', () => {
    expect(smsSegments(`${'a'.repeat(68)}【】`)).toMatchObject({ encoding: 'ucs-2', units: 70, segments: 1 });
    expect(smsSegments(`${'a'.repeat(69)}【】`).segments).toBe(2);
  });

  it('counts a character outside the BMP as two UTF-16 units and keeps the pair in one part', () => {
    expect(smsSegments('😀')).toMatchObject({ encoding: 'ucs-2', units: 2 });
    expect(smsSegments(`${'好'.repeat(66)}😀${'好'.repeat(5)}`)).toMatchObject({ units: 73, segments: 2 });
    expect(smsSegments(`${'好'.repeat(66)}😀${'好'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });
});
