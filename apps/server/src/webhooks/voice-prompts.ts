const RING_BACK = '请挂断电话，我们会给您登记的号码打过去。';
const OTHER_WAYS = '您可以打开亲情电话加入视频通话，或者联系孩子的老师。';

/**
 * What the voice menu says, in Mandarin (the language of the Home's number). Short sentences, the
 * child's name and the time in the caller's own zone; never a phone number, never a PIN.
 */
export const VOICE_PROMPTS = {
  unknownCaller: '您好，这里是亲情电话。这个号码还没有登记，请联系孩子的老师。谢谢，再见。',
  greeting: (homeName: string) => `您好，这里是${homeName}的亲情电话。`,
  noCall: '现在没有预约的通话。要预约，请联系孩子的老师。再见。',
  nextCall: (names: string, when: string) => `${names}的下一次通话在${when}。`,
  openNow: (names: string) => `${names}的通话现在可以加入。`,
  menu: (options: { canJoin: boolean; canCancel: boolean }) =>
    [
      options.canJoin ? '现在加入通话，请按1。' : '',
      options.canCancel ? '取消下一次通话，请按2。' : '',
      '再听一遍，请按3。',
    ].join(''),
  noInput: '没有听到您的选择。再见。',
  connecting: '正在为您接通，请稍等。',
  nothingToJoin: '现在没有可以加入的通话。',
  askPin: '为了孩子的安全，请输入您的电话密码，再按井号键。',
  askPinAgain: '请再输一次电话密码，再按井号键。',
  wrongPin: '密码不对。',
  /** `ringBack`: the number on file will be rung into the call (otherwise: other ways to join). */
  noPin: (ringBack: boolean) =>
    `为了孩子的安全，用电话加入通话要先设置电话密码，请联系孩子的老师设置。${ringBack ? `现在${RING_BACK}` : '现在您可以打开亲情电话加入视频通话。'}再见。`,
  tooManyTries: (ringBack: boolean) => `密码不对，这次不能用电话加入。${ringBack ? RING_BACK : OTHER_WAYS}再见。`,
  pinLocked: (minutes: number, ringBack: boolean) =>
    `电话密码输错的次数太多，${minutes}分钟内不能用电话加入。${ringBack ? RING_BACK : OTHER_WAYS}再见。`,
  joinUnavailable: '现在不能用电话加入通话。请在孩子的通话时间打开亲情电话，或者等我们打电话给您。',
  cancelled: (names: string, when: string) => `好的，${names}${when}的通话已经取消了。再见。`,
  nothingToCancel: '现在没有可以取消的通话。',
  wrongKey: '按键不对。',
  localTime: '（您当地时间）',
} as const;

/** The language `<Say>` speaks in. */
export const VOICE_LANGUAGE = 'zh-CN';

/**
 * A time as said to the caller, in their zone: "9月9日星期三 12:15", followed by "（您当地时间）"
 * when their clock differs from the Home's.
 *
 * @example spokenTime(new Date('2026-09-09T04:15:00Z'), 'Asia/Shanghai', 'Asia/Shanghai') === '9月9日星期三 12:15'
 */
export function spokenTime(instant: Date, callerZone: string, homeZone: string): string {
  const format = (timeZone: string) =>
    new Intl.DateTimeFormat('zh-CN', {
      timeZone,
      month: 'long',
      day: 'numeric',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(instant);
  const inCallerZone = format(callerZone);
  return inCallerZone === format(homeZone) ? inCallerZone : `${inCallerZone}${VOICE_PROMPTS.localTime}`;
}

/** Children's names as said: "小明和小红", "小明、小红和小刚". */
export function spokenNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '孩子';
  return `${names.slice(0, -1).join('、')}和${names.at(-1)}`;
}
