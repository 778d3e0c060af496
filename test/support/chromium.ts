import { existsSync } from 'node:fs';

/** Debian's chromium package (.ci/run installs it); elsewhere set CHROMIUM_PATH. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const available = existsSync(chromiumPath);
if (!available && process.env.CI) throw new Error(`CI needs Chromium at ${chromiumPath} (apt-get install chromium).`);

/** `describe` where Chromium is installed (always in CI); skipped elsewhere. */
export const browserSuite = available ? describe : describe.skip;
