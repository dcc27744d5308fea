import type {
  PlaceVoiceNotificationRequest,
  PlaceVoiceNotificationResult,
  VoiceFailure,
  VoiceNotificationPurpose,
  VoiceNotifier,
} from '@affection/core';

/** The generic client's module, as the bundler or Node's CommonJS interop hands it over. */
type OpenApiCore = typeof import('@alicloud/openapi-core');

/** The generic client and the classes a request is built from, loaded on the first call. */
interface LoadedClient {
  client: InstanceType<OpenApiCore['default']>;
  util: OpenApiCore['$OpenApiUtil'];
  query: OpenApiCore['OpenApiUtil']['query'];
  RuntimeOptions: typeof import('@darabonba/typescript').RuntimeOptions;
}

/** The voice service's public endpoint (mainland). */
export const ALIYUN_VOICE_ENDPOINT = 'dyvmsapi.aliyuncs.com';

/** What {@link AliyunVoiceNotifier} needs. */
export interface AliyunVoiceNotifierOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** The number parents see calling (`CalledShowNumber`): a number bought in the voice console. */
  showNumber: string;
  /** The approved TTS template (`TTS_…`) of each purpose. */
  templates: Readonly<Record<VoiceNotificationPurpose, string>>;
  /** Default {@link ALIYUN_VOICE_ENDPOINT}; tests point it at a local fake (`127.0.0.1:port`). */
  endpoint?: string;
  /** `https` (default) or `http` (a local fake). */
  protocol?: 'https' | 'http';
  /** Default `cn-hangzhou`. */
  regionId?: string;
  /** How long to wait for the answer, in ms. Default 5000. */
  timeoutMs?: number;
  /** How many times the template is played (1–3). Default 2. */
  playTimes?: number;
}

/** Codes Alibaba Cloud answers when a per-number or account limit is reached: try later, nothing was placed. */
const THROTTLED_CODES = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'Throttling', 'Throttling.User', 'Throttling.Api']);

/** Numbers the service refuses: placing it again never works. */
const BAD_NUMBER_CODES = new Set(['isv.MOBILE_NUMBER_ILLEGAL', 'isv.InvalidCalledNumber', 'isv.CALLEE_NUMBER_INVALID']);

/** Node's network error codes for a request that surely never reached the service. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** An Alibaba Cloud error code (from the answer's body or a thrown error) as our failure. */
export function voiceFailureFromAliyunCode(code: string, message: string, statusCode?: number): VoiceFailure {
  const base = { message: `${code}: ${message}`.slice(0, 300), providerCode: code };
  if (THROTTLED_CODES.has(code) || code.startsWith('Throttling')) {
    return { ...base, kind: 'retryable', reason: 'rate-limited', isAmbiguous: false };
  }
  if (BAD_NUMBER_CODES.has(code)) return { ...base, kind: 'permanent', reason: 'invalid-number', isAmbiguous: false };
  if (/TTS|TEMPLATE|PARAM/i.test(code)) {
    return { ...base, kind: 'permanent', reason: 'template-error', isAmbiguous: false };
  }
  if (statusCode !== undefined && statusCode >= 500) {
    return { ...base, kind: 'retryable', reason: 'provider-error', isAmbiguous: true };
  }
  return { ...base, kind: 'permanent', reason: 'provider-error', isAmbiguous: false };
}

/** A thrown error of the SDK (refused answer, network, timeout) as our failure. */
function voiceFailureFromError(error: unknown): VoiceFailure {
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (statusCode !== undefined) return voiceFailureFromAliyunCode(code || `HTTP${statusCode}`, message, statusCode);
  if (NOT_SENT_CODES.has(code) || /ECONNREFUSED/.test(message)) {
    return { kind: 'retryable', reason: 'provider-error', message: `not reached: ${code}`, isAmbiguous: false };
  }
  // A timeout or a dropped connection: the service may have placed the call.
  return {
    kind: 'retryable',
    reason: /timeout/i.test(`${code} ${message} ${String(e.name)}`) ? 'timeout' : 'unknown',
    message: `no answer: ${(code || message).slice(0, 200)}`,
    isAmbiguous: true,
  };
}

