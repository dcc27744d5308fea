import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../services.ts';
import { registerPostAliyunSmsReport } from './aliyun-sms-report.ts';
import { registerPostAliyunVoiceReport } from './aliyun-voice-report.ts';
import { registerPostLivekitWebhook } from './post-livekit-webhook.ts';
import { registerPostTwilioSms } from './post-twilio-sms.ts';
import { registerPostTwilioStatus } from './post-twilio-status.ts';
import { registerPostTwilioVoice } from './post-twilio-voice.ts';

/**
 * Every provider webhook (policy `webhook`): each verifies the provider's signature before it reads
 * anything, and stores each event once, so a retry or a replay changes nothing.
 */
export function registerWebhooks(app: OpenAPIHono<AppEnv>): void {
  registerPostLivekitWebhook(app);
  registerPostTwilioStatus(app);
  registerPostTwilioSms(app);
  registerPostTwilioVoice(app);
  registerPostAliyunVoiceReport(app);
  registerPostAliyunSmsReport(app);
}
