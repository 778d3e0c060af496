import type { PrismaClient } from '../generated/prisma/client.js';

/** The authentication path's privileged lookups: before the credential is checked there is no scope. */

export async function findApiKeyByHash(prisma: PrismaClient, keyHash: Uint8Array<ArrayBuffer>) {
  return prisma.apiKey.findUnique({
    where: { keyHash },
    include: { tenant: { select: { name: true } } },
  });
}

/** Whether a key still works: the end-user tokens it minted live only as long as it does. */
export async function findApiKeyValidity(prisma: PrismaClient, tenantId: string, id: string) {
  return prisma.apiKey.findUnique({
    where: { tenantId_id: { tenantId, id } },
    select: { revokedAt: true, expiresAt: true },
  });
}

export async function findTenant(prisma: PrismaClient, tenantId: string) {
  return prisma.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true, tokenEpoch: true } });
}

export async function touchApiKey(prisma: PrismaClient, tenantId: string, id: string, at: Date): Promise<void> {
  await prisma.apiKey.update({ where: { tenantId_id: { tenantId, id } }, data: { lastUsedAt: at } });
}

/** Raises the tenant's token epoch: every end-user token signed before stops verifying. */
export async function rotateTokenEpoch(prisma: PrismaClient, tenantId: string): Promise<number> {
  const tenant = await prisma.tenant.update({ where: { id: tenantId }, data: { tokenEpoch: { increment: 1 } } });
  return tenant.tokenEpoch;
}
