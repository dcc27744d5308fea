import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChromiumSession, launchChromium } from '@affection/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>亲情电话</title></head>
<body><h1>亲情电话</h1><video id="me" autoplay muted playsinline></video></body></html>`;

describe('Chromium started by the harness', () => {
  let server: http.Server;
  let url: string;
  let browser: ChromiumSession;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('opens a page served by the test', async () => {
    const page = await browser.context.newPage();
    await page.goto(url);
    expect(await page.locator('h1').textContent()).toBe('亲情电话');
  });

  it('gets a live fake camera track from getUserMedia and decodes frames', async () => {
    const page = await browser.context.newPage();
    await page.goto(url);
    const track = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const video = document.getElementById('me') as HTMLVideoElement;
      video.srcObject = stream;
      await video.play();
      const [videoTrack] = stream.getVideoTracks();
      return { kind: videoTrack?.kind, state: videoTrack?.readyState, audio: stream.getAudioTracks().length };
    });
    expect(track).toEqual({ kind: 'video', state: 'live', audio: 1 });
    await page.waitForFunction(
      () => ((document.getElementById('me') as HTMLVideoElement).getVideoPlaybackQuality().totalVideoFrames ?? 0) > 5,
    );
  });
});
