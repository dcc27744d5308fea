import { randomBytes } from 'node:crypto';
import type { FakeAliyunAnswer, FakeAliyunHandler, FakeAliyunRequest } from './fake-aliyun.ts';

/** A notification call the fake voice API accepted. */
export interface FakeAliyunVoiceCall {
  callId: string;
  /** As sent in `CalledNumber` (mainland numbers without `+86`). */
  calledNumber: string;
  showNumber: string;
  ttsCode: string;
  /** `TtsParam`, parsed. */
  params: Record<string, string>;
  outId: string | null;
  /** What the callee hears: the template with its variables. */
  spoken: string;
  placedAt: Date;
}

/** A failure to inject for the next SingleCallByTts calls. */
export type FakeAliyunVoiceFault =
  /** 200 with `isv.BUSINESS_LIMIT_CONTROL`: nothing placed. */
  | 'throttled'
  /** HTTP 503 `ServiceUnavailable`: nothing placed. */
  | 'server-error';

/** One call report as Alibaba Cloud pushes it (`VoiceReport`; a batch is a JSON array of these). */
export interface AliyunVoiceReport {
  call_id: string;
  status_code: string;
  status_msg: string;
  out_id: string;
  dtmf?: string;
  callee: string;
  caller: string;
  start_time: string;
  end_time: string;
  duration: string;
  hangup_direction: string;
}

/** Options for {@link createFakeAliyunVoice}. */
export interface FakeAliyunVoiceOptions {
  /** Approved TTS templates: code → text with `${name}` variables. A code not here is refused. */
  templates: Record<string, string>;
  /** Numbers bought in the voice console (`CalledShowNumber`). */
  showNumbers: readonly string[];
  /**
   * The provider's per-number limits: calls to one number at most 1 a minute, 5 an hour, 20 a day, then
   * `isv.BUSINESS_LIMIT_CONTROL`. Default on.
   */
  enforceCaps?: boolean;
  /** The fake's clock for its limits and call times. Default the time each request arrives. */
  now?: () => Date;
}

/** The voice product of the fake: its handlers and state. */
export interface FakeAliyunVoice {
  /** Plug into `startFakeAliyun({ handlers })`. */
  handlers: Record<string, FakeAliyunHandler>;
  /** Accepted calls in order. */
  calls: FakeAliyunVoiceCall[];
  /** Every SingleCallByTts request (signed), accepted or not. */
  requests: FakeAliyunRequest[];
  /** Calls refused for a per-number limit. */
  refusedForCaps: number;
  /** The next `count` calls fail this way. */
  failNext(count: number, fault: FakeAliyunVoiceFault): void;
  /** The report of an accepted call: answered (with the keys pressed), not answered or busy. */
  report(
    callId: string,
    outcome: { answered: true; dtmf?: string } | { answered: false; busy?: boolean },
  ): AliyunVoiceReport;
}

const MINUTE = 60_000;
const LIMITS = [
  { windowMs: MINUTE, limit: 1 },
  { windowMs: 60 * MINUTE, limit: 5 },
  { windowMs: 24 * 60 * MINUTE, limit: 20 },
];

const refuse = (code: string, message: string): FakeAliyunAnswer => ({
  status: 200,
  body: { Code: code, Message: message },
});

