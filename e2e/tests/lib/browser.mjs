// Debian's Chromium driven by playwright-core (a test tool's own browser download is not used).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HERE = new URL('.', import.meta.url).pathname;

/** Where screenshots go: $SEXTANT_UI_SCREENSHOTS (e.g. docs/ui) or e2e/target/screenshots. */
export const SCREENSHOTS = resolve(process.env.SEXTANT_UI_SCREENSHOTS ?? join(HERE, '../../target/screenshots'));
export const RESULTS = resolve(join(HERE, '../../target'));

export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  // Playwright gives each launch a fresh temporary --user-data-dir and adds --headless itself.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page that records what a test must be able to assert on afterwards: script dialogs, page
 * errors, Content-Security-Policy violations and every request made.
 */
export async function watchedPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const page = await context.newPage();
  const seen = { dialogs: [], pageErrors: [], requests: [], consoleErrors: [] };
  page.on('dialog', async (d) => {
    seen.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('pageerror', (e) => seen.pageErrors.push(e.message));
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.consoleErrors.push(m.text());
  });
  return { context, page, seen };
}

export function shot(page, name, options = {}) {
  return page.screenshot({ path: join(SCREENSHOTS, name), ...options });
}
