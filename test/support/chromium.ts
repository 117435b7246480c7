// Debian's Chromium for the page tests, driven by playwright-core (a test tool's own browser download
// cannot reach its servers from these machines). Offline by construction: every host name but the
// loopback resolves to nothing, and Chrome's background services are off, so a page can only reach
// the service under test.
import { type Browser, chromium, type Page } from 'playwright-core';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
}

/**
 * Holds back the page's first request matching `pattern` until its answer, once let through, is
 * received: the page's script sees that answer arrive after later ones (a slow network). Resolves
 * `answered` when the held answer has reached the page.
 */
export async function answerFirstLate(page: Page, pattern: string, delayMs = 600) {
  let held = false;
  let reached: () => void = () => {};
  const answered = new Promise<void>((resolve) => {
    reached = resolve;
  });
  await page.route(pattern, async (route) => {
    if (held) return route.continue();
    held = true;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const request = route.request();
    void page.waitForResponse((r) => r.request() === request).then(() => reached());
    await route.continue();
  });
  return {
    /** The held answer has arrived and the page's script has had its turn with it. */
    async answered() {
      await answered;
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    },
  };
}
