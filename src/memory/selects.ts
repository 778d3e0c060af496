/** The columns of a memory that leave the database (never its vector or hash). */
export const memorySelect = {
  id: true,
  externalUserId: true,
  content: true,
  metadata: true,
  tags: true,
  embeddingModel: true,
  createdAt: true,
  updatedAt: true,
  occurredAt: true,
  expiresAt: true,
} as const;
