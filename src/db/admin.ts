import { displayPrefix, generateApiKey, hashApiKey } from '../auth/apiKey.js';
import { SCOPES, type Scope } from '../auth/principal.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { TenantNameError } from '../errors.js';

/** Privileged tenant administration (command line, first start). Never reachable from a resolver. */

const TENANT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface NewTenant {
  tenantId: string;
  apiKey: string;
}

export async function createTenant(prisma: PrismaClient, name: string): Promise<NewTenant> {
  if (!TENANT_NAME.test(name)) {
    throw new TenantNameError(
      'A tenant name is 1-63 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit.',
    );
  }
  const apiKey = generateApiKey();
  const tenant = await prisma.tenant.create({
    data: {
      name,
      apiKeys: {
        create: { name: 'default', prefix: displayPrefix(apiKey), keyHash: hashApiKey(apiKey), scopes: [...SCOPES] },
      },
    },
  });
  return { tenantId: tenant.id, apiKey };
}

export async function createApiKey(
  prisma: PrismaClient,
  tenantId: string,
  name: string,
  scopes: Scope[],
): Promise<string> {
  const apiKey = generateApiKey();
  await prisma.apiKey.create({
    data: { tenantId, name, prefix: displayPrefix(apiKey), keyHash: hashApiKey(apiKey), scopes },
  });
  return apiKey;
}

export async function listTenants(prisma: PrismaClient) {
  return prisma.tenant.findMany({ orderBy: { createdAt: 'asc' } });
}

export async function countTenants(prisma: PrismaClient): Promise<number> {
  return prisma.tenant.count();
}
