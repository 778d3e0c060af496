import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { DataDirInUseError } from '../db/lock.js';
import { openConfiguredDatabase } from '../db/open.js';
import { createEmbedder } from '../embeddings/fromConfig.js';
import { callAdminSocket } from './adminSocket.js';
import { COMMANDS, runCommand, type CommandRequest, type ProgressListener } from './commands.js';
import { progressBar } from './progress.js';

const usage = `Usage: memgate <command>

  tenants create --name <name>   Create a tenant; prints {"tenantId","apiKey"} (the key is shown only once)
  tenants list                   One JSON line per tenant
  reembed [--tenant <name>]      Give every memory (of one tenant, or all) a vector from the active
                                 embedding model (EMBEDDINGS_* variables); resumable, progress on stderr
  index                          Build the HNSW index of the active embedding model (approximate
                                 search for end users with very many memories; see docs/scaling.md)

Uses DATABASE_URL when set, else the embedded database in MEMGATE_DATA_DIR (default ./.memgate).
While a gateway runs on the embedded database, commands go through that gateway.`;

class UsageError extends Error {}

async function execute(request: CommandRequest, onProgress: ProgressListener): Promise<unknown[]> {
  const config = loadConfig();
  try {
    const db = await openConfiguredDatabase(config);
    const embedder = createEmbedder(config);
    try {
      return await runCommand({ db, embedder }, request, onProgress);
    } finally {
      await Promise.all([db.close(), embedder.close?.()]);
    }
  } catch (error) {
    if (!(error instanceof DataDirInUseError)) throw error;
    // The running gateway does the work, with its own embedding model.
    const results = await callAdminSocket(resolve(config.dataDir), request, onProgress);
    if (results === undefined) throw error;
    return results;
  }
}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, tenant: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.join(' ');
  if (values.help || command === '') {
    console.log(usage);
    return;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) throw new UsageError(`Unknown command: ${command}`);
  const bar = progressBar(command);
  const results = await execute({ command, options: { name: values.name, tenant: values.tenant } }, (progress) => bar.update(progress));
  bar.end();
  for (const result of results) console.log(JSON.stringify(result));
}

run(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(error instanceof UsageError ? `memgate: ${message}\n\n${usage}` : `memgate: ${message}`);
  if (process.env.MEMGATE_DEBUG && error instanceof Error) console.error(error.stack);
  process.exit(error instanceof UsageError ? 64 : 1);
});
