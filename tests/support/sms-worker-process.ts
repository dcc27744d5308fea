/**
 * A worker process for fault tests and benchmarks: runs `startWorkers` against the Redis, the
 * PostgreSQL database and the (fake) Twilio or Alibaba Cloud API named by its one argument, a JSON
 * {@link SmsWorkerProcessConfig}. Prints `sms worker ready` when it takes jobs; on SIGTERM it
 * drains (active sends finish), prints `sms worker cpu {userMs, systemMs}` and exits 0. Started by `spawnSmsWorker` in `sms-pipeline.ts`.
 */
import type { SendCapTable } from '@affection/core';
import { openDatabase } from '@affection/db';
import { type SmsWorkerOptions, startWorkers } from '@affection/jobs';
import { createLogger } from '@affection/runtime';
import { AliyunSmsSender, type AliyunSmsSenderOptions, TwilioSmsSender } from '@affection/telephony';

/** What the worker process runs against. */
export interface SmsWorkerProcessConfig {
  workerId: string;
  redisUrl: string;
  databaseUrl: string;
  twilio: { accountSid: string; authToken: string; from: string; apiBaseUrl: string; timeoutMs: number };
  sms: SmsWorkerOptions;
  /** Send through Alibaba Cloud SMS (SMS_PROVIDER=aliyun) instead of `twilio`. Default Twilio. */
  aliyun?: AliyunSmsSenderOptions;
  /** The provider's per-number limits, applied to every number (`sms.sendCapsFor`). Default none. */
  sendCaps?: SendCapTable;
  /** Database pool size. Default 20. */
  maxConnections?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as SmsWorkerProcessConfig;
// The workers' own logger (redaction and phone masking included), as in the worker process of a deployment.
const logger = createLogger({ service: 'affection-worker' });
const database = await openDatabase({
  kind: 'postgres',
  url: config.databaseUrl,
  maxConnections: config.maxConnections ?? 20,
});
const workers = await startWorkers({
  redisUrl: config.redisUrl,
  workerId: config.workerId,
  logger,
  db: database.db,
  smsSender: config.aliyun ? new AliyunSmsSender(config.aliyun) : new TwilioSmsSender(config.twilio),
  smsProvider: config.aliyun ? 'aliyun' : 'twilio',
  sms: { ...config.sms, ...(config.sendCaps ? { sendCapsFor: () => config.sendCaps ?? null } : {}) },
});
process.stdout.write('sms worker ready\n');
process.once('SIGTERM', () => {
  workers
    .close()
    .then(() => database.close())
    .then(
      () => {
        const cpu = process.cpuUsage();
        process.stdout.write(
          `sms worker cpu ${JSON.stringify({ userMs: cpu.user / 1000, systemMs: cpu.system / 1000 })}\n`,
        );
        process.exit(0);
      },
      () => process.exit(1),
    );
});
