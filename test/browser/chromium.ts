// Finds Debian's Chromium for the browser tests: missing outside CI skips them with a message, missing in CI fails.

import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Chromium is looked for: $PAPERMAP_CHROMIUM alone when set, else the Debian package's paths. */
export const CHROMIUM_PATHS = process.env.PAPERMAP_CHROMIUM ? [process.env.PAPERMAP_CHROMIUM] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary, or undefined. */
export function chromiumPath(): string | undefined {
  return CHROMIUM_PATHS.find((p) => existsSync(p));
}

/** True when the browser tests should run; prints why not when they are skipped, and throws in CI. */
export function browserAvailable(): boolean {
  if (chromiumPath()) return true;
  const message = `browser tests need Chromium at ${CHROMIUM_PATHS.join(' or ')}; install it with: apt-get install chromium`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true, so a missing browser is a failure)`);
  console.warn(`SKIPPED: ${message}`);
  return false;
}

/** Launches headless Chromium with no network side-traffic. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}
