import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * End users whose stored identifier `accepts` refuses or would change (privileged: it reads every
 * tenant). Identifiers stored under an older rule are never rewritten or merged silently: they are
 * reported, so that an operator can decide (export, erase, or ask the tenant). Reads in pages.
 */
export async function nonconformingIdentifiers(
  prisma: PrismaClient,
  accepts: (externalUserId: string) => boolean,
  pageSize = 10_000,
): Promise<{ tenantId: string; externalUserId: string }[]> {
  const found: { tenantId: string; externalUserId: string }[] = [];
  let after: { tenantId: string; externalUserId: string } | undefined;
  for (;;) {
    const page = await prisma.endUser.findMany({
      where: after
        ? {
            OR: [
              { tenantId: { gt: after.tenantId } },
              { tenantId: after.tenantId, externalUserId: { gt: after.externalUserId } },
            ],
          }
        : {},
      orderBy: [{ tenantId: 'asc' }, { externalUserId: 'asc' }],
      select: { tenantId: true, externalUserId: true },
      take: pageSize,
    });
    found.push(...page.filter((row) => !accepts(row.externalUserId)));
    if (page.length < pageSize) return found;
    after = page[page.length - 1];
  }
}
