import { Prisma } from '../generated/prisma/client.js';
import { eventColumns, storedColumns } from '../db/memoryColumns.js';
import { MemoryStore } from '../db/memoryStore.js';
import { END_USER_DATA, enqueueUserEvent, eraseDeliveriesSql, userDeliveriesSql } from '../db/webhookSql.js';
import { setLocalSql, type ScopedDatabase } from '../db/scope.js';
import { scopeOf } from '../db/scopeSql.js';
import type { MemoryEventRecord, MemoryRecord } from '../model.js';

export interface ErasureReceipt {
  externalUserId: string;
  memoriesDeleted: number;
  historyEventsDeleted: number;
  idempotencyKeysDeleted: number;
  /** Rows removed, per table (every table that holds end-user rows). */
  tables: { table: string; rows: number }[];
  erasedAt: Date;
}

type StoredMemory = MemoryRecord & { deletedAt: Date | null };
type UsageRow = {
  operation: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  modelMs: number;
  createdAt: Date;
};

/** GDPR: everything stored about one end user, to export or to erase. */
export class EndUserData {
  constructor(
    private readonly db: ScopedDatabase,
    private readonly externalUserId: string,
  ) {}

  private get key() {
    return { tenantId: this.db.scope.tenantId, externalUserId: this.externalUserId };
  }

  /** The one hard delete. Removes every row of this end user and says what it removed. */
  async erase(): Promise<ErasureReceipt> {
    return this.db.transaction(async (tx) => {
      const erased = await MemoryStore.erase(tx, this.key);
      const erasedAt = new Date();
      // The outbox's copies go too; the tenant's endpoints hear of the erasure (by identifier only).
      await tx.$executeRawUnsafe(setLocalSql(END_USER_DATA));
      const deliveries = await tx.$executeRaw(eraseDeliveriesSql(this.key));
      await enqueueUserEvent(tx, this.key, 'end_user.erased', { erasedAt });
      return {
        externalUserId: this.externalUserId,
        memoriesDeleted: erased.memories,
        historyEventsDeleted: erased.memory_events,
        idempotencyKeysDeleted: erased.idempotency_keys,
        tables: [
          ...Object.entries(erased).map(([table, rows]) => ({ table, rows })),
          { table: 'webhook_deliveries', rows: deliveries },
        ],
        erasedAt,
      };
    });
  }

  /** Everything stored about this end user, retired memories and history included, as one document (one round trip). */
  async export(): Promise<Record<string, unknown> | null> {
    const user = scopeOf(this.key);
    const [
      [endUser],
      memories,
      history,
      idempotencyKeys,
      conversations,
      usage,
      webhookDeliveries,
      entities,
      mentions,
      relations,
    ] = await this.db.read<
      [
        { createdAt: Date; lastActivityAt: Date }[],
        StoredMemory[],
        MemoryEventRecord[],
        unknown[],
        unknown[],
        UsageRow[],
        unknown[],
        unknown[],
        unknown[],
        unknown[],
      ]
    >(
      [
        Prisma.sql`SELECT created_at AS "createdAt", last_activity_at AS "lastActivityAt" FROM end_users WHERE ${user}`,
        Prisma.sql`SELECT ${storedColumns()} FROM memories WHERE ${user} ORDER BY created_at, id`,
        Prisma.sql`SELECT ${eventColumns} FROM memory_events WHERE ${user} ORDER BY created_at, id`,
        Prisma.sql`SELECT key, response, created_at AS "createdAt" FROM idempotency_keys WHERE ${user} ORDER BY created_at`,
        Prisma.sql`
        SELECT id, messages, metadata, thread_id AS "threadId", status, result, error, attempts, failures,
               created_at AS "createdAt", finished_at AS "finishedAt"
        FROM conversations WHERE ${user} ORDER BY created_at`,
        Prisma.sql`
        SELECT id, operation, model, input_tokens AS "inputTokens", output_tokens AS "outputTokens", model_ms AS "modelMs",
               created_at AS "createdAt"
        FROM llm_usage WHERE ${user} ORDER BY created_at`,
        userDeliveriesSql(this.key),
        Prisma.sql`
        SELECT id, key, name, type, aliases, created_at AS "createdAt", updated_at AS "updatedAt"
        FROM entities WHERE ${user} ORDER BY key`,
        Prisma.sql`SELECT entity_id AS "entityId", memory_id AS "memoryId", weight FROM memory_entities WHERE ${user} ORDER BY 1, 2`,
        Prisma.sql`
        SELECT id, subject_id AS "subjectId", predicate, object_id AS "objectId", valid_from AS "validFrom", valid_to AS "validTo",
               recorded_at AS "recordedAt", conversation_id AS "conversationId"
        FROM entity_relations WHERE ${user} ORDER BY valid_from, id`,
      ],
      END_USER_DATA,
    );
    if (!endUser) return null;
    return {
      externalUserId: this.externalUserId,
      exportedAt: new Date().toISOString(),
      endUser: { firstActivityAt: endUser.createdAt, lastActivityAt: endUser.lastActivityAt },
      memories,
      history,
      idempotencyKeys,
      conversations,
      llmCalls: usage,
      webhookDeliveries,
      entities,
      entityMentions: mentions,
      entityRelations: relations,
      usage: {
        memoriesStored: memories.filter((memory) => memory.deletedAt === null).length,
        memoriesRetired: memories.filter((memory) => memory.deletedAt !== null).length,
        historyEvents: history.length,
        inputTokens: usage.reduce((sum, call) => sum + call.inputTokens, 0),
        outputTokens: usage.reduce((sum, call) => sum + call.outputTokens, 0),
      },
    };
  }
}
