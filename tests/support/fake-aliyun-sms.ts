import { randomBytes } from 'node:crypto';
import type { FakeAliyunAnswer, FakeAliyunHandler, FakeAliyunRequest } from './fake-aliyun.ts';

/** A message the fake SMS API accepted. */
export interface FakeAliyunSmsMessage {
  bizId: string;
  /** As sent in `PhoneNumbers` (mainland numbers without `+86`). */
  phone: string;
  signName: string;
  templateCode: string;
  /** `TemplateParam`, parsed. */
  params: Record<string, string>;
  outId: string | null;
  /** The text as the phone shows it: 【signature】 and the template with its variables. */
  content: string;
  /** `yyyyMMdd` in China time, as `QuerySendDetails` wants it. */
  sendDate: string;
  sentAt: Date;
  /** 1 waiting for the receipt, 2 failed, 3 delivered (QuerySendDetails' `SendStatus`). */
  sendStatus: 1 | 2 | 3;
  errCode: string;
}

/** A failure to inject for the next SendSms calls. */
export type FakeAliyunSmsFault =
  /** 200 with `isv.BUSINESS_LIMIT_CONTROL`: nothing sent. */
  | 'throttled'
  /** HTTP 503 `ServiceUnavailable`: nothing sent. */
  | 'server-error'
  /** The message is accepted, and the answer comes only after `acceptedTimeoutMs` (longer than the client waits). */
  | 'timeout-after-accept';

/** One delivery report as Alibaba Cloud pushes it (a batch is a JSON array of these). */
export interface AliyunSmsReport {
  phone_number: string;
  send_time: string;
  report_time: string;
  success: boolean;
  err_code: string;
  err_msg: string;
  sms_size: string;
  biz_id: string;
  out_id: string;
}

/** Options for {@link createFakeAliyunSms}. */
export interface FakeAliyunSmsOptions {
  /** Approved templates: code → text with `${name}` variables. A code not here is refused as not approved. */
  templates: Record<string, string>;
  /** Approved signatures. */
  signNames: readonly string[];
  /** Sends per signature + template + number per China day before `isv.BUSINESS_LIMIT_CONTROL`. Default 50. */
  dailyLimitPerNumber?: number;
  /** How late a `timeout-after-accept` answer comes. Default 30 s. */
  acceptedTimeoutMs?: number;
}

/** The SMS product of the fake: its handlers and state. */
export interface FakeAliyunSms {
  /** Plug into `startFakeAliyun({ handlers })`. */
  handlers: Record<string, FakeAliyunHandler>;
  /** Accepted messages by BizId. */
  messages: Map<string, FakeAliyunSmsMessage>;
  /** Every SendSms request (signed), accepted or not. */
  sendRequests: FakeAliyunRequest[];
  /** The next `count` SendSms calls fail this way. */
  failNext(count: number, fault: FakeAliyunSmsFault): void;
  /** Marks a message delivered (or failed with `errCode`) and gives its report. */
  settle(bizId: string, outcome?: { errCode: string }): AliyunSmsReport;
  /** Accepted messages per OutId (a message sent twice shows 2). */
  acceptedPerOutId(): Map<string, number>;
}

function chinaDate(at: Date): { day: string; stamp: string } {
  const shifted = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return {
    day: shifted.slice(0, 10).replaceAll('-', ''),
    stamp: `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`,
  };
}

const ok = (body: Record<string, unknown>): FakeAliyunAnswer => ({
  status: 200,
  body: { Code: 'OK', Message: 'OK', ...body },
});
const refuse = (code: string, message: string): FakeAliyunAnswer => ({
  status: 200,
  body: { Code: code, Message: message },
});

/**
 * A fake of the SMS API (`SendSms`, `QuerySendDetails`, version 2017-05-25) answering like the provider: unknown
 * templates and signatures refused (`isv.SMS_TEMPLATE_ILLEGAL`, `isv.SMS_SIGNATURE_ILLEGAL`), missing or extra
 * variables refused (`isv.TEMPLATE_MISSING_PARAMETERS`, `isv.TEMPLATE_PARAMS_ILLEGAL`), a per-number daily cap
 * (`isv.BUSINESS_LIMIT_CONTROL`), and injected faults.
 */
