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

  it('hides the message of an unexpected error', async () => {
    const res = await appThrowing(new Error('secret internals at /srv/db')).request('/boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal');
    expect(body.error.message).not.toContain('secret');
  });
});
