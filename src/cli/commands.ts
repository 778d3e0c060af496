import { isAbsolute, resolve } from 'node:path';
import { isScope, SCOPES, type Scope } from '../auth/principal.js';
import { operatorSession } from '../app/session.js';
import type { LlmConfig } from '../llm/claude.js';
import { createTenant, listTenants } from '../db/admin.js';
import { createAnnIndex } from '../db/annIndex.js';
import type { Database } from '../db/database.js';
import { createAppLogin } from '../db/appLogin.js';
import { migrate } from '../db/migrate.js';
import { backfillEntities } from '../db/entityBackfill.js';
import { reembedMemories, type ReembedProgress } from '../db/reembed.js';
import { extractEntities } from '../memory/entities.js';
import type { Embedder } from '../embeddings/embedder.js';
import { diagnose } from './doctor.js';
import { importMemories } from './importMemories.js';
import {
  CommandError,
  UsageError,
  EmbeddingUnavailableError,
  ImportInterruptedError,
  MemgateError,
  NotFoundError,
  TenantNameError,
} from '../errors.js';
import { globalId } from '../app/ids.js';

/** 0, or 1 when doctor found a failing check, or 65 (EX_DATAERR) when import rejected lines. */
export function exitCodeOf(command: string, results: unknown[]): number {
  if (command === 'doctor' && results.some((finding) => (finding as { ok: boolean }).ok === false)) return 1;
  if (command === 'import' && results.some((summary) => (summary as { rejected: number }).rejected > 0)) return 65;
  return 0;
}

export interface CommandOptions {
  name?: string;
  tenant?: string;
  id?: string;
  scopes?: string;
  grace?: string;
  user?: string;
  /** roles: the login to create (DATABASE_APP_URL, never a command-line argument). */
  appUrl?: string;
  file?: string;
}

export interface CommandRequest {
  command: string;
  options: CommandOptions;
}

/** What a command may use: the privileged database path, the active embedding model, Claude's settings. */
export interface CommandTools {
  db: Database;
  embedder: Embedder;
  llm: Pick<LlmConfig, 'apiKey' | 'model'>;
  /** Inside a running gateway (admin socket): drop its cached key lookups after a revocation or rotation. */
  onKeysChanged?: () => void;
}

export type ProgressListener = (progress: ReembedProgress) => void;

export const COMMANDS = [
  'tenants create',
  'tenants list',
  'keys create',
  'keys list',
  'keys revoke',
  'keys rotate',
  'users export',
  'users erase',
  'import',
  'reembed',
  'entities',
  'index',
  'migrate',
  'roles',
  'doctor',
] as const;

/** Commands whose results go to a script or a person as one JSON document, not a table. */
export const DOCUMENT_COMMANDS = new Set(['users export']);

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'P2002';
}

function required(value: string | undefined, what: string, command: string): string {
  if (!value) throw new CommandError(`${command} needs ${what}`);
  return value;
}

async function tenantNamed(
  db: Database,
  name: string | undefined,
  command: string,
): Promise<{ id: string; name: string }> {
  const tenant = await db.prisma.tenant.findUnique({ where: { name: required(name, '--tenant <name>', command) } });
  if (!tenant) throw new CommandError(`No tenant named "${name}".`);
  return tenant;
}

function scopesOf(raw: string | undefined): Scope[] {
  if (!raw) return [...SCOPES];
  const scopes = raw.split(',').map((scope) => scope.trim().toUpperCase());
  const unknown = scopes.filter((scope) => !isScope(scope));
  if (unknown.length > 0) throw new UsageError(`Unknown scope ${unknown.join(', ')}: use ${SCOPES.join(', ')}.`);
  return scopes as Scope[];
}

/** Whole seconds of grace for a rotated key (default a day). */
function graceOf(raw: unknown): number {
  const grace = raw === undefined ? 24 * 60 * 60 : Number(raw);
  if (!Number.isInteger(grace) || grace < 0) throw new UsageError('--grace takes whole seconds (0 or more).');
  return grace;
}

/** Refuses option values that are wrong on their face (exit 64), before anything is opened. */
export function checkOptionValues(options: Record<string, unknown>): void {
  if (typeof options.scopes === 'string') scopesOf(options.scopes);
  if (options.grace !== undefined) graceOf(options.grace);
}

function endUser(raw: string | undefined, command: string): string {
  return required(raw, '--user <externalUserId>', command);
}

