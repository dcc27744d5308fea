import { applySmsStatusUpdate, findSmsByProviderId, getSmsMessage, storeSmsReportOnce } from '@affection/db';
import { parseAliyunSmsReports } from '@affection/telephony';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { errorResponses } from '../routes/common-schemas.ts';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { ALIYUN_REPORT_ACCEPTED, readAliyunReports } from './verify-aliyun-report.ts';

/** Where Alibaba Cloud pushes SMS delivery reports: PUBLIC_URL + this + `/<ALIYUN_SMS_REPORT_TOKEN>`. */
export const ALIYUN_SMS_REPORT_PATH = '/webhooks/aliyun/sms-report';

const ReportRoute = createRoute({
  method: 'post',
  path: `${ALIYUN_SMS_REPORT_PATH}/{token}`,
  tags: ['webhooks'],
  summary: 'Alibaba Cloud SMS delivery reports',
  description:
    "Alibaba Cloud's HTTP batch push of SMS delivery reports (`SmsReport`: a JSON array), which is not signed: the " +
    "secret token in the path (`ALIYUN_SMS_REPORT_TOKEN`) and the allow-list of the provider's addresses " +
    '(`ALIYUN_REPORT_ALLOWED_IPS`) are checked first. Each report is stored once (by biz id and status) and applied ' +
    'to its message (found by `out_id`, our message id) never backwards. 404 when Alibaba Cloud SMS is not ' +
    'configured, 403 for a wrong token or address.',
  request: { params: z.object({ token: z.string() }) },
  responses: {
    200: {
      description: 'Taken (`{"code":0,"msg":"成功"}`), duplicates included',
      content: { 'application/json': { schema: z.object({ code: z.number(), msg: z.string() }) } },
    },
    ...errorResponses(400, 403, 404),
  },
});

/**
 * `POST /webhooks/aliyun/sms-report/{token}` (webhook): the SMS delivery report push. Token and address are checked
 * before the body is read; each report is stored once in `sms_reports` (biz id + status) and, when new, applied to
 * its message with the never-backwards status rule (`applySmsStatusUpdate`): a repeat, a retry or a report out of
 * order changes nothing.
 */
export function registerPostAliyunSmsReport(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', ReportRoute, async (c) => {
    const services = c.get('services');
    const reports = await readAliyunReports(
      c,
      services.settings.aliyunSmsReport,
      'Alibaba Cloud SMS reports',
      'SMS reports',
      parseAliyunSmsReports,
    );
    const now = services.now();
    const outcomes: Record<string, number> = {};
    for (const report of reports) {
      const outcome = await services.database.db.transaction(async (tx) => {
        const message =
          (report.outId ? await getSmsMessage(tx, report.outId) : null) ??
          (await findSmsByProviderId(tx, report.bizId));
        const mine = message?.direction === 'out' ? message : null;
        const isNew = await storeSmsReportOnce(tx, {
          provider: 'aliyun',
          bizId: report.bizId,
          status: report.status,
          errorCode: report.errorCode || null,
          messageId: mine?.id ?? null,
          now,
        });
        if (!isNew) return 'duplicate';
        if (!mine) return 'not-found';
        const applied = await applySmsStatusUpdate(tx, {
          // A message found by a lookup after a timeout is known by its OutId, not the BizId.
          providerId: mine.providerId ?? report.bizId,
          provider: 'aliyun',
          state: report.status === 'delivered' ? 'delivered' : 'undelivered',
          messageId: mine.id,
          errorCode: report.status === 'failed' ? report.errorCode : null,
          errorMessage: report.status === 'failed' ? `Not delivered (${report.errorCode})` : null,
          now,
        });
        return applied.outcome;
      });
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    c.get('log').info({ reports: reports.length, outcomes }, 'aliyun sms report');
    return c.json(ALIYUN_REPORT_ACCEPTED, 200);
  });
}
