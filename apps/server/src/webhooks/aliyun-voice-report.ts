import { applyVoiceReport, storeWebhookEventOnce } from '@affection/db';
import { parseAliyunVoiceReports } from '@affection/telephony';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { errorResponses } from '../routes/common-schemas.ts';
import { addRoute } from '../routes/define-route.ts';
import type { AppEnv } from '../services.ts';
import { ALIYUN_REPORT_ACCEPTED, readAliyunReports } from './verify-aliyun-report.ts';

/** Where Alibaba Cloud pushes voice call reports: PUBLIC_URL + this + `/<ALIYUN_VOICE_REPORT_TOKEN>`. */
export const ALIYUN_VOICE_REPORT_PATH = '/webhooks/aliyun/voice-report';

const ReportRoute = createRoute({
  method: 'post',
  path: `${ALIYUN_VOICE_REPORT_PATH}/{token}`,
  tags: ['webhooks'],
  summary: 'Alibaba Cloud voice call reports',
  description:
    "Alibaba Cloud's HTTP batch push of voice call reports (`VoiceReport`, `VoiceCallReport`: a JSON array), which " +
    'is not signed: the secret token in the path (`ALIYUN_VOICE_REPORT_TOKEN`) and the allow-list of the ' +
    "provider's addresses (`ALIYUN_REPORT_ALLOWED_IPS`) are checked first. Each report is stored once (call id, " +
    'status and keys) and applied forward only; a key 1 shows "coming now" on the board. 404 when the voice ' +
    'service is not configured, 403 for a wrong token or address.',
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
 * `POST /webhooks/aliyun/voice-report/{token}` (webhook): the voice report push. Token and address are checked
 * before the body is read; each report is stored once in `webhook_events` (source `aliyun-voice-report`, by call
 * id, status code and keys) and applied to its `voice_notifications` row never backwards; a change is published on
 * the Home's change feed so open boards refresh.
 */
export function registerPostAliyunVoiceReport(app: OpenAPIHono<AppEnv>): void {
  addRoute(app, 'webhook', ReportRoute, async (c) => {
    const services = c.get('services');
    const reports = await readAliyunReports(
      c,
      services.settings.aliyunVoiceReport,
      'Voice call reports',
      'voice reports',
      parseAliyunVoiceReports,
    );
    const now = services.now();
    const changed = new Map<string, string>();
    for (const report of reports) {
      const applied = await services.database.db.transaction(async (tx) => {
        const stored = await storeWebhookEventOnce(tx, {
          source: 'aliyun-voice-report',
          eventId: `${report.callId}:${report.providerStatus}:${report.dtmf ?? ''}`,
          eventType: report.providerStatus,
          subject: report.notificationId ?? report.callId,
          payload: { callId: report.callId, result: report.result, dtmf: report.dtmf },
          now,
        });
        if (!stored.isNew) return null;
        return applyVoiceReport(tx, {
          notificationId: report.notificationId,
          providerCallId: report.callId,
          result: report.result,
          dtmf: report.dtmf,
          now,
        });
      });
      if (applied) changed.set(applied.bookingId, applied.homeId);
    }
    for (const [bookingId, homeId] of changed) {
      await services.homeChanges?.publish(homeId, { kind: 'booking', bookingId });
    }
    c.get('log').info({ reports: reports.length, changed: changed.size }, 'aliyun voice report');
    return c.json(ALIYUN_REPORT_ACCEPTED, 200);
  });
}
