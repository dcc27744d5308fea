import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A phone number that parsed, in E.164 with its country. */
export interface ParsedPhone {
  e164: string;
  /** ISO 3166 country, e.g. 'CN'. */
  country: string | undefined;
  /** Calling code without '+', e.g. '86'. */
  callingCode: string;
}

/**
 * Parses what a person typed into E.164. Numbers without a '+' are read as mainland China
 * numbers unless `defaultCountry` says otherwise. Returns `null` for a number that cannot exist.
 *
 * @example normalizePhone('138 0013 8000') → { e164: '+8613800138000', country: 'CN', callingCode: '86' }
 */
export function normalizePhone(input: string, defaultCountry: 'CN' | 'US' | 'GB' = 'CN'): ParsedPhone | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed?.isValid()) return null;
  return { e164: parsed.number, country: parsed.country, callingCode: parsed.countryCallingCode };
}

/**
 * Masks a number for lists: country code, the first 3 and the last 4 national digits stay.
 *
 * @example maskPhone('+8613812345678') → '+86 138****5678'
 */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const national = parsed ? String(parsed.nationalNumber) : e164.replace(/\D/g, '');
  const prefix = parsed ? `+${parsed.countryCallingCode} ` : '';
  if (national.length <= 7) return `${prefix}${national.slice(0, 2)}****${national.slice(-2)}`;
  return `${prefix}${national.slice(0, 3)}****${national.slice(-4)}`;
}

/**
 * A whole number as people write it down: a mainland number in its national form, a number abroad in its
 * international form (libphonenumber-js's grouping); a number it cannot read stays as it is. The spaces keep a
 * spreadsheet from reading it as a figure.
 *
 * @example formatPhone('+8613800138000') → '138 0013 8000'
 * @example formatPhone('+34612345678') → '+34 612 34 56 78'
 */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.countryCallingCode === '86' ? parsed.formatNational() : parsed.formatInternational();
}
