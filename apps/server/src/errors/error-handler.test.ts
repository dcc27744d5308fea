import { AppError } from '@affection/core';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import type { AppEnv } from '../services.ts';
import { handleError, handleNotFound, STATUS_BY_CODE } from './error-handler.ts';

function appThrowing(error: unknown) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', 'req-test-1');
    c.set('log', createLogger({ level: 'silent' }));
    await next();
  });
  app.get('/boom', () => {
    throw error;
  });
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

describe('handleError', () => {
  it('maps every AppError code to its status and the one body', async () => {
    for (const [code, status] of Object.entries(STATUS_BY_CODE)) {
      const res = await appThrowing(new AppError(code as keyof typeof STATUS_BY_CODE, `because ${code}`)).request(
        '/boom',
      );
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({
        error: { code, message: `because ${code}`, userMessageKey: `error.common.${code}`, requestId: 'req-test-1' },
      });
    }
  });

  it('passes details a client can act on', async () => {
    const details = { fields: [{ path: 'name', key: 'validation.required' }] };
    const res = await appThrowing(new AppError('validation-failed', 'Check the fields', { details })).request('/boom');
    expect(await res.json()).toEqual({
      error: {
        code: 'validation-failed',
        message: 'Check the fields',
        userMessageKey: 'error.common.validation-failed',
        requestId: 'req-test-1',
        details,
      },
    });
  });

  it('maps HTTPException statuses to codes', async () => {
    const res = await appThrowing(new HTTPException(401, { message: 'who are you' })).request('/boom');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated', message: 'who are you' } });
  });

  it('answers 503 with Retry-After when the database is away, not 500', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Failed query: select 1', { cause: refused });
    const shuttingDown = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    });
    for (const error of [wrapped, shuttingDown, new Error('Connection terminated unexpectedly')]) {
      const res = await appThrowing(error).request('/boom');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toMatchObject({
        error: {
          code: 'service-unavailable',
          message: 'The database is not answering right now. Please try again in a moment.',
          userMessageKey: 'error.common.service-unavailable',
          details: { retryAfterSeconds: 5 },
        },
      });
    }
    // A query the database refused is still our fault: 500.
    const badQuery = Object.assign(new Error('syntax error'), { code: '42601' });
    expect((await appThrowing(new Error('Failed query', { cause: badQuery })).request('/boom')).status).toBe(500);
  });

  it('hides the message of an unexpected error', async () => {
    const res = await appThrowing(new Error('secret internals at /srv/db')).request('/boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).not.toContain('secret');
  });
});
