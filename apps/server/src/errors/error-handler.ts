import { type AppErrorCode, type ErrorMessageKey, isAppError } from '@affection/core';
import { isDatabaseUnavailable } from '@affection/db';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../services.ts';
import { safeErrorForLog } from './safe-error.ts';

/** The one table from error code to HTTP status. */
export const STATUS_BY_CODE: Record<AppErrorCode, ContentfulStatusCode> = {
  'bad-request': 400,
  'validation-failed': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
  'rate-limited': 429,
  'payload-too-large': 413,
  'service-unavailable': 503,
  internal: 500,
};

const CODE_BY_STATUS: Record<number, AppErrorCode> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'service-unavailable',
};

/** What a 503 for an unreachable database asks the client to wait before trying again. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The one error body every failing response carries. */
export interface ErrorBody {
  error: {
    code: AppErrorCode;
    /** English, for logs and tools; a person sees the catalog message of `userMessageKey`. */
    message: string;
    /** Catalog key of the message to show, `error.<area>.<reason>`. */
    userMessageKey: ErrorMessageKey;
    requestId: string;
    /** What a client can act on: `reason`, per-field problems in `fields`, `retryAfterSeconds`… */
    details?: unknown;
  };
}

/** Options for {@link errorBody}. */
export interface ErrorBodyOptions {
  /** Default `error.common.<code>`. */
  userMessageKey?: ErrorMessageKey;
  details?: unknown;
}

/**
 * The one builder of error bodies: the error handler, the body-size limit, the validation hook
 * and every other refusal made outside a handler use it.
 *
 * @example return c.json(errorBody(c, 'payload-too-large', 'The request body is too large.'), 413)
 */
export function errorBody(
  c: Context<AppEnv>,
  code: AppErrorCode,
  message: string,
  options: ErrorBodyOptions = {},
): ErrorBody {
  const body: ErrorBody = {
    error: {
      code,
      message,
      userMessageKey: options.userMessageKey ?? `error.common.${code}`,
      requestId: c.get('requestId') ?? '',
    },
  };
  if (options.details !== undefined) body.error.details = options.details;
  return body;
}

/** Turns any thrown value into the one {@link ErrorBody} with the right status. */
export const handleError: ErrorHandler<AppEnv> = (error, c) => {
  const log = c.get('log');
  if (isAppError(error)) {
    const status = STATUS_BY_CODE[error.code];
    if (status >= 500) log?.error({ err: safeErrorForLog(error) }, 'request failed');
    return c.json(
      errorBody(c, error.code, error.message, { userMessageKey: error.userMessageKey, details: error.details }),
      status,
    );
  }
  if (error instanceof HTTPException) {
    const code = CODE_BY_STATUS[error.status] ?? (error.status >= 500 ? 'internal' : 'bad-request');
    return c.json(errorBody(c, code, error.message || code), error.status as ContentfulStatusCode);
  }
  if (isDatabaseUnavailable(error)) {
    // The database is away (stopped, restarting, unreachable): nothing is wrong with the request, so it is a 503 the
    // client may retry, not a 500.
    log?.warn({ err: safeErrorForLog(error) }, 'database unavailable');
    c.header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    return c.json(
      errorBody(c, 'service-unavailable', 'The database is not answering right now. Please try again in a moment.', {
        details: { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
      }),
      503,
    );
  }
  log?.error({ err: safeErrorForLog(error) }, 'unexpected error');
  return c.json(errorBody(c, 'internal', 'Something went wrong on our side. Please try again.'), 500);
};

/** 404 in the same shape as every other error. */
export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(c, 'not-found', `No route for ${c.req.method} ${c.req.path}`), 404);
