import DataLoader from 'dataloader';
import type { Principal } from './auth/principal.js';
import { ScopedDatabase } from './db/scope.js';
import type { Embedder } from './embeddings/embedder.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { TenantDirectory } from './memory/tenantDirectory.js';
import { UserMemories, type EmbedFunction } from './memory/userMemories.js';
import { normalizeExternalUserId } from './memory/validate.js';

export interface Services {
  prisma: PrismaClient;
  embedder: Embedder;
}

/** Per-request context: the caller, and the only doors to data (forUser, tenant). */
export interface Context {
  principal: Principal;
  /** The given end user's memories, scoped to this tenant; validates and normalises the identifier. */
  forUser(externalUserId: string): UserMemories;
  tenant: TenantDirectory;
}

/** Embeds every text asked for in one tick of a request as one batch. */
function batchedEmbedder(embedder: Embedder): EmbedFunction {
  const loader = new DataLoader<string, number[]>((texts) => embedder.embed([...texts]), { maxBatchSize: 100 });
  const embed = async (texts: string[]) => {
    const vectors = await loader.loadMany(texts);
    const failure = vectors.find((vector): vector is Error => vector instanceof Error);
    if (failure) throw failure;
    return vectors as number[][];
  };
  return Object.assign(embed, { modelId: embedder.modelId });
}

export function createContext(services: Services, principal: Principal): Context {
  const embed = batchedEmbedder(services.embedder);
  const users = new Map<string, UserMemories>();
  return {
    principal,
    forUser(rawExternalUserId) {
      const externalUserId = normalizeExternalUserId(rawExternalUserId);
      let memories = users.get(externalUserId);
      if (!memories) {
        memories = new UserMemories(new ScopedDatabase(services.prisma, { tenantId: principal.tenantId, externalUserId }), embed);
        users.set(externalUserId, memories);
      }
      return memories;
    },
    tenant: new TenantDirectory(new ScopedDatabase(services.prisma, { tenantId: principal.tenantId })),
  };
}
