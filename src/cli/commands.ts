import { createTenant, listTenants, TenantNameError } from '../db/admin.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/** A refusal to show the person at the command line (bad arguments, a taken name, …). */
export class CommandError extends Error {}

export interface CommandRequest {
  command: string;
  options: { name?: string };
}

export const COMMANDS = ['tenants create', 'tenants list'] as const;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'P2002';
}

/** Runs one administrative command; each result is printed as one JSON line. */
export async function runCommand(prisma: PrismaClient, { command, options }: CommandRequest): Promise<unknown[]> {
  switch (command) {
    case 'tenants create': {
      if (!options.name) throw new CommandError('tenants create needs --name <name>');
      try {
        return [await createTenant(prisma, options.name)];
      } catch (error) {
        if (error instanceof TenantNameError) throw new CommandError(error.message);
        if (isUniqueViolation(error)) throw new CommandError(`A tenant named "${options.name}" already exists.`);
        throw error;
      }
    }
    case 'tenants list':
      return (await listTenants(prisma)).map((tenant) => ({ tenantId: tenant.id, name: tenant.name, createdAt: tenant.createdAt }));
    default:
      throw new CommandError(`Unknown command: ${command}`);
  }
}
