import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../src/db/admin.js';
import { openDatabase } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';

/** Paths under `dir` that someone other than the owner may read, write or enter. */
function openToOthers(dir: string): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) found.push(`${path} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
  };
  visit(dir);
  return found;
}

describe('the embedded data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'memgate-private-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('is private to its owner, and an existing one left open to others is tightened and reported', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(join(dataDir, 'old'), { recursive: true });
    writeFileSync(join(dataDir, 'old', 'notes'), 'written by an older version');
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'old'), 0o777);
    chmodSync(join(dataDir, 'old', 'notes'), 0o666);
    const notices: string[] = [];
    const db = await openDatabase({ kind: 'pglite', dataDir, onNotice: (message) => notices.push(message) });
    try {
      await migrate(db);
      // Memory text lands in the WAL and the heap files: none may be readable by others.
      const { tenantId } = await createTenant(db.prisma, 'acme');
      await db.prisma
        .$executeRaw`INSERT INTO end_users (tenant_id, external_user_id) VALUES (${tenantId}::uuid, 'kelly')`;
    } finally {
      await db.close();
    }
    expect(notices).toEqual([expect.stringMatching(/^Made 3 files and directories of .* private to their owner/)]);
    expect(openToOthers(dataDir)).toEqual([]);
    expect(lstatSync(join(dataDir, 'old', 'notes')).mode & 0o777).toBe(0o600);

    const again: string[] = [];
    await (await openDatabase({ kind: 'pglite', dataDir, onNotice: (message) => again.push(message) })).close();
    expect(again).toEqual([]);
  });
});
