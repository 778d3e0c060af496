import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openConfiguredDatabase } from '../db/open.js';
import { createEmbedder } from '../embeddings/fromConfig.js';
import { callAdminSocket } from './adminSocket.js';
import {
  checkOptionValues,
  COMMANDS,
  exitCodeOf,
  runCommand,
  type CommandRequest,
  type ProgressListener,
} from './commands.js';
import { formatHuman } from './output.js';
import { progressBar } from './progress.js';
import { DataDirInUseError, UsageError } from '../errors.js';

const usage = `Usage: memgate <command> [options] [--json]

  tenants create --name <name>          Create a tenant and its first API key (shown only once)
  tenants list
  keys create --tenant <t> --name <n> [--scopes READ,WRITE,ADMIN]
                                        A new API key (all scopes unless --scopes)
  keys list --tenant <t>
  keys revoke --tenant <t> --id <key id>
  keys rotate --tenant <t> --id <key id> [--grace <seconds>]
                                        A replacement key; the old one works for the grace period
                                        (default 86400 s, at most 7 days)
  users export --tenant <t> --user <externalUserId>
                                        Everything stored about one end user, as JSON
  users erase --tenant <t> --user <externalUserId> [--yes]
                                        Delete every row of one end user (GDPR erasure); asks
                                        first unless --yes
  import --tenant <t> --file <memories.jsonl>
                                        One memory per line: {"externalUserId","content",
                                        "metadata"?,"tags"?,"expiresAt"?,"occurredAt"?,
                                        "threadId"?}; keeps each memory's own date and
                                        thread (a chat's lines in order); resumable, progress on
                                        stderr, rejected lines listed with their reasons
  reembed [--tenant <t>]                Re-embed memories with the active model; resumable
  entities [--tenant <t>]               Find the entities of memories stored before Memgate read
                                        them at ingest; resumable
  index                                 Build the HNSW index of the active model (docs/scaling.md)
  migrate                               Apply pending database migrations
  roles                                 Create the PostgreSQL login DATABASE_APP_URL names (or bring
                                        it to the rules): end users' work runs on it, unprivileged
  doctor                                Check the database, pgvector, row-level security, the
                                        embedding model and the LLM settings

  --json    one JSON object per line on stdout, for scripts

Exit codes: 0 done; 1 failed (or doctor found a problem); 64 bad usage; 65 import rejected lines.
Uses DATABASE_URL when set, else the embedded database in MEMGATE_DATA_DIR (default ./.memgate).
While a gateway runs on the embedded database, commands go through that gateway.`;

/** A command's lines of the usage text: its synopsis, and its description below it. */
function usageOf(command: string): string {
  const lines = usage.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  ${command} `) || line === `  ${command}`);
  if (start < 0) return usage;
  const end = lines.findIndex((line, i) => i > start && !/^ {40}/.test(line));
  return `Usage: memgate ${lines.slice(start, end).join('\n').trim()}`;
}

/** The options a command's synopsis names outside [brackets]: checked before anything runs. */
function requiredOptions(command: string): string[] {
  const synopsis = usageOf(command)
    .split('\n')[0]
    .split(/ {2,}/)[0]
    .replace(/\[[^\]]*\]/g, '');
  return [...synopsis.matchAll(/--([a-z]+)/g)].map((match) => match[1]);
}

/** Refuses what can be told wrong from the command line alone: exit 64, with that command's usage. */
function checkUsage(command: string, options: Record<string, unknown>): void {
  if (!(COMMANDS as readonly string[]).includes(command)) {
    const subcommands = COMMANDS.filter((known) => known.startsWith(`${command} `)).map((known) =>
      known.slice(command.length + 1),
    );
    if (subcommands.length > 0) {
      throw new UsageError(
        `${command} needs one of: ${subcommands.join(', ')}.`,
        COMMANDS.filter((known) => known.startsWith(`${command} `))
          .map(usageOf)
          .join('\n'),
      );
    }
    throw new UsageError(`Unknown command: ${command}`);
  }
  const missing = requiredOptions(command).filter((name) => options[name] === undefined || options[name] === '');
  if (missing.length > 0)
    throw new UsageError(`${command} needs ${missing.map((name) => `--${name}`).join(' and ')}.`, usageOf(command));
  try {
    checkOptionValues(options);
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(error.message, usageOf(command));
    throw error;
  }
}

/** users erase deletes for good: a person confirms by typing the user id; scripts pass --yes. */
async function confirmErasure(options: Record<string, unknown>): Promise<void> {
  if (options.yes) return;
  if (!process.stdin.isTTY)
    throw new UsageError('users erase deletes for good: pass --yes to confirm.', usageOf('users erase'));
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(
    `Erase every row of "${String(options.user)}" in tenant "${String(options.tenant)}"? Type the user id to confirm: `,
  );
  prompt.close();
  if (answer.trim() !== String(options.user).trim()) throw new Error('Not confirmed: nothing was erased.');
}

/** Opening the database applies migrations, except for the commands that report or apply them. */
const REPORTS_MIGRATIONS = new Set(['migrate', 'doctor']);

async function execute(request: CommandRequest, onProgress: ProgressListener): Promise<unknown[]> {
  const loaded = loadConfig();
  // `roles` creates the login DATABASE_APP_URL names: it cannot log in with it yet.
  const config = request.command === 'roles' ? { ...loaded, databaseAppUrl: undefined } : loaded;
  if (request.command === 'roles') request.options.appUrl = loaded.databaseAppUrl;
  try {
    const db = await openConfiguredDatabase(config, { migrate: !REPORTS_MIGRATIONS.has(request.command) });
    const embedder = createEmbedder(config);
    try {
      return await runCommand({ db, embedder, llm: config.llm }, request, onProgress);
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

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        tenant: { type: 'string' },
        id: { type: 'string' },
        scopes: { type: 'string' },
        grace: { type: 'string' },
        user: { type: 'string' },
        file: { type: 'string' },
        json: { type: 'boolean' },
        yes: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { positionals, values } = parsed;
  const command = positionals.join(' ');
  if (values.help || command === '') {
    console.log(usage);
    return 0;
  }
  const { json, help: _, yes, ...options } = values;
  checkUsage(command, options);
  if (command === 'users erase') await confirmErasure({ ...options, yes });
  const bar = progressBar(command);
  const results = await execute({ command, options }, (progress) => bar.update(progress));
  bar.end();
  if (json) for (const result of results) console.log(JSON.stringify(result));
  else console.log(formatHuman(command, results));
  return exitCodeOf(command, results);
}

// `memgate users export ... | head` closes the pipe early: not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      error instanceof UsageError ? `memgate: ${message}\n\n${error.help ?? usage}` : `memgate: ${message}`,
    );
    if (process.env.MEMGATE_DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = error instanceof UsageError ? 64 : 1;
  },
);
