/** How a contact is related to the children, in the API's words. */
export const RELATIONS = ['mother', 'father', 'grandmother', 'grandfather', 'guardian', 'other'] as const;

/** One of {@link RELATIONS}. */
export type Relation = (typeof RELATIONS)[number];

/** A country a parent often works in: its calling code, a catalog key for its name, and its usual time zone. */
export interface CountryOption {
  code: string;
  nameKey:
    | 'console.country.cn'
    | 'console.country.hk'
    | 'console.country.mo'
    | 'console.country.tw'
    | 'console.country.jp'
    | 'console.country.kr'
    | 'console.country.sg'
    | 'console.country.my'
    | 'console.country.ae'
    | 'console.country.gb'
    | 'console.country.es'
    | 'console.country.it'
    | 'console.country.fr'
    | 'console.country.us'
    | 'console.country.au';
  zone: string;
}

/** The calling codes the form offers (mainland China first, the default). */
export const COUNTRIES: readonly CountryOption[] = [
  { code: '+86', nameKey: 'console.country.cn', zone: 'Asia/Shanghai' },
  { code: '+852', nameKey: 'console.country.hk', zone: 'Asia/Hong_Kong' },
  { code: '+853', nameKey: 'console.country.mo', zone: 'Asia/Macau' },
  { code: '+886', nameKey: 'console.country.tw', zone: 'Asia/Taipei' },
  { code: '+81', nameKey: 'console.country.jp', zone: 'Asia/Tokyo' },
  { code: '+82', nameKey: 'console.country.kr', zone: 'Asia/Seoul' },
  { code: '+65', nameKey: 'console.country.sg', zone: 'Asia/Singapore' },
  { code: '+60', nameKey: 'console.country.my', zone: 'Asia/Kuala_Lumpur' },
  { code: '+971', nameKey: 'console.country.ae', zone: 'Asia/Dubai' },
  { code: '+44', nameKey: 'console.country.gb', zone: 'Europe/London' },
  { code: '+34', nameKey: 'console.country.es', zone: 'Europe/Madrid' },
  { code: '+39', nameKey: 'console.country.it', zone: 'Europe/Rome' },
  { code: '+33', nameKey: 'console.country.fr', zone: 'Europe/Paris' },
  { code: '+1', nameKey: 'console.country.us', zone: 'America/New_York' },
  { code: '+61', nameKey: 'console.country.au', zone: 'Australia/Sydney' },
];

/** The time zones the form offers: each country's usual one, plus a few more of the same countries. */
export const TIME_ZONES: readonly string[] = [
  ...new Set([...COUNTRIES.map((c) => c.zone), 'America/Los_Angeles', 'America/Chicago', 'Australia/Perth']),
];

/**
 * The number as the API takes it: a number typed with its own `+` keeps it, anything else gets the chosen country
 * code in front. The server checks the number itself and answers at the field when it cannot exist.
 */
export function phoneWithCountry(code: string, typed: string): string {
  const text = typed.trim();
  return text.startsWith('+') ? text : `${code} ${text}`;
}
