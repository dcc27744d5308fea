import { once } from 'node:events';
import { listAuditForSubject } from '@affection/db';
import { QUEUE_NAMES } from '@affection/jobs';
import { type ApiWorld, createApiWorld } from '@affection/test-support';
import { type Job, Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse } from '../../contract.ts';
import { QUEUE_ACTIONS_GRANT_MS } from '../../web/queue-actions-grant.ts';
import { maskNumbers } from '../../web/queue-board.ts';

type Overview = ApiResponse<'GET /api/queues'>;

interface ErrorBody {
  error: { code: string; details?: { reason?: string } };
}

interface BoardQueues {
  queues: {
    name: string;
    readOnlyMode: boolean;
    jobs: { id: string; failedReason?: string; stacktrace: string[] }[];
  }[];
}

const NUMBER = '+8613800138000';

describe('masking numbers in what the board shows', () => {
  it('masks runs of 7 or more digits and leaves shorter ones', () => {
    expect(maskNumbers(`Twilio refused ${NUMBER} (code 21211)`)).toBe('Twilio refused […] (code 21211)');
    expect(maskNumbers('to 138 0013 8000 now')).toBe('to […] now');
    expect(maskNumbers('at run (file.ts:120:17)')).toBe('at run (file.ts:120:17)');
  });
});

