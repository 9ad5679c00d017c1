/** Headless Debian chromium for the inventory's browser tests (installed by ensure-chromium.sh when missing). */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';

/** Path of the browser, installing it quietly when missing. */
export function ensureChromium(): string {
  return execFileSync('sh', [path.join(__dirname, 'ensure-chromium.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 }).trim();
}

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox'], timeout: 60_000 });
}
