/** Input limits, documented in the README and enforced before anything is written. */
export const LIMITS = {
  externalUserIdLength: 256,
  contentLength: 32_768,
  metadataBytes: 16_384,
  tagCount: 32,
  tagLength: 64,
  batchSize: 100,
  idempotencyKeyLength: 128,
  reasonLength: 1_000,
  searchLimit: { min: 1, max: 50, default: 10 },
  pageSize: { max: 100, default: 20 },
} as const;
