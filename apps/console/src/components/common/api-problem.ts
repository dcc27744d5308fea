import { type ApiError, isMessageKey, type Locale, type Translate } from '@affection/ui';

/**
 * What to tell the teacher about a failed request: a refusal's own message when the screen has one
 * (`<prefix>.<reason>`), else the server's message key, with the request id to quote for a 5xx.
 */
export function problemText(error: ApiError, t: Translate, refusalPrefix?: string): string {
  if (refusalPrefix && error.reason) {
    const key = `${refusalPrefix}.${error.reason}`;
    if (isMessageKey(key)) return t(key);
  }
  const text = t(error.userMessageKey);
  // Something failed on the server (not a refusal): the request id helps whoever looks into it.
  return error.status >= 500 && !error.reason && error.requestId
    ? `${text} ${t('console.common.request-id', { id: error.requestId })}`
    : text;
}

/** The API's message for one field (`details.fields`, by dotted path), in the page's language. */
export function fieldProblem(error: ApiError | null | undefined, path: string, locale: Locale): string | undefined {
  const problem = error?.fields.find((field) => field.path === path);
  return problem ? problem.message[locale] : undefined;
}
