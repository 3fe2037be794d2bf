/**
 * Vitest global setup for the e2e tier: makes sure the browser the web-page test drives is there.
 * It is Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium); on a fresh machine where it
 * is missing and the tests run as root with apt, it is installed once (`apt-get install chromium`,
 * about a minute). Otherwise the setup fails with what to do: the browser test is never skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default function setup(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get') && !process.env.CHROMIUM_PATH;
  if (!canInstall) {
    throw new Error(
      `The web-page test needs Chromium at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  console.log('Installing Debian chromium for the web-page test (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is missing`);
}
