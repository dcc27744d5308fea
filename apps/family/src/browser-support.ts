/** Apps whose built-in browser cannot hold a video call. */
export type InAppBrowser = 'wechat' | 'qq' | 'weibo' | 'other';

const IN_APP: readonly [RegExp, InAppBrowser][] = [
  [/MicroMessenger|WeChat|WindowsWechat/i, 'wechat'],
  // The QQ app's browser says " QQ/8.9…"; the standalone QQ Browser ("MQQBrowser" alone) is a real browser.
  [/\sQQ\/\d/i, 'qq'],
  [/Weibo|__weibo__/i, 'weibo'],
  [/AlipayClient|DingTalk|baiduboxapp|Lark\/|FBAN|FBAV|Instagram|\bLine\/|aweme|Toutiao|NewsArticle/i, 'other'],
];

/**
 * The app whose built-in browser this page is open in, read from the user agent; `null` in an
 * ordinary browser.
 *
 * @example inAppBrowserOf('Mozilla/5.0 … MicroMessenger/8.0.47') // 'wechat'
 */
export function inAppBrowserOf(userAgent: string): InAppBrowser | null {
  for (const [pattern, app] of IN_APP) if (pattern.test(userAgent)) return app;
  return null;
}

/** Whether this browser has what a video call needs (WebRTC and the camera/microphone API). */
export function canMakeVideoCalls(scope: {
  RTCPeerConnection?: unknown;
  navigator?: { mediaDevices?: { getUserMedia?: unknown } };
}): boolean {
  return (
    typeof scope.RTCPeerConnection === 'function' && typeof scope.navigator?.mediaDevices?.getUserMedia === 'function'
  );
}

/** What the page should say about this browser: nothing, "open it in your browser", or "use another browser". */
export type BrowserVerdict = { ok: true } | { ok: false; inApp: InAppBrowser | null };

/** Judges the browser the page runs in. */
export function judgeBrowser(userAgent: string, scope: Parameters<typeof canMakeVideoCalls>[0]): BrowserVerdict {
  const inApp = inAppBrowserOf(userAgent);
  if (inApp || !canMakeVideoCalls(scope)) return { ok: false, inApp };
  return { ok: true };
}
