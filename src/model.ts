/** The domain's data shapes, shared by every room (db/ included): no behaviour, no imports. */

export interface MemoryRecord {
  id: string;
  externalUserId: string;
  content: string;
  metadata: Record<string, unknown>;
  tags: string[];
  embeddingModel: string;
  createdAt: Date;
  updatedAt: Date;
  /** When what the memory says was said or happened; its creation time unless the caller said otherwise. */
  occurredAt: Date;
  expiresAt: Date | null;
  /** The conversation or session it came from (the caller's identifier); within a thread memories follow occurredAt. */
  threadId: string | null;
  /** When it was deleted (retired); absent where only live memories are read. */
  deletedAt?: Date | null;
}

export type SearchMode = 'SEMANTIC' | 'KEYWORD' | 'HYBRID';

export interface ScoredMemory {
  memory: MemoryRecord;
  /** The mode's score (see src/memory/ranking.ts), after recency weighting; higher is better. */
  score: number;
  /** Cosine similarity to the query (-1 to 1), when the memory was among the semantic candidates. */
  semanticScore?: number | null;
  /** Full-text rank (0 to 1), when the memory matched the query's words. */
  keywordScore?: number | null;
  /** How strongly the memory is linked to an entity the query names (HYBRID); null when none. */
  entityScore?: number | null;
  /**
   * HYBRID: when the memory replies to a question in its thread that matched the query, that
   * question's evidence (its fused semantic, keyword and entity parts); null otherwise.
   */
  questionScore?: number | null;
}

export interface MemoryFilter {
  /** The memory has every one of these tags. */
  tags?: string[];
  /** The memory has at least one of these tags. */
  anyTags?: string[];
  /** The memory's metadata contains this object (PostgreSQL `@>`). */
  metadata?: Record<string, unknown>;
  createdAfter?: Date;
  createdBefore?: Date;
  occurredAfter?: Date;
  occurredBefore?: Date;
  /** Only the memories of this thread. */
  threadId?: string;
}

export type MemoryEventKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED';

/**
 * Who asked for a change: an API key (its id, and its prefix and name at the time), the end user's
 * own token, or an operator's command (memgate import). Changes Claude made from a conversation
 * have none (see conversationId).
 */
export type ChangeActor =
  | { kind: 'API_KEY'; apiKeyId: string; keyPrefix: string; keyName: string }
  | { kind: 'END_USER_TOKEN' }
  | { kind: 'OPERATOR' };

export interface MemoryEventRecord {
  id: string;
  memoryId: string;
  kind: string;
  oldContent: string | null;
  newContent: string | null;
  changedFields: string[];
  conversationId: string | null;
  reason: string | null;
  actor: ChangeActor | null;
  createdAt: Date;
}

/** One change made from a conversation (or a restore), as returned to the caller. */
export interface MemoryChange {
  action: 'ADD' | 'UPDATE' | 'DELETE';
  memoryId: string;
  content: string;
  previousContent: string | null;
  reason: string;
}

export interface EndUserRecord {
  externalUserId: string;
  createdAt: Date;
  lastActivityAt: Date;
}

/** Kept with a conversation and given to the memories it adds (threadId: the conversation's id when not given). */
export interface ConversationSource {
  metadata?: Record<string, unknown> | null;
  threadId?: string | null;
}

/** What a client's id names (see globalId). */
export type IdType =
  | 'Memory'
  | 'MemoryEvent'
  | 'Entity'
  | 'Relation'
  | 'ConversationJob'
  | 'ApiKey'
  | 'WebhookEndpoint'
  | 'WebhookDelivery'
  | 'Tenant';

/** The id a client sees for a stored object: a Relay global id, base64 of `Type:uuid` (app/ids.ts reads it back). */
export function globalId(type: IdType, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64');
}
