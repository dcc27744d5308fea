import {
  type FindSentSmsRequest,
  type FindSentSmsResult,
  type SendSmsRequest,
  type SendSmsResult,
  type SmsFailure,
  type SmsLookupResult,
  type SmsSender,
  type SmsTemplateKey,
  smsTemplateCallProblems,
} from '@affection/core';
import type * as DysmsapiSdk from '@alicloud/dysmsapi20170525';
import { aliyunSmsFailureOf, aliyunThrownFailureOf } from './aliyun-sms-errors.ts';

type DysmsapiClient = DysmsapiSdk.default;

/** The SDK and a client, loaded on first use: a process that never sends to +86 never loads it. */
interface LoadedSdk {
  client: DysmsapiClient;
  SendSmsRequest: typeof DysmsapiSdk.SendSmsRequest;
  QuerySendDetailsRequest: typeof DysmsapiSdk.QuerySendDetailsRequest;
}

/** The provider's own endpoint. */
export const ALIYUN_SMS_ENDPOINT = 'dysmsapi.aliyuncs.com';

/** Options for {@link AliyunSmsSender}. */
export interface AliyunSmsSenderOptions {
  accessKeyId: string;
  accessKeySecret: string;
  /** The signature (签名) used when a Home has none of its own. */
  signName: string;
  /** A Home's own registered signature, or null for {@link signName}. Default: always {@link signName}. */
  signNameFor?: (homeId: string) => Promise<string | null>;
  /** Our template keys → the approved template codes (`SMS_…`). */
  templateCodes: Readonly<Partial<Record<SmsTemplateKey, string>>>;
  /** Default `cn-hangzhou`. */
  regionId?: string;
  /** `host[:port]` of the API. Default {@link ALIYUN_SMS_ENDPOINT}. */
  endpoint?: string;
  /** Default `https`; `http` only for a local test endpoint. */
  protocol?: 'https' | 'http';
  /** How long a request may take before it counts as a timeout (ambiguous for a send). Default 10 000 ms. */
  timeoutMs?: number;
  /** How long to wait after the provider's rate limit (`isv.BUSINESS_LIMIT_CONTROL`). Default 60 000 ms (its minute window). */
  rateLimitRetryMs?: number;
  now?: () => Date;
}

/** `yyyyMMdd` of an instant in China time (UTC+8, no daylight saving), as `QuerySendDetails` takes it. */
function chinaDayOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** A mainland number as the provider takes it (`13800138000`), or null for any other number. */
function mainlandNumberOf(e164: string): string | null {
  return /^\+861\d{10}$/.test(e164) ? e164.slice(3) : null;
}

/** The provider's `SendStatus` (1 waiting for the receipt, 2 failed, 3 delivered) as our state. */
function stateOfSendStatus(status: number | undefined): 'sent' | 'failed' | 'delivered' {
  return status === 3 ? 'delivered' : status === 2 ? 'failed' : 'sent';
}

/** The provider id given to a message found by its `OutId` (the lookup does not return the `BizId`). */
export function aliyunProviderIdOfOutId(outId: string): string {
  return `aliyun-out:${outId}`;
}

/**
 * Sends SMS to mainland numbers (+86) through Alibaba Cloud SMS (`SendSms`, API 2017-05-25, with the official SDK):
 * each message as its registered template (`TemplateCode`) with its variables (`TemplateParam`), signed with its
 * Home's signature or the default, and `OutId` = our message id so a delivery report or a lookup finds the row.
 * Variables are checked against the provider's rules before anything is sent. After an ambiguous failure
 * {@link findSent} asks `QuerySendDetails` (by number and day, matched by `OutId`) instead of sending again.
 */
export class AliyunSmsSender implements SmsSender {
  #sdk: Promise<LoadedSdk> | undefined;
  readonly #options: AliyunSmsSenderOptions;
  readonly #now: () => Date;
  /** BizId → number and day of the messages this process sent, for {@link lookup}. */
  readonly #sent = new Map<string, { phone: string; day: string }>();

