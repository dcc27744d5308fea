export { CATALOGS, LOCALES, type Locale, type MessageKey, pickLocale } from './i18n/catalogs.ts';
