import { AppError } from '@affection/core';
import { createHome, createStaff } from '@affection/db';
import { openTestDatabase, type TestDatabase } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeErrorForLog } from './safe-error.ts';

describe('safeErrorForLog', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('keeps the SQLSTATE, constraint and our frames of a database error, and none of the values in its query', async () => {
    const home = await createHome(database.db, { name: '石门之家' });
    const member = {
      role: 'teacher' as const,
      displayName: '欧阳娜娜',
      username: 'ouyang.nana',
      phone: '+8613700001234',
      passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
    };
    await createStaff(database.db, home.id, member);
    const error = await createStaff(database.db, home.id, { ...member, displayName: '欧阳小雨' }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    // The driver's own text carries the parameters: that is what must never reach a log line.
    expect(String((error as Error).stack)).toContain('13700001234');

    const safe = safeErrorForLog(error);
    const text = JSON.stringify(safe);
    for (const value of ['欧阳', 'ouyang', '13700001234', 'argon2id', 'c2FsdHNhbHRz', home.id, 'insert'])
      expect(text).not.toContain(value);
    expect(text).toContain('"sqlState":"23505"');
    expect(text).toMatch(/"constraint":"staff_\w+"/);
    expect(safe.class).toMatch(/Error$/);
    expect(safe.frames?.some((frame) => frame.includes('apps/server/src/errors/safe-error.test.ts'))).toBe(true);
    for (const frame of safe.frames ?? []) expect(frame).not.toContain('node_modules');
  });

  it('keeps an AppError code and its cause chain, not their messages', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED to +8613812345678'), { code: 'ECONNREFUSED' });
    const error = new AppError('service-unavailable', 'Cannot text 13812345678 now', { cause });
    expect(safeErrorForLog(error)).toMatchObject({
      class: 'AppError',
      appCode: 'service-unavailable',
      causes: [{ class: 'Error', systemCode: 'ECONNREFUSED' }],
    });
    expect(JSON.stringify(safeErrorForLog(error))).not.toContain('13812345678');
  });

  it('does not take a message line that looks like a stack frame for a frame', () => {
    const error = new Error('name 李秀英\n    at 13812345678 (/srv/apps/server/src/leak.ts:1:1)');
    expect(JSON.stringify(safeErrorForLog(error))).not.toMatch(/李秀英|13812345678|leak\.ts/);
  });

  it('describes a thrown value that is not an object by its type only', () => {
    expect(safeErrorForLog('13812345678')).toEqual({ class: 'string' });
    expect(safeErrorForLog(undefined)).toEqual({ class: 'undefined' });
  });
});
