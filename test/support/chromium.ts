// Headless Chromium for browser tests: Debian's /usr/bin/chromium through
// playwright-core (no downloaded browser). Missing browser: the test is skipped
// with a notice, or fails when CI / KASSA_REQUIRE_BROWSER=1 asks for it. Only
// loopback addresses are reachable; anything else is refused and remembered.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { isRequired } from './required.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The skip reason for a browser test (undefined when Chromium is there); throws when the browser is required. */
export function chromiumSkip(what: string): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (isRequired('KASSA_REQUIRE_BROWSER'))
    throw new Error(`${CHROMIUM} is missing, and CI / KASSA_REQUIRE_BROWSER=1 requires the ${what} to run.`);
  console.warn(`NOTICE: skipping the ${what}: ${CHROMIUM} is not installed (apt-get install chromium).`);
  return `${CHROMIUM} is not installed`;
}

export interface TestBrowser {
  context: BrowserContext;
  /** URLs the browser tried to reach outside loopback (refused). */
  refused: string[];
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 800, height: 700 }): Promise<TestBrowser> {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(join(tmpdir(), 'kassa-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
  });
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    refused.push(url.href);
    return route.abort();
  });
  return {
    context,
    refused,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
