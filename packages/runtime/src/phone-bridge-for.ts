import type { AppConfig } from '@affection/config';
import type { PhoneBridge } from '@affection/core';
import { errorForLog } from '@affection/db';
import { LivekitPhoneBridge, provisionSip } from '@affection/telephony';
import type { Logger } from 'pino';

/** The outbound SIP trunk parents are rung through: `npm run telephony:provision`'s default name. */
export const OUTBOUND_TRUNK_NAME = 'affection-outbound';

/**
 * The phone bridge the config allows: only with LiveKit and SIP configured (`SIP_OUTBOUND_*`), ringing through the
 * outbound trunk {@link OUTBOUND_TRUNK_NAME}, made sure of first (idempotent, as `npm run telephony:provision` does).
 * Null otherwise, or when LiveKit refuses the trunk (logged): ringing is then recorded as `unavailable`.
 */
export async function phoneBridgeFor(config: AppConfig, log: Logger): Promise<PhoneBridge | null> {
  const { livekit, sip } = config;
  if (!livekit || !sip) return null;
  try {
    const { outboundTrunk } = await provisionSip({
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outbound: {
        name: OUTBOUND_TRUNK_NAME,
        address: sip.outbound.address,
        numbers: [sip.outbound.number],
        ...(sip.outbound.auth
          ? { authUsername: sip.outbound.auth.username, authPassword: sip.outbound.auth.password }
          : {}),
      },
    });
    return new LivekitPhoneBridge({
      url: livekit.url,
      apiKey: livekit.apiKey,
      apiSecret: livekit.apiSecret,
      outboundTrunkId: outboundTrunk.id,
      fromNumber: sip.outbound.number,
    });
  } catch (error) {
    log.warn({ err: errorForLog(error) }, 'phone calling unavailable: the outbound SIP trunk is not set up');
    return null;
  }
}
