import type { PrismaClient } from '../generated/prisma/client.js';

/** The authentication path's privileged lookups: before the key is known there is no tenant scope. */

export async function findApiKeyByHash(prisma: PrismaClient, keyHash: Uint8Array<ArrayBuffer>) {
  return prisma.apiKey.findUnique({
    where: { keyHash },
    include: { tenant: { select: { name: true } } },
  });
}

export async function touchApiKey(prisma: PrismaClient, tenantId: string, id: string, at: Date): Promise<void> {
  await prisma.apiKey.update({ where: { tenantId_id: { tenantId, id } }, data: { lastUsedAt: at } });
}
