/// <reference lib="dom" />
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** One accessibility problem axe-core found, with the elements it is about. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (evaluated in the page as it is, from the installed package) on what the page shows now and
 * returns every violation.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the browser's debugging protocol rather than added as a <script>: the pages' Content-Security-Policy
  // (rightly) refuses inline scripts, and the audit must see the page exactly as it is served.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const run = (window as unknown as { axe: typeof axe }).axe.run;
    const results = await run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  });
}

/** Whether a finding is serious or critical: what a screen must not have. */
export function isSerious(finding: AxeFinding): boolean {
  return finding.impact === 'serious' || finding.impact === 'critical';
}

/** What {@link ScreenAudit.check} saw on one screen. */
export interface ScreenRecord {
  name: string;
  /** Serious and critical findings. */
  serious: AxeFinding[];
  /** Minor and moderate ones, kept for the record. */
  other: AxeFinding[];
}

/** Screenshots every screen of a journey into one folder and checks each with axe-core. */
export class ScreenAudit {
  readonly #dir: string;
  readonly records: ScreenRecord[] = [];

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Saves `<dir>/<name>.png` and returns the screen's serious or critical axe findings (also kept in `records`). */
  async check(page: Page, name: string): Promise<AxeFinding[]> {
    await mkdir(this.#dir, { recursive: true });
    await page.screenshot({ path: path.join(this.#dir, `${name}.png`), fullPage: true });
    const findings = await axeFindings(page);
    const serious = findings.filter(isSerious);
    this.records.push({ name, serious, other: findings.filter((f) => !isSerious(f)) });
    return serious;
  }
}

/** Whether the page fits its viewport's width: nothing makes it scroll sideways. */
export function hasNoSideScroll(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

/**
 * Every piece of text the page holds, hidden parts included (what a screen reader, a copy or a look at the
 * page's source could reach): each text node, and the labels, titles, alternative texts, placeholders and values.
 */
export function pageTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.textContent?.trim()) texts.push(node.textContent);
    }
    for (const element of document.body.querySelectorAll('*')) {
      for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'value']) {
        const value = element.getAttribute(name);
        if (value) texts.push(value);
      }
      if (element instanceof HTMLInputElement && element.value) texts.push(element.value);
    }
    return texts;
  });
}

/**
 * What the texts give away that they must not: phone numbers (a run of 7 or more digits in one text, spaces and
 * dashes allowed, or a masked `138****5678`) and any of `names` (families' names).
 */
export function leaksIn(texts: readonly string[], names: readonly string[]): string[] {
  const phones = texts.flatMap((text) =>
    [...text.matchAll(/(?:\+?\d[\d\s-]{5,}\d)|(?:\d{3}\*{4}\d{4})/g)]
      .map((m) => m[0])
      .filter((m) => m.includes('*') || m.replace(/\D/g, '').length >= 7),
  );
  const all = texts.join('\n');
  return [...phones, ...names.filter((name) => name.length > 0 && all.includes(name))];
}
