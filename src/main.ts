import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import net from 'node:net';
import { resolve } from 'node:path';
import { serveAdminSocket } from './cli/adminSocket.js';
import { checkProductionSafety, loadConfig } from './config.js';
import { countTenants, createTenant } from './db/admin.js';
import { openConfiguredDatabase } from './db/open.js';
import { serveGraphQLOverWebSocket } from './http/websocket.js';
import { batchedEmbedder, userServices } from './app/userServices.js';
import { createServices } from './services.js';
import { JobRunner } from './memory/jobRunner.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { createLogger, stdoutLines } from './observability/logger.js';
import { readableLines } from './observability/readableLog.js';
import { createGateway } from './yoga.js';

/** Signals closer together than this are one (see stop). */
const SIGNALS_TOGETHER_MS = 500;
/** How long a draining gateway still accepts connections, to answer them 503 (see stop). */
const DRAIN_LISTEN_MS = 1_000;

/** The answer to a connection made after the signal: this instance is going away, retry another. */
function answerDraining(response: ServerResponse): void {
  const body = JSON.stringify({
    errors: [
      {
        message: 'This gateway is shutting down: retry on another instance.',
        extensions: { code: 'SERVICE_UNAVAILABLE' },
      },
    ],
  });
  response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' }).end(body);
}

