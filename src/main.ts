import { once } from 'node:events';
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { serveAdminSocket } from './cli/adminSocket.js';
import { loadConfig } from './config.js';
import { countTenants, createTenant } from './db/admin.js';
import { openConfiguredDatabase } from './db/open.js';
import { batchedEmbedder, userServices } from './context.js';
import { createServices } from './services.js';
import { JobRunner } from './memory/jobRunner.js';
import { createGateway } from './yoga.js';

async function start(): Promise<void> {
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;

  if (!config.isProduction && (await countTenants(db.prisma)) === 0) {
    const dev = await createTenant(db.prisma, 'dev');
    console.log(`Created the development tenant "dev". Its API key, shown this once:\n\n  ${dev.apiKey}\n`);
  }

  const services = createServices(config, db);
  const { embedder, claude } = services;
  const gateway = createGateway(services);
  const server = createServer(gateway);
  const jobs = new JobRunner(db.prisma, (tenantId, externalUserId) =>
    userServices(services, tenantId, externalUserId, batchedEmbedder(embedder)).conversations,
  );
  if (claude.configured) jobs.start();
  else console.log('ANTHROPIC_API_KEY is not set: conversation features answer LLM_NOT_CONFIGURED; ASYNC jobs wait.');
  const adminSocket = config.databaseUrl ? undefined : await serveAdminSocket(resolve(config.dataDir), { db, embedder });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: draining requests and closing the database`);
    adminSocket?.close();
    const jobsStopped = jobs.stop();
    server.close(() => {
      // A job still running at the deadline below is resumed by the next start (its lock expires).
      jobsStopped
        .then(() => Promise.all([db.close(), services.close()]))
        .then(
          () => process.exit(0),
          () => process.exit(1),
        );
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  server.listen(config.port, config.host);
  await once(server, 'listening');
  console.log(`Memgate listening on http://localhost:${config.port}/graphql (${where})`);
  // Load the model (or reach the provider) now rather than on the first request.
  embedder.embed(['warm up']).then(
    () => console.log(`Embedding model: ${embedder.modelId} (${embedder.dimensions} dimensions)`),
    (error: unknown) => console.error('Embedding model unavailable:', error instanceof Error ? error.message : error),
  );
}

start().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
