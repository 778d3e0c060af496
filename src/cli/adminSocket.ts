import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.js';
import { CommandError, runCommand, type CommandRequest } from './commands.js';

/**
 * PGlite lets one process open the data directory. While the gateway holds it, the command line
 * sends its command to the gateway over a Unix socket inside that directory, readable only by
 * the owner of the directory (who could read the database files anyway).
 */
export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin.sock');
}

export async function serveAdminSocket(dataDir: string, prisma: PrismaClient): Promise<Server> {
  const path = adminSocketPath(dataDir);
  rmSync(path, { force: true });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        const results = await runCommand(prisma, JSON.parse(body) as CommandRequest);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
      } catch (error) {
        const known = error instanceof CommandError;
        res.writeHead(known ? 400 : 500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: known ? error.message : 'The gateway could not run this command.' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  chmodSync(path, 0o600);
  server.on('close', () => rmSync(path, { force: true }));
  return server;
}

/** Sends a command to the running gateway; undefined when no gateway listens there. */
export async function callAdminSocket(dataDir: string, command: CommandRequest): Promise<unknown[] | undefined> {
  const path = adminSocketPath(dataDir);
  if (!existsSync(path)) return undefined;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, method: 'POST', path: '/' }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        const parsed = JSON.parse(body) as { results?: unknown[]; error?: string };
        if (parsed.error) reject(new CommandError(parsed.error));
        else resolve(parsed.results);
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? resolve(undefined) : reject(error),
    );
    req.end(JSON.stringify(command));
  });
}
