import { createTenant, listTenants, TenantNameError } from '../db/admin.js';
import { createAnnIndex } from '../db/annIndex.js';
import type { Database } from '../db/database.js';
import { reembedMemories, type ReembedProgress } from '../db/reembed.js';
import type { Embedder } from '../embeddings/embedder.js';
import { EmbeddingUnavailableError } from '../memory/errors.js';

/** A refusal to show the person at the command line (bad arguments, a taken name, …). */
export class CommandError extends Error {}

export interface CommandRequest {
  command: string;
  options: { name?: string; tenant?: string };
}

/** What a command may use: the privileged database path and the active embedding model. */
export interface CommandTools {
  db: Database;
  embedder: Embedder;
}

export type ProgressListener = (progress: ReembedProgress) => void;

export const COMMANDS = ['tenants create', 'tenants list', 'reembed', 'index'] as const;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'P2002';
}

/** Runs one administrative command; each result is printed as one JSON line. */
export async function runCommand(
  { db, embedder }: CommandTools,
  { command, options }: CommandRequest,
  onProgress: ProgressListener = () => {},
): Promise<unknown[]> {
  const prisma = db.prisma;
  switch (command) {
    case 'tenants create': {
      if (!options.name) throw new CommandError('tenants create needs --name <name>');
      try {
        return [await createTenant(prisma, options.name)];
      } catch (error) {
        if (error instanceof TenantNameError) throw new CommandError(error.message);
        if (isUniqueViolation(error)) throw new CommandError(`A tenant named "${options.name}" already exists.`);
        throw error;
      }
    }
    case 'tenants list':
      return (await listTenants(prisma)).map((tenant) => ({ tenantId: tenant.id, name: tenant.name, createdAt: tenant.createdAt }));
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
        throw new CommandError(`${error.message} ${progress.done} of ${progress.total} done; run reembed again to resume.`);
      }
    }
    case 'index': {
      const dimensions = embedder.dimensions || (await embedder.embed(['dimension probe']))[0].length;
      return [{ ...(await createAnnIndex(db, embedder.modelId, dimensions)), model: embedder.modelId, dimensions }];
    }
    default:
      throw new CommandError(`Unknown command: ${command}`);
  }
}
