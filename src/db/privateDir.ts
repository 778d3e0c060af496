import fs from 'node:fs';
import { join, resolve, sep } from 'node:path';

const privateDirs = new Set<string>();
let chmodGuarded = false;

/**
 * PGlite's file layer (emscripten's NODEFS) creates every file with an explicit chmod to 0666,
 * whatever the umask. For paths inside a private data directory, that chmod keeps the owner's
 * bits only. (It calls chmodSync through the shared `fs` module object, where this wraps it.)
 */
function guardChmod(): void {
  if (chmodGuarded) return;
  chmodGuarded = true;
  const original = fs.chmodSync;
  fs.chmodSync = (path: fs.PathLike, mode: fs.Mode) => {
    const numeric = typeof mode === 'string' ? parseInt(mode, 8) : mode;
    const target = resolve(String(path));
    const inside = [...privateDirs].some((dir) => target === dir || target.startsWith(dir + sep));
    original(path, inside ? numeric & 0o700 : mode);
  };
}

/**
 * The embedded store holds every tenant's memories in plain files (and their text in the WAL):
 * only the owner may read them. Sets the process umask to 077, keeps PGlite from opening the
 * files it creates to others (guardChmod), creates the directory 0700, and takes group and other
 * permissions off everything already inside it. Returns how many entries had to be tightened.
 */
export function makeDataDirPrivate(dir: string): number {
  const root = resolve(dir);
  process.umask(0o077);
  privateDirs.add(root);
  guardChmod();
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  let tightened = 0;
  const visit = (path: string) => {
    const stat = fs.lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) {
      fs.chmodSync(path, stat.mode & 0o700);
      tightened++;
    }
    if (stat.isDirectory()) for (const entry of fs.readdirSync(path)) visit(join(path, entry));
  };
  visit(root);
  return tightened;
}
