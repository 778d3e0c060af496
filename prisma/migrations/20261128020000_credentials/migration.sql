-- End-user tokens are signed with a key derived from the server secret and the tenant's epoch:
-- raising the epoch (rotateEndUserTokenSecret) invalidates every token of that tenant.
ALTER TABLE "tenants" ADD COLUMN "token_epoch" INTEGER NOT NULL DEFAULT 0;
-- A rotated API key keeps working until expires_at (the grace period), then stops.
ALTER TABLE "api_keys" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
