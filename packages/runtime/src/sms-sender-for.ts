import type { AppConfig } from '@affection/config';
import type { SmsSender } from '@affection/core';
import type { Database } from '@affection/db';
import { OutboxSmsSender, TwilioSmsSender } from '@affection/telephony';

/** The SMS provider the config names, and its name as recorded on each message. */
export interface ConfiguredSmsSender {
  sender: SmsSender;
  provider: 'twilio' | 'outbox';
}

/**
 * Twilio when `TWILIO_*` is set (a Messaging Service wins over `TWILIO_FROM`: it picks the right sender per
 * country), otherwise the database outbox (each message stored for the console to show; nothing leaves the machine).
 */
export function smsSenderFor(config: AppConfig, database: Database, now?: () => Date): ConfiguredSmsSender {
  const { twilio } = config;
  if (twilio) {
    return {
      provider: 'twilio',
      sender: new TwilioSmsSender({
        accountSid: twilio.accountSid,
        authToken: twilio.authToken,
        ...(twilio.messagingServiceSid ? { messagingServiceSid: twilio.messagingServiceSid } : { from: twilio.from }),
      }),
    };
  }
  return { provider: 'outbox', sender: new OutboxSmsSender({ db: database.db, ...(now ? { now } : {}) }) };
}