/** `+8613800138000` → `13800138000`: the voice service takes mainland numbers without the country code. */
export function aliyunCalledNumberOf(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

/**
 * Places text-to-speech notification calls through Alibaba Cloud's voice service (`SingleCallByTts`, Dyvmsapi
 * 2017-05-25), called through the generic Alibaba Cloud client (the voice service has no SDK of its own), signed
 * like every Alibaba Cloud RPC request (ACS3-HMAC-SHA256). `OutId` is our notification id, so a report finds the
 * row. Expected failures are values: throttling (`isv.BUSINESS_LIMIT_CONTROL`) retryable; template or number
 * errors permanent; a timeout or a 5xx ambiguous (the call may be ringing already: wait for the report, do not
 * place it again).
 *
 * @example
 * const voice = new AliyunVoiceNotifier({ accessKeyId, accessKeySecret, showNumber, templates: { 'parent-awaited': 'TTS_1' } });
 */
export class AliyunVoiceNotifier implements VoiceNotifier {
  readonly provider = 'aliyun' as const;
  readonly #options: AliyunVoiceNotifierOptions;
  #loaded: Promise<LoadedClient> | undefined;

  constructor(options: AliyunVoiceNotifierOptions) {
    if (!options.accessKeyId || !options.accessKeySecret) {
      throw new Error('AliyunVoiceNotifier: an AccessKey id and secret are required');
    }
    if (!options.showNumber) throw new Error('AliyunVoiceNotifier: the number shown to parents is required');
    this.#options = options;
  }

  /**
   * The client, made on first use: a process that never places a voice call never loads the SDK (memory). Both
   * packages are CommonJS: under Node's interop the module's `default` is `module.exports`, under a bundler's the
   * class itself.
   */
  async #load(): Promise<LoadedClient> {
    const [coreModule, daraModule] = await Promise.all([
      import('@alicloud/openapi-core'),
      import('@darabonba/typescript'),
    ]);
    const core = (typeof coreModule.default === 'function' ? coreModule : coreModule.default) as OpenApiCore;
    const dara = (
      typeof daraModule.RuntimeOptions === 'function' ? daraModule : (daraModule as { default: unknown }).default
    ) as typeof import('@darabonba/typescript');
    const client = new core.default(
      new core.$OpenApiUtil.Config({
        accessKeyId: this.#options.accessKeyId,
        accessKeySecret: this.#options.accessKeySecret,
        endpoint: this.#options.endpoint ?? ALIYUN_VOICE_ENDPOINT,
        protocol: this.#options.protocol ?? 'https',
        regionId: this.#options.regionId ?? 'cn-hangzhou',
      }),
    );
    return { client, util: core.$OpenApiUtil, query: core.OpenApiUtil.query, RuntimeOptions: dara.RuntimeOptions };
  }

  #client(): Promise<LoadedClient> {
    this.#loaded ??= this.#load().catch((error: unknown) => {
      this.#loaded = undefined;
      throw error;
    });
    return this.#loaded;
  }

  /** Mainland numbers (`+86`) only: the account's notifications are for the Chinese mainland. */
  canCall(to: string): boolean {
    return /^\+861\d{10}$/.test(to);
  }

  async place(request: PlaceVoiceNotificationRequest): Promise<PlaceVoiceNotificationResult> {
    const ttsCode = this.#options.templates[request.purpose];
    if (!ttsCode) {
      return {
        ok: false,
        failure: {
          kind: 'permanent',
          reason: 'template-error',
          message: `no approved TTS template for ${request.purpose}`,
          isAmbiguous: false,
        },
      };
    }
    const query = {
      CalledShowNumber: this.#options.showNumber,
      CalledNumber: aliyunCalledNumberOf(request.to),
      TtsCode: ttsCode,
      TtsParam: JSON.stringify(request.variables),
      PlayTimes: String(this.#options.playTimes ?? 2),
      OutId: request.notificationId,
    };
    const { client, util, query: toQuery, RuntimeOptions } = await this.#client();
    const params = new util.Params({
      action: 'SingleCallByTts',
      version: '2017-05-25',
      protocol: (this.#options.protocol ?? 'https').toUpperCase(),
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const timeout = this.#options.timeoutMs ?? 5_000;
    const runtime = new RuntimeOptions({ autoretry: false, readTimeout: timeout, connectTimeout: timeout });
    try {
      const response = await client.callApi(params, new util.OpenApiRequest({ query: toQuery(query) }), runtime);
      const body = (response as { body?: { Code?: unknown; Message?: unknown; CallId?: unknown } }).body ?? {};
      const code = typeof body.Code === 'string' ? body.Code : '';
      if (code === 'OK' && typeof body.CallId === 'string' && body.CallId) return { ok: true, callId: body.CallId };
      const message = typeof body.Message === 'string' ? body.Message : 'no call id in the answer';
      return { ok: false, failure: voiceFailureFromAliyunCode(code || 'NoCallId', message) };
    } catch (error) {
      return { ok: false, failure: voiceFailureFromError(error) };
    }
  }
}
