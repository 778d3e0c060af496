/**
 * The gateway as the bench runs it: src/main.ts's services in a child process of its own (so the
 * load generator does not share its event loop), with embedding optionally replaced by
 * synthetic vectors. Reports its port to the parent over IPC.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { openConfiguredDatabase } from '../src/db/open.js';
import { createServices } from '../src/services.js';
import { createGateway } from '../src/yoga.js';
import { SyntheticEmbedder } from './synthetic.js';

const config = loadConfig();
const db = await openConfiguredDatabase(config);
const synthetic = process.env.BENCH_EMBEDDER === 'synthetic' ? new SyntheticEmbedder() : undefined;
const services = createServices({ ...config, rateLimitPerCredential: 0, rateLimitPerEndUser: 0, graphiql: false }, db, {
  embedder: synthetic,
});
if (!synthetic) await services.embedder.embed(['load the model']);
const server = createServer(createGateway(services));
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => {
  server.close();
  void Promise.all([services.close(), db.close()]).then(() => process.exit(0));
});
