import type { AppConfig } from '@affection/config';
import type { VoiceNotifier } from '@affection/core';
import { AliyunVoiceNotifier, OutboxVoiceNotifier } from '@affection/telephony';

/**
 * The voice notifier the config chooses: Alibaba Cloud's voice service when `ALIYUN_VOICE_SHOW_NUMBER` and
 * `ALIYUN_VOICE_TTS_TEMPLATE` are set (with the Alibaba Cloud account of `SMS_PROVIDER=aliyun`), otherwise the
 * outbox: the notification's row is the record, nothing leaves the machine.
 */
export function voiceNotifierFor(config: AppConfig): VoiceNotifier {
  const voice = config.aliyunVoice;
  if (!voice) return new OutboxVoiceNotifier();
  return new AliyunVoiceNotifier({
    accessKeyId: voice.accessKeyId,
    accessKeySecret: voice.accessKeySecret,
    showNumber: voice.showNumber,
    templates: { 'parent-awaited': voice.ttsTemplate },
    regionId: voice.regionId,
    protocol: voice.protocol,
    ...(voice.endpoint ? { endpoint: voice.endpoint } : {}),
  });
}
