// Debian's Chromium driven by playwright-core, with a fresh profile per launch.

import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { requireProgram } from './tools';

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Small enough to look at, large enough for the workbench's panels. */
export const VIEWPORT = { width: 1280, height: 800 };

// Every frame (the workbench and each webview) records what it writes to the clipboard,
// so "copy as text" can be checked without a real clipboard in headless Chromium.
const RECORD_CLIPBOARD = `(() => {
  const clipboard = navigator.clipboard;
  if (!clipboard) return;
  window.__mmlensClipboard = [];
  const writeText = clipboard.writeText.bind(clipboard);
  clipboard.writeText = (text) => {
    window.__mmlensClipboard.push(String(text));
    return writeText(text).catch(() => undefined);
  };
})();`;

export async function launchBrowser(): Promise<BrowserSession> {
  const executablePath = requireProgram('chromium', 'chromium');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: FLAGS, timeout: 60_000 });
  } catch (error) {
    throw new Error(`Chromium (${executablePath}) did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await context.addInitScript(RECORD_CLIPBOARD);
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}

/** Everything any frame of the page wrote to the clipboard, oldest first. */
export async function clipboardWrites(page: Page): Promise<string[]> {
  const writes: string[] = [];
  for (const frame of page.frames()) {
    const recorded = await frame.evaluate('window.__mmlensClipboard || []').catch(() => []);
    if (Array.isArray(recorded)) writes.push(...recorded.map(String));
  }
  return writes;
}