describe('job queues: counts, the read-only board and the board with actions', () => {
  let world: ApiWorld;
  let start: Date;
  let queue: Queue;
  let failedJob: Job;

  beforeAll(async () => {
    world = await createApiWorld('pglite');
    start = world.services.now();
    // A job of the SMS queue failing the way a provider's error would, naming the number it could not reach.
    const connection = new Redis(world.redisServer.url, { maxRetriesPerRequest: null });
    queue = new Queue(QUEUE_NAMES.sms, { connection });
    failedJob = await queue.add('send', { v: 1, messageId: 'sms_0000000000000001' }, { jobId: 'sms_0000000000000001' });
    const worker = new Worker(
      QUEUE_NAMES.sms,
      async () => {
        throw new Error(`provider refused ${NUMBER}`);
      },
      { connection },
    );
    await once(worker, 'failed');
    await worker.close();
  });
  afterAll(async () => {
    await queue?.close();
    await world?.close();
  });
  afterEach(() => {
    world.setNow(start);
  });

  async function jobState(): Promise<string> {
    return (await queue.getJob(failedJob.id as string))?.getState() ?? 'missing';
  }

  it('counts the jobs of every worker queue for the admin', async () => {
    const res = await world.request('/api/queues', { as: 'adminA' });
    expect(res.status).toBe(200);
    const overview = (await res.json()) as Overview;
    expect(overview.queues.map((q) => q.name)).toEqual(Object.values(QUEUE_NAMES));
    expect(overview.queues.find((q) => q.name === 'sms')).toMatchObject({ failed: 1, waiting: 0, active: 0 });
    expect(overview).toMatchObject({
      boardPath: '/console/queues/',
      actionsPath: '/console/queue-actions/',
      actionsUntil: null,
    });
  });

  it('refuses the counts, the grant and both boards to teachers (403) and to nobody (401 or the sign-in)', async () => {
    const api: [string, string, unknown?][] = [
      ['GET', '/api/queues'],
      ['POST', '/api/queues/actions-grant', { confirm: true }],
      ['DELETE', '/api/queues/actions-grant'],
      ['GET', '/console/queues/api/queues'],
      ['GET', '/console/queue-actions/api/queues'],
      ['PUT', `/console/queue-actions/api/queues/sms/${failedJob.id}/retry`],
    ];
    for (const [method, path, json] of api) {
      expect((await world.request(path, { method, json })).status, `anonymous ${method} ${path}`).toBe(401);
      for (const who of ['teacherA', 'teacherB', 'kioskA', 'familyA'] as const) {
        expect((await world.request(path, { method, json, as: who })).status, `${who} ${method} ${path}`).toBe(403);
      }
    }
    const page = { accept: 'text/html,application/xhtml+xml' };
    const nobody = await world.request('/console/queues/', { headers: page });
    expect(nobody.status).toBe(302);
    expect(nobody.headers.get('location')).toBe('/console/#/queues');
    const teacher = await world.request('/console/queues/', { as: 'teacherA', headers: page });
    expect(teacher.status).toBe(403);
    expect(await teacher.text()).toContain('只有之家管理员可以查看任务队列');
    expect((await world.request('/console/queues/static/favicon-32x32.png', { as: 'teacherA' })).status).toBe(403);
    expect((await world.request('/console/queues/static/favicon-32x32.png')).status).toBe(401);
    expect(await jobState()).toBe('failed');
  });

  it('serves the read-only board to the admin under its own policy, with numbers masked', async () => {
    const page = await world.request('/console/queues/', { as: 'adminA', headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<base href="/console/queues/"');
    // What the policy would refuse is left out of the page: web fonts from the internet, styled placeholders.
    expect(html).not.toContain('fonts.googleapis.com');
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).toContain('<div id="root">');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("base-uri 'self'");
    expect(policy).toMatch(/style-src 'self' 'sha256-[^']+'/);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('googleapis');
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await world.request(`/console/queues/${script}`, { as: 'adminA' });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toBe('private, max-age=86400');
    expect(page.headers.get('cache-control')).toBe('no-store');

    const api = await world.request('/console/queues/api/queues?activeQueue=sms&status=failed&page=1&jobsPerPage=10', {
      as: 'adminA',
    });
    expect(api.status).toBe(200);
    const text = await api.text();
    const board = JSON.parse(text) as BoardQueues;
    expect(board.queues.map((q) => q.name).sort()).toEqual(Object.values(QUEUE_NAMES).sort());
    expect(board.queues.every((q) => q.readOnlyMode)).toBe(true);
    const sms = board.queues.find((q) => q.name === 'sms');
    expect(sms?.jobs.map((j) => j.id)).toEqual([failedJob.id]);
    expect(sms?.jobs[0]?.failedReason).toBe('provider refused […]');
    expect(text).not.toContain('13800138000');
  });

  it('refuses a retry on the read-only board, and on the board with actions until the admin confirms', async () => {
    const retry = `/api/queues/sms/${failedJob.id}/retry`;
    const readOnly = await world.request(`/console/queues${retry}`, { as: 'adminA', method: 'PUT' });
    expect(readOnly.status).toBe(403);
    expect(((await readOnly.json()) as ErrorBody).error.details?.reason).toBe('read-only');
    const unconfirmed = await world.request(`/console/queue-actions${retry}`, { as: 'adminA', method: 'PUT' });
    expect(unconfirmed.status).toBe(403);
    expect(((await unconfirmed.json()) as ErrorBody).error.details?.reason).toBe('not-confirmed');
    const page = await world.request('/console/queue-actions/', { as: 'adminA', headers: { accept: 'text/html' } });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('请先在控制台的「任务队列」页面确认');
    expect(await jobState()).toBe('failed');

    const noTick = await world.request('/api/queues/actions-grant', { as: 'adminA', json: { confirm: false } });
    expect(noTick.status).toBe(400);
    expect(await jobState()).toBe('failed');
  });

  it('accepts a retry with the grant, audits it, refuses other actions, and stops when the grant runs out', async () => {
    const granted = await world.request('/api/queues/actions-grant', { as: 'adminA', json: { confirm: true } });
    expect(granted.status).toBe(200);
    const { actionsUntil } = (await granted.json()) as { actionsUntil: string };
    expect(new Date(actionsUntil).getTime()).toBe(start.getTime() + QUEUE_ACTIONS_GRANT_MS);
    const overview = (await (await world.request('/api/queues', { as: 'adminA' })).json()) as Overview;
    expect(overview.actionsUntil).toBe(actionsUntil);

    const board = await world.request('/console/queue-actions/api/queues', { as: 'adminA' });
    expect(board.status).toBe(200);
    expect(((await board.json()) as BoardQueues).queues.every((q) => !q.readOnlyMode)).toBe(true);

    // Only the board's own pages may act: a request from another site is refused.
    const crossSite = await world.request(`/console/queue-actions/api/queues/sms/${failedJob.id}/retry`, {
      as: 'adminA',
      method: 'PUT',
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    for (const [method, path] of [
      ['POST', '/api/queues/sms/add'],
      ['PUT', '/api/queues/sms/empty'],
      ['PUT', '/api/queues/sms/pause'],
      ['PATCH', `/api/queues/sms/${failedJob.id}/update-data`],
    ] as const) {
      const res = await world.request(`/console/queue-actions${path}`, { as: 'adminA', method, json: {} });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as ErrorBody).error.details?.reason).toBe('action-not-allowed');
    }
    expect(await jobState()).toBe('failed');

    const retried = await world.request(`/console/queue-actions/api/queues/sms/${failedJob.id}/retry`, {
      as: 'adminA',
      method: 'PUT',
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(retried.status).toBe(204);
    expect(await jobState()).toBe('waiting');

    const actions = await listAuditForSubject(world.database.db, 'queue', 'sms');
    expect(actions.map((e) => [e.action, e.details])).toEqual([
      ['queues.action', { action: 'retry', jobId: failedJob.id }],
    ]);
    const grants = await listAuditForSubject(world.database.db, 'staff', world.a.admin.id);
    const grantEvent = grants.find((e) => e.action === 'queues.actions-grant');
    expect(grantEvent).toBeDefined();
    expect(grantEvent?.details).toBeNull();

    world.setNow(new Date(start.getTime() + QUEUE_ACTIONS_GRANT_MS + 1_000));
    const late = await world.request(`/console/queue-actions/api/queues/sms/${failedJob.id}/promote`, {
      as: 'adminA',
      method: 'PUT',
    });
    expect(late.status).toBe(403);
    expect(((await late.json()) as ErrorBody).error.details?.reason).toBe('not-confirmed');
  });

  it('ends the grant on request', async () => {
    await world.request('/api/queues/actions-grant', { as: 'adminA', json: { confirm: true } });
    const ended = await world.request('/api/queues/actions-grant', { as: 'adminA', method: 'DELETE' });
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ actionsUntil: null });
    const res = await world.request('/console/queue-actions/api/queues', { as: 'adminA' });
    expect(res.status).toBe(403);
  });
});
