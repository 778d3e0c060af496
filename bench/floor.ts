/**
 * The floor: the gateway's exact semantic search (src/db/memorySql.ts) as one plain statement,
 * without the scope's transaction and role — what the database alone costs.
 * $1 tenant, $2 end user, $3 query vector, $4 model, $5 dimensions.
 */
export const FLOOR_SQL = `SELECT id, external_user_id AS "externalUserId", content, metadata, tags,
  embedding_model AS "embeddingModel", created_at AS "createdAt", updated_at AS "updatedAt", expires_at AS "expiresAt",
  1 - (embedding <=> $3::vector) AS score FROM memories
  WHERE tenant_id = $1::uuid AND external_user_id = $2 AND deleted_at IS NULL AND (expires_at IS NULL OR expires_at > now())
    AND embedding_model = $4 AND vector_dims(embedding) = $5
  ORDER BY embedding <=> $3::vector LIMIT 10`;
