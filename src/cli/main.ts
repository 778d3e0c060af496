import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { createTenant, listTenants, TenantNameError } from '../db/admin.js';
import { DataDirInUseError } from '../db/lock.js';
import { openConfiguredDatabase } from '../db/open.js';

const usage = `Usage: memgate <command>

  tenants create --name <name>   Create a tenant; prints {"tenantId","apiKey"} (the key is shown only once)
  tenants list                   One JSON line per tenant

Uses DATABASE_URL when set, else the embedded database in MEMGATE_DATA_DIR (default ./.memgate).
With the embedded database, stop a running gateway first: one process may open it at a time.`;

class UsageError extends Error {}

async function run(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const command = positionals.join(' ');
  if (values.help || command === '') {
    console.log(usage);
    return;
  }
  if (command !== 'tenants create' && command !== 'tenants list') throw new UsageError(`Unknown command: ${command}`);
  if (command === 'tenants create' && !values.name) throw new UsageError('tenants create needs --name <name>');

  const db = await openConfiguredDatabase(loadConfig());
  try {
    if (command === 'tenants create') {
      console.log(JSON.stringify(await createTenant(db.prisma, values.name!)));
    } else {
      for (const tenant of await listTenants(db.prisma)) {
        console.log(JSON.stringify({ tenantId: tenant.id, name: tenant.name, createdAt: tenant.createdAt }));
      }
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).catch((error: unknown) => {
  const known =
    error instanceof UsageError || error instanceof TenantNameError || error instanceof DataDirInUseError || error instanceof ConfigError;
  if (error instanceof Error && 'code' in error && error.code === 'P2002') {
    console.error('memgate: a tenant with this name already exists.');
  } else {
    console.error(`memgate: ${known ? (error as Error).message : error}`);
  }
  if (error instanceof UsageError) console.error(`\n${usage}`);
  process.exit(error instanceof UsageError ? 64 : 1);
});
