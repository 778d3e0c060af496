// `prisma generate` never runs the native schema engine, but looks for it unless one is named:
// point it at an existing file so that generation works offline (see ../shared/OFFLINE.md).
import { spawnSync } from 'node:child_process';

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
