import { describe, expect, it } from 'vitest';
import { canMakeVideoCalls, inAppBrowserOf, judgeBrowser } from './browser-support.ts';

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36';
const WECHAT =
  'Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x2800255B) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';
const QQ_APP =
  'Mozilla/5.0 (Linux; Android 11; PCLM10 Build/RKQ1.200903.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/89.0.4389.72 MQQBrowser/6.2 TBS/046011 Mobile Safari/537.36 V1_AND_SQ_8.8.68_2538_YYB_D A_8086800 QQ/8.8.68.7265 NetType/WIFI';
const QQ_BROWSER =
  'Mozilla/5.0 (Linux; U; Android 11; zh-cn; M2012K11AC Build/RKQ1.200826.002) AppleWebKit/537.36 (KHTML, like Gecko) ' +
  'Version/4.0 Chrome/89.0.4389.72 MQQBrowser/12.1 Mobile Safari/537.36 COVC/045913';
const WEIBO =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 16_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone14,5__weibo__12.11.1__iphone__os16.1)';
const DOUYIN =
  'Mozilla/5.0 (Linux; Android 12; ANA-AN00) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/91.0 Mobile Safari/537.36 aweme_230400 JsSdk/1.0';

const withWebRtc = {
  RTCPeerConnection: () => undefined,
  navigator: { mediaDevices: { getUserMedia: () => undefined } },
};

describe('browser support', () => {
  it("names the app whose built-in browser the page is in, and nothing for the phone's own browsers", () => {
    expect(inAppBrowserOf(WECHAT)).toBe('wechat');
    expect(inAppBrowserOf(QQ_APP)).toBe('qq');
    expect(inAppBrowserOf(WEIBO)).toBe('weibo');
    expect(inAppBrowserOf(DOUYIN)).toBe('other');
    expect(inAppBrowserOf(ANDROID_CHROME)).toBeNull();
    expect(inAppBrowserOf(QQ_BROWSER)).toBeNull();
  });

  it('needs RTCPeerConnection and getUserMedia for a video call', () => {
    expect(canMakeVideoCalls(withWebRtc)).toBe(true);
    expect(canMakeVideoCalls({ navigator: withWebRtc.navigator })).toBe(false);
    expect(canMakeVideoCalls({ RTCPeerConnection: withWebRtc.RTCPeerConnection, navigator: {} })).toBe(false);
  });

  it('refuses an in-app browser even when it has WebRTC, and any browser without it', () => {
    expect(judgeBrowser(ANDROID_CHROME, withWebRtc)).toEqual({ ok: true });
    expect(judgeBrowser(WECHAT, withWebRtc)).toEqual({ ok: false, inApp: 'wechat' });
    expect(judgeBrowser(ANDROID_CHROME, {})).toEqual({ ok: false, inApp: null });
  });
});
