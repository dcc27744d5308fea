import type { Home } from '@affection/core';
import type { z } from '@hono/zod-openapi';
import type { HomeSchema } from './home-schemas.ts';

/** The shape the routes answer with. */
export function toHomeDto(home: Home): z.infer<typeof HomeSchema> {
  return {
    id: home.id,
    name: home.name,
    timeZone: home.timeZone,
    slotMinutes: home.slotMinutes,
    bufferMinutes: home.bufferMinutes,
    weeklyQuotaPerChild: home.weeklyQuotaPerChild,
    bookingHorizonDays: home.bookingHorizonDays,
    minNoticeMinutes: home.minNoticeMinutes,
    noContactAlertDays: home.noContactAlertDays,
    parentJoinWaitMinutes: home.parentJoinWaitMinutes,
    kioskWaitMinutes: home.kioskWaitMinutes,
    smsSignName: home.smsSignName,
    createdAt: home.createdAt.toISOString(),
  };
}
