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
  CALL_RECONNECT_EVERY_MS,
  CALL_RECONNECT_FIRST_DELAYS_MS,
  CALL_RECONNECT_GIVE_UP_MS,
  callReconnectPolicy,
  type ReconnectAttempt,
} from './call/call-reconnect-policy.ts';
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
