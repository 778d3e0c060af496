import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers to one request, scripted by a test. */
export type Script =
  | { tool: string; input: unknown | ((request: RecordedRequest) => unknown); delayMs?: number }
  | { status: number; errorType?: string; delayMs?: number }
  | { text: string; stopReason?: string };

export interface RecordedRequest {
  body: any;
  /** The user prompt: data blocks included. */
  prompt: string;
  /** A `<tag>` JSON data block of the prompt, parsed. */
  block(tag: string): any;
}

/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages) that answers from a script,
 * so that the real @anthropic-ai/sdk client code runs: headers, retries, timeouts, parsing.
 */
export class FakeAnthropic {
  readonly requests: RecordedRequest[] = [];
  private script: Script[] = [];
  private server?: Server;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        const credential = req.headers['x-api-key'] ?? req.headers.authorization;
        if (req.method !== 'POST' || req.url !== '/v1/messages' || !credential) {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(raw);
        const prompt: string = body.messages?.[0]?.content ?? '';
        const request: RecordedRequest = {
          body,
          prompt,
          block(tag) {
            const match = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(prompt);
            return match ? JSON.parse(match[1]) : undefined;
          },
        };
        this.requests.push(request);
        const step = this.script.shift();
        if (!step) {
          res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'script exhausted' } }));
          return;
        }
        if ('delayMs' in step && step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
        if (res.destroyed) return;
        if ('status' in step) {
          res.writeHead(step.status, { 'content-type': 'application/json', 'retry-after-ms': '5' });
          res.end(JSON.stringify({ type: 'error', error: { type: step.errorType ?? 'overloaded_error', message: 'scripted' } }));
          return;
        }
        const content =
          'tool' in step
            ? [{ type: 'tool_use', id: `toolu_${this.requests.length}`, name: step.tool, input: typeof step.input === 'function' ? step.input(request) : step.input }]
            : [{ type: 'text', text: step.text }];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `msg_${this.requests.length}`,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content,
            stop_reason: 'tool' in step ? 'tool_use' : (step.stopReason ?? 'end_turn'),
            stop_sequence: null,
            usage: { input_tokens: Math.ceil(raw.length / 4), output_tokens: 20 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Replaces what the next requests get, in order. */
  answer(...steps: Script[]): void {
    this.script = steps;
    this.requests.length = 0;
  }

  get pending(): number {
    return this.script.length;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
