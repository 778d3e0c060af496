-- Memgate: initial schema. Every tenant-owned table leads with tenant_id.
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE "tenants" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "tenants_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "tenants_name_key" ON "tenants"("name");

CREATE TABLE "api_keys" (
    "tenant_id" UUID NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" BYTEA NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("tenant_id", "id")
);
-- The one key not led by tenant_id: authentication finds the tenant from the key's hash.
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

CREATE TABLE "end_users" (
    "tenant_id" UUID NOT NULL REFERENCES "tenants"("id") ON DELETE CASCADE,
    "external_user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "end_users_pkey" PRIMARY KEY ("tenant_id", "external_user_id")
);

CREATE TABLE "memories" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "content_hash" BYTEA NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    -- No fixed dimension: each row records its model, and search compares one model's vectors.
    "embedding" vector,
    "embedding_model" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "deleted_at" TIMESTAMPTZ(3),
    CONSTRAINT "memories_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "memories_end_user_fkey" FOREIGN KEY ("tenant_id", "external_user_id")
        REFERENCES "end_users"("tenant_id", "external_user_id") ON DELETE CASCADE
);
CREATE INDEX "memories_tenant_id_external_user_id_created_at_id_idx"
    ON "memories"("tenant_id", "external_user_id", "created_at" DESC, "id" DESC);
-- The same text is stored once per user (live memories only).
CREATE UNIQUE INDEX "memories_live_content_key"
    ON "memories"("tenant_id", "external_user_id", "content_hash") WHERE "deleted_at" IS NULL;

CREATE TABLE "memory_events" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "memory_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "old_content" TEXT,
    "new_content" TEXT,
    "changed_fields" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "memory_events_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "memory_events_end_user_fkey" FOREIGN KEY ("tenant_id", "external_user_id")
        REFERENCES "end_users"("tenant_id", "external_user_id") ON DELETE CASCADE
);
CREATE INDEX "memory_events_tenant_id_external_user_id_memory_id_created_at_idx"
    ON "memory_events"("tenant_id", "external_user_id", "memory_id", "created_at");

CREATE TABLE "idempotency_keys" (
    "tenant_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" BYTEA NOT NULL,
    -- What the first request answered: [{ "id": uuid, "created": bool }, ...], replayed on a retry.
    "response" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("tenant_id", "external_user_id", "key"),
    CONSTRAINT "idempotency_keys_end_user_fkey" FOREIGN KEY ("tenant_id", "external_user_id")
        REFERENCES "end_users"("tenant_id", "external_user_id") ON DELETE CASCADE
);