export function createFakeAliyunSms(options: FakeAliyunSmsOptions): FakeAliyunSms {
  const messages = new Map<string, FakeAliyunSmsMessage>();
  const sendRequests: FakeAliyunRequest[] = [];
  const faults: FakeAliyunSmsFault[] = [];
  const dailyLimit = options.dailyLimitPerNumber ?? 50;
  const acceptedTimeoutMs = options.acceptedTimeoutMs ?? 30_000;

  const accept = (request: FakeAliyunRequest): FakeAliyunAnswer => {
    const { PhoneNumbers: phone = '', SignName: signName = '', TemplateCode: templateCode = '' } = request.params;
    if (!/^1\d{10}$/.test(phone)) return refuse('isv.MOBILE_NUMBER_ILLEGAL', '非法手机号');
    if (!options.signNames.includes(signName)) return refuse('isv.SMS_SIGNATURE_ILLEGAL', '该账号下找不到对应签名');
    const text = options.templates[templateCode];
    if (text === undefined) return refuse('isv.SMS_TEMPLATE_ILLEGAL', '该账号下找不到对应模板');
    let params: Record<string, string>;
    try {
      params = JSON.parse(request.params.TemplateParam ?? '{}') as Record<string, string>;
    } catch {
      return refuse('isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值');
    }
    const names = [...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string);
    if (names.some((name) => typeof params[name] !== 'string'))
      return refuse('isv.TEMPLATE_MISSING_PARAMETERS', '模板缺少变量');
    if (Object.keys(params).some((name) => !names.includes(name)))
      return refuse('isv.TEMPLATE_PARAMS_ILLEGAL', '模板变量里包含非法关键字');
    const now = new Date();
    const { day } = chinaDate(now);
    const sameToday = [...messages.values()].filter(
      (m) => m.phone === phone && m.signName === signName && m.templateCode === templateCode && m.sendDate === day,
    ).length;
    if (sameToday >= dailyLimit) return refuse('isv.BUSINESS_LIMIT_CONTROL', '触发天级流控Permits:50');
    const bizId = `${Date.now()}${randomBytes(6).toString('hex')}^0`;
    messages.set(bizId, {
      bizId,
      phone,
      signName,
      templateCode,
      params,
      outId: request.params.OutId ?? null,
      content: `【${signName}】${text.replace(/\$\{(\w+)\}/g, (_, name: string) => params[name] ?? '')}`,
      sendDate: day,
      sentAt: now,
      sendStatus: 1,
      errCode: '',
    });
    return ok({ BizId: bizId });
  };

  const sendSms: FakeAliyunHandler = (request) => {
    sendRequests.push(request);
    const fault = faults.shift();
    if (fault === 'throttled') return refuse('isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1');
    if (fault === 'server-error')
      return {
        status: 503,
        body: {
          Code: 'ServiceUnavailable',
          Message: 'The request has failed due to a temporary failure of the server.',
        },
      };
    const answer = accept(request);
    if (fault === 'timeout-after-accept') return { ...answer, delayMs: acceptedTimeoutMs };
    return answer;
  };

  const querySendDetails: FakeAliyunHandler = (request) => {
    const { PhoneNumber: phone, SendDate: sendDate, BizId: bizId } = request.params;
    if (!phone || !sendDate || !/^\d{8}$/.test(sendDate)) return refuse('isv.INVALID_PARAMETERS', '参数异常');
    const found = [...messages.values()].filter(
      (m) => m.phone === phone && m.sendDate === sendDate && (!bizId || m.bizId === bizId),
    );
    return ok({
      TotalCount: String(found.length),
      SmsSendDetailDTOs: {
        SmsSendDetailDTO: found.map((m) => ({
          PhoneNum: m.phone,
          SendStatus: m.sendStatus,
          ErrCode: m.errCode,
          TemplateCode: m.templateCode,
          Content: m.content,
          SendDate: chinaDate(m.sentAt).stamp,
          ReceiveDate: m.sendStatus === 1 ? '' : chinaDate(new Date()).stamp,
          OutId: m.outId ?? '',
        })),
      },
    });
  };

  return {
    handlers: { SendSms: sendSms, QuerySendDetails: querySendDetails },
    messages,
    sendRequests,
    failNext(count, fault) {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    settle(bizId, outcome) {
      const message = messages.get(bizId);
      if (!message) throw new Error(`no message ${bizId}`);
      message.sendStatus = outcome ? 2 : 3;
      message.errCode = outcome?.errCode ?? 'DELIVERED';
      return {
        phone_number: message.phone,
        send_time: chinaDate(message.sentAt).stamp,
        report_time: chinaDate(new Date()).stamp,
        success: !outcome,
        err_code: message.errCode,
        err_msg: outcome ? '失败' : '用户接收成功',
        sms_size: '1',
        biz_id: message.bizId,
        out_id: message.outId ?? '',
      };
    },
    acceptedPerOutId() {
      const counts = new Map<string, number>();
      for (const m of messages.values()) if (m.outId) counts.set(m.outId, (counts.get(m.outId) ?? 0) + 1);
      return counts;
    },
  };
}