function chinaStamp(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}`;
}

/**
 * A fake of the voice API's `SingleCallByTts` (Dyvmsapi 2017-05-25) answering like the provider: an unknown TTS
 * template (`isv.TTS_TEMPLATE_ILLEGAL`) or show number (`isv.DISPLAY_NUMBER_ILLEGAL`) refused, missing variables
 * refused (`isv.TTS_PARAMS_ILLEGAL`), the per-number limits (`isv.BUSINESS_LIMIT_CONTROL`), and injected faults.
 * `report` builds the `VoiceReport` the provider would push afterwards.
 */
export function createFakeAliyunVoice(options: FakeAliyunVoiceOptions): FakeAliyunVoice {
  const calls: FakeAliyunVoiceCall[] = [];
  const requests: FakeAliyunRequest[] = [];
  const faults: FakeAliyunVoiceFault[] = [];
  const state = { refusedForCaps: 0 };
  const enforceCaps = options.enforceCaps ?? true;

  const singleCallByTts: FakeAliyunHandler = (request) => {
    requests.push(request);
    const fault = faults.shift();
    if (fault === 'throttled') return refuse('isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控Permits:20');
    if (fault === 'server-error') {
      return {
        status: 503,
        body: {
          Code: 'ServiceUnavailable',
          Message: 'The request has failed due to a temporary failure of the server.',
        },
      };
    }
    const { CalledNumber: calledNumber, CalledShowNumber: showNumber, TtsCode: ttsCode } = request.params;
    if (!calledNumber || !/^1\d{10}$/.test(calledNumber)) return refuse('isv.MOBILE_NUMBER_ILLEGAL', '号码格式非法');
    if (!showNumber || !options.showNumbers.includes(showNumber)) {
      return refuse('isv.DISPLAY_NUMBER_ILLEGAL', '被叫显号不可用');
    }
    const template = ttsCode ? options.templates[ttsCode] : undefined;
    if (!template) return refuse('isv.TTS_TEMPLATE_ILLEGAL', 'TTS模板不存在或未审核通过');
    let params: Record<string, string>;
    try {
      params = JSON.parse(request.params.TtsParam ?? '{}') as Record<string, string>;
    } catch {
      return refuse('isv.TTS_PARAMS_ILLEGAL', '模板变量格式错误');
    }
    const names = [...template.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1] as string);
    if (names.some((name) => typeof params[name] !== 'string' || params[name] === '')) {
      return refuse('isv.TTS_PARAMS_ILLEGAL', '模板变量缺少对应参数值');
    }
    const now = options.now?.() ?? new Date(request.receivedAt);
    if (enforceCaps) {
      const earlier = calls.filter((c) => c.calledNumber === calledNumber).map((c) => c.placedAt.getTime());
      const over = LIMITS.some((w) => earlier.filter((t) => t > now.getTime() - w.windowMs).length >= w.limit);
      if (over) {
        state.refusedForCaps += 1;
        return refuse('isv.BUSINESS_LIMIT_CONTROL', '触发号码分钟级流控Permits:1');
      }
    }
    const callId = `${randomBytes(6).readUIntBE(0, 6)}^${randomBytes(5).readUIntBE(0, 5)}`;
    calls.push({
      callId,
      calledNumber,
      showNumber,
      ttsCode: ttsCode as string,
      params,
      outId: request.params.OutId ?? null,
      spoken: template.replace(/\$\{(\w+)\}/g, (_, name: string) => params[name] ?? ''),
      placedAt: now,
    });
    return { status: 200, body: { Code: 'OK', Message: 'OK', CallId: callId } };
  };

  return {
    handlers: { SingleCallByTts: singleCallByTts },
    calls,
    requests,
    get refusedForCaps() {
      return state.refusedForCaps;
    },
    failNext(count, fault) {
      for (let i = 0; i < count; i += 1) faults.push(fault);
    },
    report(callId, outcome) {
      const call = calls.find((c) => c.callId === callId);
      if (!call) throw new Error(`fake voice: no call ${callId}`);
      const end = new Date(call.placedAt.getTime() + 30_000);
      const answered = outcome.answered;
      return {
        call_id: callId,
        status_code: answered ? '200000' : outcome.busy ? '200005' : '200002',
        status_msg: answered ? '用户听音挂断' : outcome.busy ? '用户忙' : '用户未接听',
        out_id: call.outId ?? '',
        ...(answered && outcome.dtmf ? { dtmf: outcome.dtmf } : {}),
        callee: call.calledNumber,
        caller: call.showNumber,
        start_time: answered ? chinaStamp(new Date(call.placedAt.getTime() + 5_000)) : '',
        end_time: answered ? chinaStamp(end) : '',
        duration: answered ? '25' : '0',
        hangup_direction: '用户',
      };
    },
  };
}
