import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/**
 * One JSON POST over kept-alive connections. Node's http client rather than fetch: on loopback a
 * call takes ~0.09 ms against fetch's ~0.29 ms and a quarter of its CPU (measured with a 512-float
 * answer), which every search and write that embeds pays once.
 */
export interface PostAnswer {
  status: number;
  retryAfter: string | null;
  body: string;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostAnswer> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response: IncomingMessage) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(deadline);
          const retryAfter = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, retryAfter: retryAfter ?? null, body: text });
        });
      },
    );
    // Named as fetch names its timeouts: no complete answer within the time allowed.
    const timedOut = Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' });
    const deadline = setTimeout(() => request.destroy(timedOut), timeoutMs);
    function fail(error: Error): void {
      clearTimeout(deadline);
      reject(error);
    }
    request.on('error', fail);
    request.end(body);
  });
}