async function start(): Promise<void> {
  const config = loadConfig();
  checkProductionSafety(config);
  // A person reading a terminal in development gets readable lines; production and pipes get JSON.
  const readable = !config.isProduction && process.stdout.isTTY;
  const logger = createLogger(config.logLevel, readable ? readableLines(stdoutLines()) : stdoutLines());
  if (config.isProduction && config.databaseUrl && !config.databaseAppUrl)
    logger.warn(
      "MEMGATE_UNSAFE_PRIVILEGED_USER_WORK is on: end users' work runs on the DATABASE_URL login, which can leave row-level security",
    );
  if (config.webhooksAllowPrivate)
    logger.warn(
      "MEMGATE_WEBHOOKS_ALLOW_PRIVATE is on: tenants' webhooks may reach loopback, private and this host's own addresses (never cloud metadata)",
    );
  const db = await openConfiguredDatabase(config, { onNotice: (message) => logger.warn(message) });
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.dataDir}`;

  if (!config.isProduction && (await countTenants(db.prisma)) === 0) {
    const dev = await createTenant(db.prisma, 'dev');
    // A person reads this once on their own machine; it never goes to the structured log.
    console.log(`Created the development tenant "dev". Its API key, shown this once:\n\n  ${dev.apiKey}\n`);
  }

  const services = createServices(config, db, { logger });
  const { embedder, claude, readiness } = services;
  const gateway = createGateway(services);
  // Connections accepted after the signal: they are told to go elsewhere (see stop).
  const acceptedWhileDraining = new WeakSet<object>();
  // Requests being served (not the 503s of a drain), and what to do once there are none.
  let inFlight = 0;
  let whenIdle: (() => void) | undefined;
  let stopListeningTimer: NodeJS.Timeout | undefined;
  const server = createServer((request, response) => {
    if (readiness.isDraining) {
      // Each answer closes its connection: clients reconnect to another instance.
      response.shouldKeepAlive = false;
      if (acceptedWhileDraining.has(request.socket)) return answerDraining(response);
    }
    inFlight++;
    // A request on a keep-alive connection older than the drain: once answered, its client
    // reconnects, so the drain's listening moment (see stop) starts again after it.
    clearTimeout(stopListeningTimer);
    response.once('close', () => {
      if (--inFlight === 0) whenIdle?.();
    });
    void gateway(request, response);
  });
  server.on('connection', (socket) => {
    if (readiness.isDraining) acceptedWhileDraining.add(socket);
  });
  const webSockets = serveGraphQLOverWebSocket(server, gateway, services);
  const jobs = new JobRunner(
    db.prisma,
    (tenantId, externalUserId) =>
      userServices(services, tenantId, externalUserId, batchedEmbedder(embedder)).conversations,
    {
      leaseMs: config.jobLeaseMs,
      onEvent: ({ outcome, tenantId, jobId, error }) => {
        services.metrics?.conversationJobs.inc({ outcome });
        if (outcome === 'done') return;
        const reason = error instanceof Error ? error.message : undefined;
        logger[outcome === 'retry' || outcome === 'lease_lost' ? 'warn' : 'error'](
          { outcome, tenantId, jobId, reason },
          'conversation job did not finish',
        );
      },
    },
  );
  const webhooks = new WebhookDispatcher(db.prisma, {
    allowInternal: config.webhooksAllowPrivate,
    timeoutMs: config.webhookTimeoutMs,
    onError: (error) => logger.error({ err: error }, 'webhook dispatch failed'),
    onAttempt: (delivery, outcome) => {
      if (!outcome.delivered)
        logger.warn(
          {
            tenantId: delivery.tenantId,
            endpointId: delivery.endpointId,
            eventId: delivery.eventId,
            error: outcome.error,
            gaveUp: outcome.retryAt === null,
          },
          'webhook delivery failed',
        );
    },
  });
  webhooks.start();
  if (claude.configured) jobs.start();
  else logger.warn('ANTHROPIC_API_KEY is not set: conversation features answer LLM_NOT_CONFIGURED; ASYNC jobs wait.');
  const adminSocket = config.databaseUrl
    ? undefined
    : await serveAdminSocket(resolve(config.dataDir), {
        db,
        embedder,
        llm: config.llm,
        onKeysChanged: () => services.authenticator.forget(),
      });

  let stoppingSince: number | undefined;
  const stop = (signal: string) => {
    if (stoppingSince !== undefined) {
      // The same signal sent to the process group and forwarded by npm (or a supervisor) arrives
      // twice within milliseconds: that is one request to stop, not an operator's second one.
      if (Date.now() - stoppingSince < SIGNALS_TOGETHER_MS) return;
      // A second signal: the operator does not want to wait (exit first: logging may fail).
      process.exitCode = 1;
      setImmediate(() => process.exit(1));
      logger.warn({ signal }, 'second signal while draining: exiting now');
      return;
    }
    stoppingSince = Date.now();
    // First, so that nothing below can keep the process alive past the deadline.
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'connections still open at the shutdown deadline: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    logger.info(
      { signal },
      'draining: new connections are answered 503 (go elsewhere); finishing requests in flight, then closing the database',
    );
    readiness.drain();
    // Subscriptions never end by themselves: complete them, so their streams close normally.
    services.pubsub.endSubscriptions();
    // WebSocket clients are told the server is going away (1001) and reconnect to another instance.
    void webSockets.close();
    adminSocket?.close();
    const jobsStopped = Promise.all([jobs.stop(), webhooks.stop()]);
    // Keep listening a moment, answering new connections 503 (go elsewhere): closing a listening
    // socket resets the connections the kernel accepted and the gateway had not yet, which a client
    // cannot tell from a request lost mid-way. Then stop listening but leave open connections
    // alone: closing an idle keep-alive connection can race a request the client is sending on it.
    // Each one ends after its next answer (sent with "Connection: close") or at the keep-alive
    // timeout; the callback runs when the last has ended.
    // The moment counts from the last answer to a request made before the drain: its client
    // reconnects at once and must still find someone listening (to be told 503), not a reset.
    const stopListening = (whenClosed: () => void) => {
      const later = () => {
        stopListeningTimer = setTimeout(() => {
          whenIdle = undefined;
          net.Server.prototype.close.call(server, whenClosed);
        }, DRAIN_LISTEN_MS);
      };
      whenIdle = later;
      if (inFlight === 0) later();
    };
    stopListening(() => {
      // A job still running at the deadline above is resumed by the next start (its lock expires).
      jobsStopped
        .then(() => Promise.all([db.close(), services.close()]))
        .then(
          () => {
            logger.info('stopped');
            process.exit(0);
          },
          (error: unknown) => {
            logger.error({ err: error }, 'could not close cleanly');
            process.exit(1);
          },
        );
    });
  };
  // A closed stdout or stderr (the parent that read them is gone) must not stop the gateway from
  // draining and exiting: write errors (EPIPE) are dropped.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  server.listen(config.port, config.host);
  await once(server, 'listening');
  const base = `http://localhost:${config.port}`;
  logger.info({ port: config.port, database: where }, `Memgate listening on ${base}/graphql`);
  if (config.explorer) logger.info(`Memory explorer (enter the API key there): ${base}/explorer`);
  // Load the model (or reach the provider) now rather than on the first request; /ready waits for it.
  void readiness
    .report()
    .then((report) =>
      report.checks.embedder?.ok
        ? logger.info({ model: embedder.modelId, dimensions: embedder.dimensions }, 'embedding model ready')
        : logger.error({ error: report.checks.embedder?.error }, 'embedding model unavailable'),
    );
}

start().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