  constructor(options: AliyunSmsSenderOptions) {
    if (!options.accessKeyId || !options.accessKeySecret) throw new Error('AliyunSmsSender: an AccessKey is required');
    if (!options.signName) throw new Error('AliyunSmsSender: a signature (signName) is required');
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  async #loadSdk(): Promise<LoadedSdk> {
    const sdk = await import('@alicloud/dysmsapi20170525');
    // The package is CommonJS with `exports.default`: under ESM the class may be one level further down.
    const Client = ((sdk.default as unknown as { default?: typeof sdk.default }).default ??
      sdk.default) as typeof sdk.default;
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const client = new Client({
      accessKeyId: this.#options.accessKeyId,
      accessKeySecret: this.#options.accessKeySecret,
      regionId: this.#options.regionId ?? 'cn-hangzhou',
      endpoint: this.#options.endpoint ?? ALIYUN_SMS_ENDPOINT,
      protocol: this.#options.protocol ?? 'https',
      readTimeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 5_000),
      // The client reads these fields; the SDK's Config class adds only (de)serialisation helpers.
    } as unknown as ConstructorParameters<typeof Client>[0]);
    return { client, SendSmsRequest: sdk.SendSmsRequest, QuerySendDetailsRequest: sdk.QuerySendDetailsRequest };
  }

  #sdkClient(): Promise<LoadedSdk> {
    this.#sdk ??= this.#loadSdk().catch((error: unknown) => {
      this.#sdk = undefined;
      throw error;
    });
    return this.#sdk;
  }

  async send(request: SendSmsRequest): Promise<SendSmsResult> {
    const phone = mainlandNumberOf(request.to);
    if (!phone) return refuse('country-not-enabled', 'Alibaba Cloud SMS sends here only to mainland numbers (+86 1…)');
    if (!request.template) return refuse('provider-error', 'The message has no registered template to send');
    const { key, variables } = request.template;
    const templateCode = this.#options.templateCodes[key];
    if (!templateCode) return refuse('provider-error', `No approved template code for ${key}`);
    const problems = smsTemplateCallProblems(request.template);
    if (problems.length > 0) return refuse('provider-error', `Template ${key}: ${problems.join('; ')}`);
    const signName =
      (request.homeId && this.#options.signNameFor ? await this.#options.signNameFor(request.homeId) : null) ??
      this.#options.signName;
    if (request.notAfter && this.#now().getTime() > request.notAfter.getTime()) {
      return {
        ok: false,
        failure: {
          kind: 'retryable',
          reason: 'timeout',
          message: 'Not sent: the sending window of its claim had passed',
          isAmbiguous: false,
        },
      };
    }
    const sdk = await this.#sdkClient();
    const day = chinaDayOf(this.#now());
    try {
      const response = await sdk.client.sendSms(
        new sdk.SendSmsRequest({
          phoneNumbers: phone,
          signName,
          templateCode,
          templateParam: JSON.stringify(variables),
          outId: request.idempotencyKey,
        }),
      );
      const body = response.body;
      if (body?.code === 'OK' && body.bizId) {
        this.#sent.set(body.bizId, { phone, day });
        return { ok: true, providerId: body.bizId };
      }
      return {
        ok: false,
        failure: this.#withRetryAfter(aliyunSmsFailureOf(body?.code ?? 'unknown', body?.message ?? '')),
      };
    } catch (error) {
      return { ok: false, failure: this.#withRetryAfter(aliyunThrownFailureOf(error)) };
    }
  }

  /** A rate limit waits the configured time instead of the provider's minute. */
  #withRetryAfter(failure: SmsFailure): SmsFailure {
    if (failure.reason !== 'rate-limited' || this.#options.rateLimitRetryMs === undefined) return failure;
    return { ...failure, retryAfterMs: this.#options.rateLimitRetryMs };
  }

  /** Looks a message up by its BizId; only messages this process sent can be (the lookup needs number and day). */
  async lookup(providerId: string): Promise<SmsLookupResult> {
    const sent = this.#sent.get(providerId);
    if (!sent)
      return {
        ok: false,
        failure: { kind: 'permanent', reason: 'not-found', message: 'Unknown here: delivery reports carry its status' },
      };
    const sdk = await this.#sdkClient();
    try {
      const response = await sdk.client.querySendDetails(
        new sdk.QuerySendDetailsRequest({
          phoneNumber: sent.phone,
          sendDate: sent.day,
          bizId: providerId,
          pageSize: 10,
          currentPage: 1,
        }),
      );
      const found = response.body?.smsSendDetailDTOs?.smsSendDetailDTO?.[0];
      if (response.body?.code !== 'OK' || !found)
        return { ok: false, failure: { kind: 'permanent', reason: 'not-found', message: 'Not at the provider' } };
      const state = stateOfSendStatus(found.sendStatus);
      return {
        ok: true,
        status: {
          providerId,
          state,
          ...(state === 'failed' ? { failure: aliyunSmsFailureOf(found.errCode ?? 'unknown', 'not delivered') } : {}),
        },
      };
    } catch (error) {
      const failure = aliyunThrownFailureOf(error);
      return { ok: false, failure: { kind: 'retryable', reason: failure.reason, message: failure.message } };
    }
  }

  /**
   * Whether the provider has our message (its `OutId`) to this number since `since`: `QuerySendDetails` for each
   * China day from `since` to now, every page. Found, it is named {@link aliyunProviderIdOfOutId} (the lookup does
   * not return the BizId; delivery reports match the message by `OutId`).
   */
  async findSent(request: FindSentSmsRequest): Promise<FindSentSmsResult> {
    const phone = mainlandNumberOf(request.to);
    if (!phone) return { ok: true, providerId: null };
    const days = new Set<string>();
    for (let at = request.since.getTime(); at <= this.#now().getTime(); at += 86_400_000)
      days.add(chinaDayOf(new Date(at)));
    days.add(chinaDayOf(this.#now()));
    const sdk = await this.#sdkClient();
    try {
      for (const day of days) {
        for (let page = 1; page <= 20; page += 1) {
          const response = await sdk.client.querySendDetails(
            new sdk.QuerySendDetailsRequest({ phoneNumber: phone, sendDate: day, pageSize: 50, currentPage: page }),
          );
          if (response.body?.code !== 'OK') {
            const failure = aliyunSmsFailureOf(response.body?.code ?? 'unknown', response.body?.message ?? '');
            return { ok: false, failure: { kind: 'retryable', reason: failure.reason, message: failure.message } };
          }
          const rows = response.body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
          if (rows.some((row) => row.outId === request.idempotencyKey))
            return { ok: true, providerId: aliyunProviderIdOfOutId(request.idempotencyKey) };
          if (rows.length < 50) break;
        }
      }
      return { ok: true, providerId: null };
    } catch (error) {
      const failure = aliyunThrownFailureOf(error);
      return { ok: false, failure: { kind: 'retryable', reason: failure.reason, message: failure.message } };
    }
  }
}

function refuse(reason: 'country-not-enabled' | 'provider-error', message: string): SendSmsResult {
  return { ok: false, failure: { kind: 'permanent', reason, message, isAmbiguous: false } };
}
