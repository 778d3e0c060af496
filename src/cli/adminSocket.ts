import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { join } from 'node:path';
import { runCommand, type CommandRequest, type CommandTools, type ProgressListener } from './commands.js';
import { CommandError } from '../errors.js';

/**
 * PGlite lets one process open the data directory. While the gateway holds it, the command line
 * sends its command to the gateway over a Unix socket inside that directory, readable only by
 * the owner of the directory (who could read the database files anyway). The answer is a stream
 * of JSON lines: progress reports, then the results or an error.
 */
export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin.sock');
}

export async function serveAdminSocket(dataDir: string, tools: CommandTools): Promise<Server> {
  const path = adminSocketPath(dataDir);
  rmSync(path, { force: true });
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    // Every failure is answered in the stream: the handler never rejects.
    req.on(
      'end',
      () =>
        void (async () => {
          res.writeHead(200, { 'content-type': 'application/x-ndjson' });
          const send = (line: object) => res.write(`${JSON.stringify(line)}\n`);
          try {
            const results = await runCommand(tools, JSON.parse(body) as CommandRequest, (progress) =>
              send({ progress }),
            );
            send({ results });
          } catch (error) {
            send({ error: error instanceof CommandError ? error.message : 'The gateway could not run this command.' });
          }
          res.end();
        })(),
    );
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  chmodSync(path, 0o600);
  server.on('close', () => rmSync(path, { force: true }));
  return server;
}

/** Sends a command to the running gateway; undefined when no gateway listens there. */
export async function callAdminSocket(
  dataDir: string,
  command: CommandRequest,
  onProgress: ProgressListener = () => {},
): Promise<unknown[] | undefined> {
  const path = adminSocketPath(dataDir);
  if (!existsSync(path)) return undefined;
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: path, method: 'POST', path: '/' }, (res) => {
      let buffered = '';
      let answered = false;
      const handle = (line: string) => {
        const parsed = JSON.parse(line) as {
          progress?: Parameters<ProgressListener>[0];
          results?: unknown[];
          error?: string;
        };
        if (parsed.progress) return onProgress(parsed.progress);
        answered = true;
        if (parsed.error) reject(new CommandError(parsed.error));
        else resolve(parsed.results);
      };
      res.on('data', (chunk) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        lines.filter(Boolean).forEach(handle);
      });
      res.on('end', () => {
        if (!answered) reject(new CommandError('The gateway stopped before the command finished.'));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNREFUSED' || error.code === 'ENOENT' ? resolve(undefined) : reject(error),
    );
    req.end(JSON.stringify(command));
  });
}