/** Refusals of a call (not found, invalid) become command errors with their code and message. */
async function refusalsAsErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof MemgateError) throw new CommandError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/** Runs one administrative command; each result is one line of output (a JSON line with --json). */
export async function runCommand(
  { db, embedder, llm, onKeysChanged = () => {} }: CommandTools,
  { command, options }: CommandRequest,
  onProgress: ProgressListener = () => {},
): Promise<unknown[]> {
  const prisma = db.prisma;
  // Commands about one tenant's keys and end users are calls of the application layer, as the operator.
  const session = async () =>
    operatorSession({ db, embedder, onKeysChanged }, await tenantNamed(db, options.tenant, command));
  switch (command) {
    case 'tenants create': {
      const name = required(options.name, '--name <name>', command);
      try {
        return [await createTenant(prisma, name)];
      } catch (error) {
        if (error instanceof TenantNameError) throw new CommandError(error.message);
        if (isUniqueViolation(error)) throw new CommandError(`A tenant named "${name}" already exists.`);
        throw error;
      }
    }
    case 'tenants list':
      return (await listTenants(prisma)).map((tenant) => ({
        tenantId: tenant.id,
        name: tenant.name,
        createdAt: tenant.createdAt,
      }));
    case 'keys create': {
      const { tenant } = await session();
      const { apiKey, key } = await refusalsAsErrors(() =>
        tenant.createApiKey(required(options.name, '--name <key name>', command), scopesOf(options.scopes)),
      );
      return [{ apiKey, keyId: globalId('ApiKey', key.id), name: key.name, scopes: key.scopes }];
    }
    case 'keys list':
      return (await (await session()).tenant.apiKeys()).map((key) => ({
        keyId: globalId('ApiKey', key.id),
        name: key.name,
        prefix: key.prefix,
        scopes: key.scopes,
        createdAt: key.createdAt,
        lastUsedAt: key.lastUsedAt,
        revokedAt: key.revokedAt,
        expiresAt: key.expiresAt,
      }));
    case 'keys revoke': {
      const { tenant } = await session();
      const key = await refusalsAsErrors(() => tenant.revokeApiKey(required(options.id, '--id <key id>', command)));
      return [{ keyId: globalId('ApiKey', key.id), name: key.name, revokedAt: key.revokedAt }];
    }
    case 'keys rotate': {
      const { tenant } = await session();
      const grace = graceOf(options.grace);
      const old = required(options.id, '--id <key id>', command);
      const { apiKey, key } = await refusalsAsErrors(() => tenant.rotateApiKey(old, grace));
      return [
        { apiKey, keyId: globalId('ApiKey', key.id), name: key.name, replaces: old, oldKeyExpiresInSeconds: grace },
      ];
    }
    case 'users export': {
      const { memories } = await session();
      const exported = await memories.export(endUser(options.user, command)).catch((error: unknown) => {
        if (error instanceof NotFoundError)
          throw new CommandError(`Tenant "${options.tenant}" has no end user "${options.user}".`);
        throw error;
      });
      return [exported];
    }
    case 'users erase': {
      const { memories } = await session();
      return [await refusalsAsErrors(() => memories.erase(endUser(options.user, command)))];
    }
    case 'import': {
      const given = required(options.file, '--file <path.jsonl>', command);
      // Absolute: through the admin socket, the running gateway opens the file.
      const file = isAbsolute(given) ? given : resolve(given);
      try {
        const tenant = await tenantNamed(db, options.tenant, command);
        const sessionOf = () => operatorSession({ db, embedder, onKeysChanged }, tenant);
        return [await importMemories(sessionOf, file, onProgress)];
      } catch (error) {
        if (error instanceof ImportInterruptedError) throw new CommandError(error.message);
        throw error;
      }
    }
    case 'reembed': {
      const tenant = options.tenant ? await prisma.tenant.findUnique({ where: { name: options.tenant } }) : null;
      if (options.tenant && !tenant) throw new CommandError(`No tenant named "${options.tenant}".`);
      let progress: ReembedProgress = { done: 0, total: 0 };
      try {
        const summary = await reembedMemories(prisma, embedder, {
          tenantId: tenant?.id,
          onProgress: (next) => onProgress((progress = next)),
        });
        return [{ ...summary, tenant: tenant?.name ?? null, dimensions: embedder.dimensions }];
      } catch (error) {
        if (!(error instanceof EmbeddingUnavailableError)) throw error;
        throw new CommandError(
          `${error.message} ${progress.done} of ${progress.total} done; run reembed again to resume.`,
        );
      }
    }
    case 'entities': {
      const tenant = options.tenant ? await prisma.tenant.findUnique({ where: { name: options.tenant } }) : null;
      if (options.tenant && !tenant) throw new CommandError(`No tenant named "${options.tenant}".`);
      const summary = await backfillEntities(prisma, extractEntities, { tenantId: tenant?.id, onProgress });
      return [{ ...summary, tenant: tenant?.name ?? null }];
    }
    case 'index': {
      const dimensions = embedder.dimensions || (await embedder.embed(['dimension probe']))[0].length;
      return [{ ...(await createAnnIndex(db, embedder.modelId, dimensions)), model: embedder.modelId, dimensions }];
    }
    case 'migrate': {
      const applied = await migrate(db);
      return [{ applied: applied.length, migrations: applied.join(', ') || 'none: the database is up to date' }];
    }
    case 'roles': {
      if (db.kind !== 'postgres')
        throw new CommandError('roles sets up PostgreSQL logins; the embedded database has one in-process user.');
      if (!options.appUrl)
        throw new CommandError(
          'Set DATABASE_APP_URL to the login to create (postgres://memgate_gateway:PASSWORD@host/db).',
        );
      const { role, created } = await createAppLogin(db.prisma, options.appUrl);
      return [{ role, created, rules: 'LOGIN NOINHERIT, not superuser, no BYPASSRLS, may only SET ROLE memgate_app' }];
    }
    case 'doctor':
      return diagnose(db, embedder, llm);
    default:
      throw new CommandError(`Unknown command: ${command}`);
  }
}
