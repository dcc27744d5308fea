/** One delivery report of Alibaba Cloud SMS's batch push, in our words. */
export interface AliyunSmsReport {
  /** The provider's id of the message. */
  bizId: string;
  /** Our message id (the send's `OutId`), or null when the send gave none. */
  outId: string | null;
  status: 'delivered' | 'failed';
  /** The provider's code (`DELIVERED` or why it failed, e.g. `MK:0001`). */
  errorCode: string;
  /** The provider's text of the code. */
  errorMessage: string;
}

/**
 * Parses a batch push (`SmsReport`: a JSON array of `{ biz_id, out_id, success, err_code, err_msg, phone_number,
 * … }`). Returns null when the body is not such an array; entries without a `biz_id` are skipped. The phone number
 * is not kept.
 */
export function parseAliyunSmsReports(body: unknown): AliyunSmsReport[] | null {
  if (!Array.isArray(body)) return null;
  const reports: AliyunSmsReport[] = [];
  for (const entry of body) {
    if (typeof entry !== 'object' || entry === null) return null;
    const e = entry as Record<string, unknown>;
    if (typeof e.biz_id !== 'string' || e.biz_id.length === 0 || e.biz_id.length > 100) continue;
    const success = e.success === true || e.success === 'true';
    reports.push({
      bizId: e.biz_id,
      outId: typeof e.out_id === 'string' && e.out_id.length > 0 ? e.out_id : null,
      status: success ? 'delivered' : 'failed',
      errorCode: typeof e.err_code === 'string' ? e.err_code.slice(0, 64) : '',
      errorMessage: typeof e.err_msg === 'string' ? e.err_msg.slice(0, 200) : '',
    });
  }
  return reports;
}
