import type { VoiceCallReport, VoiceCallResult } from '@affection/core';

/**
 * Alibaba Cloud's call status codes (`status_code` of `VoiceReport` and `VoiceCallReport`) we know the meaning
 * of; any other ends as `failed`. `300000` is the intermediate report carrying the keys pressed.
 */
const RESULT_OF_STATUS_CODE: Readonly<Record<string, VoiceCallResult>> = {
  '200000': 'answered',
  '200010': 'answered',
  '200100': 'answered',
  '300000': 'answered',
  '200001': 'not-answered',
  '200002': 'not-answered',
  '200003': 'failed',
  '200004': 'not-answered',
  '200005': 'busy',
  '200007': 'busy',
};

/** The `smart_status_code` words, which say the same more plainly when present. */
const RESULT_OF_SMART_CODE: Readonly<Record<string, VoiceCallResult>> = {
  ANSWERED: 'answered',
  NO_ANSWER: 'not-answered',
  NOANSWER: 'not-answered',
  BUSY: 'busy',
  USER_BUSY: 'busy',
};

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null;

/**
 * Reads Alibaba Cloud's voice report push (a JSON array of `VoiceReport` / `VoiceCallReport` items) into our
 * reports; items without a call id or status code are left out. Null when the body is not an array.
 *
 * @example parseAliyunVoiceReports([{ call_id: '1^2', status_code: '300000', out_id: 'vnt_1', dtmf: '1' }])
 */
export function parseAliyunVoiceReports(body: unknown): VoiceCallReport[] | null {
  if (!Array.isArray(body)) return null;
  const reports: VoiceCallReport[] = [];
  for (const item of body) {
    if (!item || typeof item !== 'object') continue;
    const raw = item as Record<string, unknown>;
    const callId = text(raw.call_id);
    const statusCode = text(raw.status_code);
    if (!callId || !statusCode) continue;
    const smart = text(raw.smart_status_code)?.toUpperCase();
    const dtmf = text(raw.dtmf);
    const result: VoiceCallResult =
      dtmf !== null
        ? 'answered'
        : ((smart ? RESULT_OF_SMART_CODE[smart] : undefined) ?? RESULT_OF_STATUS_CODE[statusCode] ?? 'failed');
    reports.push({
      callId,
      notificationId: text(raw.out_id),
      result,
      dtmf: dtmf && /^[0-9*#]{1,32}$/.test(dtmf) ? dtmf : null,
      providerStatus: statusCode,
    });
  }
  return reports;
}
