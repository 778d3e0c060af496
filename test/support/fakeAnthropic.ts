import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Claude, type LlmConfig } from '../../src/llm/claude.js';

/** What the fake answers to one request, scripted by a test. */
export type Script =
  | { tool: string; input: unknown | ((request: RecordedRequest) => unknown); delayMs?: number }
  | { status: number; errorType?: string; delayMs?: number }
  | { text: string; stopReason?: string };

export interface RecordedRequest {
  body: any;
  /** The path before /v1/messages: clients given base URLs `${url}/a` and `${url}/b` can be told apart. */
  via: string;
  /** The tool the request forced (tool_choice). */
  tool?: string;
  /** What the fake answered: set once it has. */
  answered?: { stopReason: string; inputTokens: number; outputTokens: number };
  /** The user prompt: data blocks included. */
  prompt: string;
  /** A `<tag>` JSON data block of the prompt, parsed. */
  block(tag: string): any;
}

const SAMPLING_PARAMETERS = ['temperature', 'top_p', 'top_k'];

/** About 4 characters a token, as the tests' budgets assume. */
const tokensOf = (text: string) => Math.ceil(text.length / 4);

/**
 * A tool input cut off at max_tokens, as the API returns it: the part generated before the limit.
 * A list in the input keeps the items that fit; anything else is lost.
 */
function cutOff(input: unknown, maxTokens: number): unknown {
  if (typeof input !== 'object' || input === null) return {};
  const entry = Object.entries(input).find(([, value]) => Array.isArray(value));
  if (!entry) return {};
  const [field, items] = entry as [string, unknown[]];
  let kept = 0;
  while (kept < items.length && tokensOf(JSON.stringify({ ...input, [field]: items.slice(0, kept + 1) })) <= maxTokens)
    kept++;
  return { ...input, [field]: items.slice(0, kept) };
}

/**
 * A local stand-in for the Anthropic Messages API (POST /v1/messages) that answers from a script,
 * so that the real @anthropic-ai/sdk client code runs: headers, retries, timeouts, parsing. Like
 * the API (version 2026-10-21) it refuses sampling parameters, and an answer longer than the
 * request's max_tokens is cut off there, with stop_reason "max_tokens".
 */
export class FakeAnthropic {
  readonly requests: RecordedRequest[] = [];
  private script: Script[] = [];
  private handler?: (request: RecordedRequest) => Script;
  /** Scripted delays still running: stop() ends them, so that no timer outlives the fake. */
  private readonly delays = new Set<() => void>();
  private server?: Server;

  /** The real Claude client, pointed at this fake (no retries, a 5 s timeout unless told otherwise). */
  client(options: Partial<LlmConfig> = {}): Claude {
    return new Claude({
      apiKey: 'test-key',
      baseURL: this.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 5_000,
      maxRetries: 0,
      ...options,
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', async () => {
        const credential = req.headers['x-api-key'] ?? req.headers.authorization;
        const via = /^(\/[\w-]+)?\/v1\/messages$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !via || !credential) {
          res.writeHead(404).end();
          return;
        }
        const body = JSON.parse(raw);
        const prompt: string = body.messages?.[0]?.content ?? '';
        const sampling = SAMPLING_PARAMETERS.find((name) => name in body);
        if (sampling) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({
              type: 'error',
              error: { type: 'invalid_request_error', message: `${sampling}: Extra inputs are not permitted` },
            }),
          );
          return;
        }
        const request: RecordedRequest = {
          body,
          tool: body.tool_choice?.name,
          via: via[1] ?? '',
          prompt,
          block(tag) {
            const match = new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`).exec(prompt);
            return match ? JSON.parse(match[1]) : undefined;
          },
        };
        this.requests.push(request);
        const step = this.handler ? this.handler(request) : this.script.shift();
        if (!step) {
          res.writeHead(500, { 'content-type': 'application/json', 'x-should-retry': 'false' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'script exhausted' } }));
          return;
        }
        if ('delayMs' in step && step.delayMs) await this.delay(step.delayMs);
        if (res.destroyed) return;
        if ('status' in step) {
          res.writeHead(step.status, { 'content-type': 'application/json', 'retry-after-ms': '5' });
          res.end(
            JSON.stringify({
              type: 'error',
              error: { type: step.errorType ?? 'overloaded_error', message: 'scripted' },
            }),
          );
          return;
        }
        const input =
          'tool' in step ? (typeof step.input === 'function' ? step.input(request) : step.input) : undefined;
        const wanted = tokensOf('tool' in step ? JSON.stringify(input) : step.text);
        const truncated = wanted > body.max_tokens;
        const content =
          'tool' in step
            ? [
                {
                  type: 'tool_use',
                  id: `toolu_${this.requests.length}`,
                  name: step.tool,
                  input: truncated ? cutOff(input, body.max_tokens) : input,
                },
              ]
            : [{ type: 'text', text: truncated ? step.text.slice(0, body.max_tokens * 4) : step.text }];
        const stopReason = truncated ? 'max_tokens' : 'tool' in step ? 'tool_use' : (step.stopReason ?? 'end_turn');
        request.answered = { stopReason, inputTokens: tokensOf(raw), outputTokens: Math.min(wanted, body.max_tokens) };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: `msg_${this.requests.length}`,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content,
            stop_reason: stopReason,
            stop_sequence: null,
            usage: { input_tokens: request.answered.inputTokens, output_tokens: request.answered.outputTokens },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  /** Replaces what the next requests get, in order. */
  answer(...steps: Script[]): void {
    this.script = steps;
    this.handler = undefined;
    this.requests.length = 0;
  }

  /** Answers every request with what `handler` makes of it, until the next answer(). */
  answerEach(handler: (request: RecordedRequest) => Script): void {
    this.script = [];
    this.handler = handler;
    this.requests.length = 0;
  }

  /** Tokens and calls of the requests answered since the script was last set. */
  get spent(): { calls: number; inputTokens: number; outputTokens: number } {
    const answered = this.requests.flatMap((request) => (request.answered ? [request.answered] : []));
    return {
      calls: answered.length,
      inputTokens: answered.reduce((sum, a) => sum + a.inputTokens, 0),
      outputTokens: answered.reduce((sum, a) => sum + a.outputTokens, 0),
    };
  }

  get pending(): number {
    return this.script.length;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.delays.delete(end);
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.delays.add(end);
    });
  }

  async stop(): Promise<void> {
    for (const end of [...this.delays]) end();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
