import type { Db } from '../database.ts';
import { smsReports } from '../schema/index.ts';

/** A delivery report pushed by a provider, as stored. */
export interface SmsReportToStore {
  provider: 'aliyun';
  /** The provider's id of the message (`BizId`). */
  bizId: string;
  status: 'delivered' | 'failed';
  errorCode: string | null;
  /** Our message the report names (its `OutId`), when there is one. */
  messageId: string | null;
  now: Date;
}

/**
 * Stores a delivery report once per (provider, message, status): true when it is new, false for a report already
 * stored (the provider retries and pushes again; a repeat must change nothing).
 *
 * @example if (await storeSmsReportOnce(tx, { provider: 'aliyun', bizId, status: 'delivered', … })) apply(…)
 */
export async function storeSmsReportOnce(db: Db, report: SmsReportToStore): Promise<boolean> {
  const rows = await db
    .insert(smsReports)
    .values({
      provider: report.provider,
      bizId: report.bizId,
      status: report.status,
      errorCode: report.errorCode,
      messageId: report.messageId,
      receivedAt: report.now,
    })
    .onConflictDoNothing()
    .returning({ bizId: smsReports.bizId });
  return rows.length > 0;
}
