import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { testEnv } from './env.ts';

/** Flags for headless Chromium on a machine with no network but loopback, with a fake camera and microphone. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** A browser context in a fresh profile; `close()` also removes the profile. */
export interface ChromiumSession {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Options for {@link launchChromium}. */
export interface LaunchChromiumOptions {
  /** Browser locale, default zh-CN. */
  locale?: string;
  viewport?: { width: number; height: number };
}

/**
 * Launches Debian's Chromium (never a downloaded browser) through playwright-core, with the
 * fake media devices, in a new profile folder.
 */
export async function launchChromium(options: LaunchChromiumOptions = {}): Promise<ChromiumSession> {
  try {
    accessSync(testEnv.chromiumPath, constants.X_OK);
  } catch {
    throw new Error(
      `Chromium was not found at ${testEnv.chromiumPath}. Install it with: sudo apt-get install -y chromium ` +
        '(or set CHROMIUM_PATH).',
    );
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), 'affection-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: testEnv.chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: options.locale ?? 'zh-CN',
    viewport: options.viewport ?? { width: 1280, height: 800 },
    permissions: ['camera', 'microphone'],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
