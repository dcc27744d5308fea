import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { AppErrorCode } from '@affection/core';
import type { Logger } from 'pino';
import type { ErrorBody } from './error-handler.ts';

/** What Node's HTTP parser refused, in our words. */
interface Refusal {
  status: 400 | 408 | 413 | 431;
  reason: string;
  code: AppErrorCode;
  message: string;
}

function refusalOf(errorCode: string | undefined): Refusal {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        code: 'bad-request',
        message: 'The request headers are too large. Clear this site’s cookies and try again.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        reason: 'Payload Too Large',
        code: 'payload-too-large',
        message: 'The request body is too large.',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', code: 'bad-request', message: 'The request took too long.' };
    default:
      return { status: 400, reason: 'Bad Request', code: 'bad-request', message: 'The request is not valid HTTP.' };
  }
}

/**
 * Answers the requests Node refuses before they reach the app — headers over the limit (431), a
 * request that is not valid HTTP (400), one that took too long (408) — with the one error body
 * (`{ error: { code, message, userMessageKey, requestId } }`) instead of Node's empty answer, and
 * logs the refusal as a JSON line without anything the client sent.
 *
 * @example answerClientErrors(server, logger) // server: what `serve()` of @hono/node-server answered
 */
export function answerClientErrors(server: EventEmitter, logger?: Logger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const refusal = refusalOf(error.code);
    const requestId = randomUUID();
    const body: ErrorBody = {
      error: {
        code: refusal.code,
        message: refusal.message,
        userMessageKey: `error.common.${refusal.code}`,
        requestId,
      },
    };
    const json = JSON.stringify(body);
    logger?.warn(
      { requestId, status: refusal.status, parserCode: error.code ?? null },
      'request refused by the HTTP parser',
    );
    socket.end(
      `HTTP/1.1 ${refusal.status} ${refusal.reason}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'Connection: close\r\n\r\n' +
        json,
    );
  });
}
