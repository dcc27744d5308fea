import { SMS_REPLY_WORDS } from './sms-message.ts';
import type { SmsTemplateSet, SmsTemplateTools } from './sms-template-set.ts';

const { confirm, cancel } = SMS_REPLY_WORDS;

/** A confirm/cancel prompt where replies are allowed, else the saved 亲情电话 page. */
function confirmOrOpen(t: SmsTemplateTools, open: string): string {
  return t.replyPrompt() ?? open;
}

/**
 * Simplified Chinese templates. Each fits one UCS-2 message (70 characters) with a 3-character
 * name, the Home name 某某小学留守儿童之家 and a 26-character link; `renderSms` reports the count.
 * Where a link is allowed a video call's message carries it instead of any other prompt (the page
 * confirms, joins and reschedules); a phone call's message never needs one.
 */
export const zhCnSmsTemplates: SmsTemplateSet = {
  'booking-confirmed': (m, t) => {
    if (m.channel === 'phone')
      return `${t.names(m.childNames)}的亲情电话约在${t.dateTime(m.start)}，我们会打电话给您。${confirmOrOpen(t, '')}`;
    if (t.link) return `${t.names(m.childNames)}${t.dateTime(m.start)}和您视频通话：${t.link}`;
    return `${t.names(m.childNames)}的亲情电话约在${t.dateTime(m.start)}，${confirmOrOpen(t, '到时请打开亲情电话。')}`;
  },
  'reminder-day-before': (m, t) => {
    if (m.channel === 'phone')
      return `提醒：${t.names(m.childNames)}${t.dateTime(m.start)}和您通话，我们会打电话给您。${confirmOrOpen(t, '')}`;
    if (t.link) return `提醒：${t.names(m.childNames)}${t.dateTime(m.start)}和您视频：${t.link}`;
    return `提醒：${t.names(m.childNames)}${t.dateTime(m.start)}和您视频通话，${confirmOrOpen(t, '到时请打开亲情电话。')}`;
  },
  'reminder-15-min': (m, t) => {
    const lead = `${t.names(m.childNames)}${t.clock(m.start)}和您通话，15分钟后开始，`;
    if (m.channel === 'phone') return `${lead}我们会打电话给您。`;
    return t.link ? `${lead}到时打开${t.link}` : `${lead}到时请打开亲情电话。`;
  },
  'call-missed-offer-new-time': (m, t) =>
    t.link
      ? `${t.names(m.childNames)}通话未接通，改到${t.dateTime(m.offeredStart)}：${t.link}`
      : `${t.names(m.childNames)}${t.dateTime(m.missedStart)}的通话未接通。新时间${t.dateTime(m.offeredStart)}，不方便请打开亲情电话改时间。`,
  'booking-cancelled': (m, t) =>
    t.link
      ? `${t.names(m.childNames)}${t.dateTime(m.start)}的通话取消，另约：${t.link}`
      : `${t.names(m.childNames)}${t.dateTime(m.start)}的通话已取消。重新预约请打开亲情电话。`,
  'booking-moved': (m, t) =>
    t.link
      ? `${t.names(m.childNames)}的通话改到${t.dateTime(m.start)}：${t.link}`
      : `${t.names(m.childNames)}的通话改到${t.dateTime(m.start)}（原${t.dateTime(m.previousStart)}），请准时接听。`,
  'one-time-code': (m) => `验证码${m.code}，${m.validMinutes}分钟内有效。请勿告诉他人。`,
  'duty-digest': (m, t) =>
    `${t.date(m.day)}值日：通话${m.callCount}个${m.firstStart ? `，首个${t.clock(m.firstStart)}` : ''}；${m.noContactCount}名孩子超过${m.noContactDays}天未通话。请打开亲情电话查看。`,
  'no-contact-alert': (m, t) => `${t.names(m.childNames)}已${m.daysWithoutContact}天没和家人通话，请安排一次亲情电话。`,
  'call-proposed': (m, t) =>
    t.link
      ? `${t.names(m.childNames)}${t.dateTime(m.start)}的通话待确认：${t.link}`
      : `${t.names(m.childNames)}的亲情电话安排在${t.dateTime(m.start)}，${confirmOrOpen(t, '请打开亲情电话确认。')}`,
  'call-now': (m, t) => {
    if (m.channel === 'phone') return `${t.names(m.childNames)}在学校等您通话，我们马上打电话给您。`;
    return t.link
      ? `${t.names(m.childNames)}在学校等您视频，请现在打开：${t.link}`
      : `${t.names(m.childNames)}在学校等您视频，请现在打开亲情电话页面。`;
  },
  signature: (homeName) => `【${homeName}】`,
  replyPrompt: `回${confirm}确认，回${cancel}取消。`,
  localTimeMarker: '(当地时间)',
  dateTimeFormat: 'M月d日cccHH:mm',
  dateFormat: 'M月d日',
  listSeparator: '、',
  lastListSeparator: '和',
};
