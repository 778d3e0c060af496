// `npm run build`: TypeScript to dist/ (incremental), plus the files tsc does not copy.
import { spawnSync } from 'node:child_process';
import { cpSync } from 'node:fs';

const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
cpSync('src/embeddings/localModelWorker.mjs', 'dist/embeddings/localModelWorker.mjs');
