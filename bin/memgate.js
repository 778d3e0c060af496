#!/usr/bin/env node
// The command line, compiled (npm install and npm start build dist/; `npm run build` after editing src/).
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error('memgate: dist/ is missing: run `npm run build` (npm install does it).');
  process.exit(70);
}
await import(compiled.href);
