/** Input limits, documented in the README and enforced before anything is written. */
export const LIMITS = {
  externalUserIdLength: 256,
  contentLength: 32_768,
  metadataBytes: 16_384,
  tagCount: 32,
  tagLength: 64,
  batchSize: 100,
  idempotencyKeyLength: 128,
  threadIdLength: 200,
  reasonLength: 1_000,
  /** Neighbours a search hit may show on each side in its thread. */
  threadContext: { max: 20, default: 1 },
  searchLimit: { min: 1, max: 50, default: 10 },
  pageSize: { max: 100, default: 20 },
  /** Memories an entity shows (newest first). */
  entityMemories: { max: 50, default: 10 },
} as const;
