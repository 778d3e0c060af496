export interface MemoryRecord {
  id: string;
  externalUserId: string;
  content: string;
  metadata: Record<string, unknown>;
  tags: string[];
  embeddingModel: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date | null;
}

export interface ScoredMemory {
  memory: MemoryRecord;
  /** Cosine similarity of the query and the memory, from -1 to 1 (higher is closer). */
  score: number;
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
}

export type MemoryEventKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED';

export interface MemoryEventRecord {
  id: string;
  memoryId: string;
  kind: string;
  oldContent: string | null;
  newContent: string | null;
  changedFields: string[];
  conversationId: string | null;
  reason: string | null;
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
