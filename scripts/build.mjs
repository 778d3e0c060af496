// `npm run build`: TypeScript to dist/ (incremental), the files tsc does not copy, and the memory
// explorer's page bundled for browsers (dist/explorer/assets).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The newest modification time among these files and the files under these folders. */
function newest(paths) {
  let latest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) latest = Math.max(latest, newest(readdirSync(path).map((name) => join(path, name))));
    else latest = Math.max(latest, stat.mtimeMs);
  }
  return latest;
}
const builtAt = (file) => (existsSync(file) ? statSync(file).mtimeMs : 0);
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];

// Nothing changed since the last build (npm start runs this first): start at once.
const explorerBuilt = builtAt('dist/explorer/assets/app.js');
if (newest(inputs) < Math.min(builtAt('dist/.tsbuildinfo'), explorerBuilt || Infinity) && builtAt('dist/main.js'))
  process.exit(0);

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync('src/embeddings/localModelWorker.mjs', 'dist/embeddings/localModelWorker.mjs');

// esbuild and React are development dependencies: an install without them serves no explorer.
const esbuild = await import('esbuild').catch(() => undefined);
if (!esbuild) {
  console.warn('esbuild is not installed (npm ci --omit=dev?): the memory explorer is not built.');
} else {
  const assets = 'dist/explorer/assets';
  mkdirSync(assets, { recursive: true });
  await esbuild.build({
    entryPoints: { app: 'src/explorer/ui/main.tsx' },
    outdir: assets,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'external', // React's licence notices, in app.js.LEGAL.txt
    logLevel: 'warning',
  });
  cpSync('src/explorer/ui/index.html', `${assets}/index.html`);
  cpSync('src/explorer/ui/app.css', `${assets}/app.css`);
  const size = (file) => {
    const bytes = readFileSync(`${assets}/${file}`);
    return `${file} ${(bytes.length / 1024).toFixed(1)} KB (${(gzipSync(bytes).length / 1024).toFixed(1)} KB gzipped)`;
  };
  console.log(`Memory explorer built: ${size('app.js')}, ${size('app.css')}.`);
}
