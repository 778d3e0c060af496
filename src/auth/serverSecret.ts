import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config.js';

/**
 * The secret that signs end-user tokens: MEMGATE_SECRET when set; with the embedded database, one
 * generated once and kept in the data directory (owner-only); otherwise a random one for this
 * process, with a warning, since tokens then die with the process and differ between replicas.
 */
export function resolveServerSecret(config: Config, warn: (message: string) => void = console.warn): string {
  if (config.secret) return config.secret;
  if (!config.databaseUrl) {
    const dir = resolve(config.dataDir);
    const path = join(dir, 'secret');
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, randomBytes(32).toString('base64url'), { mode: 0o600 });
    }
    return readFileSync(path, 'utf8').trim();
  }
  warn('MEMGATE_SECRET is not set: end-user tokens will stop working when this process stops. Set it in production.');
  return randomBytes(32).toString('base64url');
}
