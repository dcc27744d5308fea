export {
  type ApiClient,
  type ApiClientOptions,
  type CallInput,
  type CallOptions,
  type ContractEntry,
  type ContractShape,
  createApiClient,
} from './api/api-client.ts';
export { ApiError, type ApiFieldProblem, type ClientFailure } from './api/api-error.ts';
export {
  APP_MESSAGE_PREFIXES,
  appCatalogPlugin,
  appMessages,
  appShipsMessage,
  type CatalogPlugin,
  type MessageApp,
} from './i18n/app-messages.ts';
export { CATALOGS, LOCALES, type Locale, type MessageKey, pickLocale } from './i18n/catalogs.ts';
export { isMessageKey, type Translate, translator } from './i18n/translator.ts';
