// One Chromium per test file and a fresh context (cookies, localStorage) per test; a failing test
// leaves a full-page screenshot under test-results/screenshots/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, saveScreenshot } from './pages.js';

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
}

export function useBrowser(viewport = { width: 1280, height: 900 }): BrowserSession {
  const session = {} as { browser: Browser; context: BrowserContext; page: Page };
  beforeAll(async () => {
    session.browser = await launchBrowser();
  });
  afterAll(async () => {
    await session.browser?.close();
  });
  beforeEach(async () => {
    session.context = await session.browser.newContext({ viewport });
    session.page = await session.context.newPage();
  });
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await saveScreenshot(session.page, `failed-${task.name}`, { fullPage: true }).catch(() => {});
    await session.context?.close();
  });
  return session;
}

/** Records `securitypolicyviolation` events from the page's first script on; read the array at any time. */
export async function recordCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeBinding('__reportCsp', (_source, text: string) => void violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __reportCsp: (text: string) => void }).__reportCsp;
      report(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`);
    });
  });
  return violations;
}
