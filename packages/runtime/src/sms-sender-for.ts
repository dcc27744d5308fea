import type { AppConfig } from '@affection/config';
import { ALIYUN_SEND_CAPS, type SendCapTable, type SmsSender } from '@affection/core';
import { type Database, getHomeSmsSignName } from '@affection/db';
import { AliyunSmsSender, OutboxSmsSender, RoutingSmsSender, TwilioSmsSender } from '@affection/telephony';

/** A provider's name as recorded on each message. */
export type SmsProviderName = 'outbox' | 'twilio' | 'aliyun';

/** The SMS provider(s) the config names. */
export interface ConfiguredSmsSender {
  sender: SmsSender;
  /** For logs: the provider, or `aliyun+twilio` / `aliyun+outbox` when numbers are routed by country. */
  provider: SmsProviderName | 'aliyun+twilio' | 'aliyun+outbox';
  /** The provider a number goes to (recorded on its message; its caps apply). */
  providerFor(to: string): SmsProviderName;
  /** Every provider in use (e.g. whether Twilio's status callbacks are expected). */
  providers: readonly SmsProviderName[];
  /** The per-number limits of the provider a number goes to (Alibaba Cloud's), or null for none. */
  sendCapsFor(to: string): SendCapTable | null;
}

function single(name: SmsProviderName, sender: SmsSender): ConfiguredSmsSender {
  return { sender, provider: name, providerFor: () => name, providers: [name], sendCapsFor: () => null };
}

/**
 * The sender SMS_PROVIDER names. `aliyun`: mainland numbers (+86) through Alibaba Cloud SMS with each Home's own
 * signature when it has one, other numbers through Twilio when TWILIO_* is set, else into the outbox. `twilio`
 * (also when SMS_PROVIDER is unset and TWILIO_* is set; a Messaging Service wins over `TWILIO_FROM`: it picks the
 * right sender per country). Otherwise the database outbox (each message stored for the console to show; nothing
 * leaves the machine).
 */
export function smsSenderFor(config: AppConfig, database: Database, now?: () => Date): ConfiguredSmsSender {
  const { twilio, aliyunSms } = config;
  const outbox = () => new OutboxSmsSender({ db: database.db, ...(now ? { now } : {}) });
  const twilioSender = twilio
    ? new TwilioSmsSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        ...(twilio.messagingServiceSid ? { messagingServiceSid: twilio.messagingServiceSid } : { from: twilio.from }),
      })
    : null;
  if (config.smsProvider === 'aliyun' && aliyunSms) {
    const aliyun = new AliyunSmsSender({
      accessKeyId: aliyunSms.accessKeyId,
      accessKeySecret: aliyunSms.accessKeySecret,
      signName: aliyunSms.signName,
      signNameFor: (homeId) => getHomeSmsSignName(database.db, homeId),
      templateCodes: aliyunSms.templateCodes,
      regionId: aliyunSms.regionId,
      ...(aliyunSms.endpoint ? { endpoint: aliyunSms.endpoint } : {}),
      protocol: aliyunSms.protocol,
      ...(now ? { now } : {}),
    });
    const international = twilioSender
      ? { name: 'twilio' as const, sender: twilioSender }
      : { name: 'outbox' as const, sender: outbox() };
    const routing = new RoutingSmsSender({ domestic: { name: 'aliyun', sender: aliyun }, international });
    return {
      sender: routing,
      provider: international.name === 'twilio' ? 'aliyun+twilio' : 'aliyun+outbox',
      providerFor: (to) => routing.providerFor(to),
      providers: ['aliyun', international.name],
      sendCapsFor: (to) => (routing.providerFor(to) === 'aliyun' ? ALIYUN_SEND_CAPS : null),
    };
  }
  if (config.smsProvider === 'twilio' && twilioSender) return single('twilio', twilioSender);
  return single('outbox', outbox());
}
