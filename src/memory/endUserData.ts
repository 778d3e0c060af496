import type { ScopedDatabase } from '../db/scope.js';
import { enqueueUserEvent, eraseDeliveriesSql } from '../db/webhookSql.js';
import { memorySelect } from './selects.js';

export interface ErasureReceipt {
  externalUserId: string;
  memoriesDeleted: number;
  historyEventsDeleted: number;
  idempotencyKeysDeleted: number;
  /** Rows removed, per table (every table that holds end-user rows). */
  tables: { table: string; rows: number }[];
  erasedAt: Date;
}

/** GDPR: everything stored about one end user, to export or to erase. */
export class EndUserData {
  constructor(
    private readonly db: ScopedDatabase,
    private readonly externalUserId: string,
  ) {}

  /** The one hard delete. Removes every row of this end user and says what it removed. */
  async erase(): Promise<ErasureReceipt> {
    return this.db.transaction(async (tx) => {
      const historyEvents = await tx.memoryEvent.deleteMany({});
      const idempotencyKeys = await tx.idempotencyKey.deleteMany({});
      const memories = await tx.memory.deleteMany({});
      const conversations = await tx.conversation.deleteMany({});
      const usage = await tx.llmUsage.deleteMany({});
      const endUsers = await tx.endUser.deleteMany({});
      const erasedAt = new Date();
      // The outbox's copies go too; the tenant's endpoints hear of the erasure (by identifier only).
      const key = { tenantId: this.db.scope.tenantId, externalUserId: this.externalUserId };
      const deliveries = await tx.$executeRaw(eraseDeliveriesSql(key));
      await enqueueUserEvent(tx, key, 'end_user.erased', { erasedAt });
      return {
        externalUserId: this.externalUserId,
        memoriesDeleted: memories.count,
        historyEventsDeleted: historyEvents.count,
        idempotencyKeysDeleted: idempotencyKeys.count,
        tables: [
          { table: 'memories', rows: memories.count },
          { table: 'memory_events', rows: historyEvents.count },
          { table: 'idempotency_keys', rows: idempotencyKeys.count },
          { table: 'conversations', rows: conversations.count },
          { table: 'llm_usage', rows: usage.count },
          { table: 'end_users', rows: endUsers.count },
          { table: 'webhook_deliveries', rows: deliveries },
        ],
        erasedAt,
      };
    });
  }

  /** Everything stored about this end user, retired memories and history included, as one document. */
  async export(): Promise<Record<string, unknown> | null> {
    return this.db.transaction(async (tx) => {
      const endUser = await tx.endUser.findFirst({ select: { createdAt: true, lastActivityAt: true } });
      if (!endUser) return null;
      const memories = await tx.memory.findMany({
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { ...memorySelect, deletedAt: true },
      });
      const history = await tx.memoryEvent.findMany({
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: {
          id: true,
          memoryId: true,
          kind: true,
          oldContent: true,
          newContent: true,
          changedFields: true,
          reason: true,
          conversationId: true,
          createdAt: true,
        },
      });
      const requests = await tx.idempotencyKey.findMany({
        orderBy: { createdAt: 'asc' },
        select: { key: true, createdAt: true },
      });
      const conversations = await tx.conversation.findMany({
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          messages: true,
          metadata: true,
          status: true,
          attempts: true,
          failures: true,
          createdAt: true,
          finishedAt: true,
        },
      });
      const usage = await tx.llmUsage.findMany({
        orderBy: { createdAt: 'asc' },
        select: { operation: true, model: true, inputTokens: true, outputTokens: true, modelMs: true, createdAt: true },
      });
      return {
        externalUserId: this.externalUserId,
        exportedAt: new Date().toISOString(),
        endUser: { firstActivityAt: endUser.createdAt, lastActivityAt: endUser.lastActivityAt },
        memories,
        history,
        idempotencyKeys: requests,
        conversations,
        llmCalls: usage,
        usage: {
          memoriesStored: memories.filter((memory) => memory.deletedAt === null).length,
          memoriesRetired: memories.filter((memory) => memory.deletedAt !== null).length,
          historyEvents: history.length,
          inputTokens: usage.reduce((sum, call) => sum + call.inputTokens, 0),
          outputTokens: usage.reduce((sum, call) => sum + call.outputTokens, 0),
        },
      };
    });
  }
}
