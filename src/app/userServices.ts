import DataLoader from 'dataloader';
import type { MemoryPubSub, Services } from '../context.js';
import { ScopedDatabase } from '../db/scope.js';
import type { Embedder } from '../embeddings/embedder.js';
import type { Usage } from '../llm/claude.js';
import { relationReader } from '../memory/relations.js';
import { UserConversations } from '../memory/conversations.js';
import { UserEntities } from '../memory/userEntities.js';
import { UserMemories, type EmbedFunction } from '../memory/userMemories.js';
import type { ChangeActor } from '../model.js';

export function memoryTopic(tenantId: string, externalUserId: string): string {
  return `${tenantId}:${externalUserId}`;
}

/** Embeds every text asked for in one tick of a request as one batch. */
export function batchedEmbedder(embedder: Embedder): EmbedFunction {
  const loader = new DataLoader<string, number[]>((texts) => embedder.embed([...texts]), { maxBatchSize: 100 });
  const embed = async (texts: string[]) => {
    const vectors = await loader.loadMany(texts);
    const failure = vectors.find((vector): vector is Error => vector instanceof Error);
    if (failure) throw failure;
    return vectors as number[][];
  };
  return Object.assign(embed, { modelId: embedder.modelId });
}

export interface UserServices {
  memories: UserMemories;
  conversations: UserConversations;
  entities: UserEntities;
}

type Composition = Pick<
  Services,
  'prisma' | 'appPrisma' | 'readScoped' | 'writeScoped' | 'citus' | 'annIndexes' | 'claude'
> & {
  jobLeaseMs: number;
  pubsub?: Pick<MemoryPubSub, 'publish'>;
};

/**
 * One end user's memories and conversations, in their scope: for a call, the job runner or an import.
 * Their changes are published to the end user's subscribers once they commit.
 */
export function userServices(
  services: Composition,
  tenantId: string,
  externalUserId: string,
  embed: EmbedFunction,
  { onModelUsage, actor }: { onModelUsage?: (spent: Usage[]) => void; actor?: ChangeActor } = {},
): UserServices {
  const db = new ScopedDatabase(services.appPrisma ?? services.prisma, { tenantId, externalUserId }, services);
  const topic = memoryTopic(tenantId, externalUserId);
  const memories = new UserMemories(db, embed, {
    onEvents: (events) => events.forEach((event) => services.pubsub?.publish('memoryEvents', topic, event)),
    hasAnnIndex: (model, dimensions) => services.annIndexes?.has(model, dimensions) ?? false,
    actor,
    readRelations: relationReader(services.claude, async (spent) => {
      await memories.recordUsage('addMemory', spent);
      onModelUsage?.(spent);
    }),
  });
  const conversations = new UserConversations(db, memories, services.claude, {
    leaseMs: services.jobLeaseMs,
    onUsage: onModelUsage,
  });
  return { memories, conversations, entities: new UserEntities(db, { tenantId, externalUserId }) };
}
