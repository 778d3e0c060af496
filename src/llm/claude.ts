import { LlmAnswerTooLongError, LlmFailedError, LlmNotConfiguredError } from '../errors.js';
import Anthropic from '@anthropic-ai/sdk';

export interface LlmConfig {
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** The most one answer may hold; work is split so that answers fit (see memory/modelWork.ts). */
  maxTokens: number;
  /** Per attempt. */
  timeoutMs: number;
  /** Retries on 408/409/429/5xx/529 and timeouts, with jittered exponential backoff (the SDK's). */
  maxRetries: number;
}

export interface ToolSpec<T> {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** Validates the model's input for the tool; throws on anything outside the schema. */
  parse: (input: unknown) => T;
}

export interface Usage {
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** Time spent waiting for the answer, retries included. */
  modelMs: number;
}

export interface ToolCall {
  system: string;
  /** The user turn: data for the model, never instructions. */
  prompt: string;
  /** Abandons the call (the job's lease was lost). */
  signal?: AbortSignal;
}

/** What one call cost, for metrics: seconds (retries included), outcome, tokens. */
export interface LlmCallRecord {
  model: string;
  seconds: number;
  outcome: 'ok' | 'error';
  inputTokens: number;
  outputTokens: number;
}

/** The one door to Claude: a forced call of one tool, validated before use. */
export class Claude {
  private readonly client?: Anthropic;

  constructor(
    readonly config: LlmConfig,
    private readonly observe: (call: LlmCallRecord) => void = () => {},
  ) {
    if (config.apiKey) {
      this.client = new Anthropic({
        apiKey: config.apiKey,
        baseURL: config.baseURL,
        timeout: config.timeoutMs,
        maxRetries: config.maxRetries,
      });
    }
  }

  /** The most one answer may hold: callers size their work to fit. */
  get maxTokens(): number {
    return this.config.maxTokens;
  }

  get configured(): boolean {
    return this.client !== undefined;
  }

  /** @param spent every response's token usage is pushed here, whether or not its answer was usable */
  async callTool<T>(call: ToolCall, tool: ToolSpec<T>, spent: Usage[]): Promise<T> {
    if (!this.client) throw new LlmNotConfiguredError();
    let message: Anthropic.Message;
    const startedAt = performance.now();
    const elapsedMs = () => Math.round(performance.now() - startedAt);
    try {
      // No temperature: API version 2026-10-21 (the one this SDK speaks) refuses every sampling
      // parameter with a 400. The forced tool and the inputs' fixed order are what keep answers steady.
      message = await this.client.messages.create(
        {
          model: this.config.model,
          max_tokens: this.config.maxTokens,
          system: call.system,
          messages: [{ role: 'user', content: call.prompt }],
          tools: [
            {
              name: tool.name,
              description: tool.description,
              input_schema: tool.inputSchema as Anthropic.Tool.InputSchema,
            },
          ],
          tool_choice: { type: 'tool', name: tool.name },
        },
        { signal: call.signal },
      );
    } catch (error) {
      this.observe({
        model: this.config.model,
        seconds: elapsedMs() / 1000,
        outcome: 'error',
        inputTokens: 0,
        outputTokens: 0,
      });
      throw new LlmFailedError(
        `Claude could not be reached: ${error instanceof Error ? error.constructor.name : 'error'}.`,
      );
    }
    const usage = {
      model: message.model ?? this.config.model,
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
      modelMs: elapsedMs(),
    };
    spent.push(usage);
    const cutOff = message.stop_reason === 'max_tokens' || message.stop_reason === 'model_context_window_exceeded';
    this.observe({
      model: usage.model,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      seconds: usage.modelMs / 1000,
      outcome: cutOff ? 'error' : 'ok',
    });
    if (cutOff) throw new LlmAnswerTooLongError(tool.name, this.config.maxTokens);
    if (message.stop_reason === 'refusal')
      throw new LlmFailedError(`Claude declined to answer with the ${tool.name} tool (stop reason: refusal).`);
    const use = message.content.find((block) => block.type === 'tool_use' && block.name === tool.name);
    if (!use || use.type !== 'tool_use') {
      throw new LlmFailedError(
        `Claude did not answer with the ${tool.name} tool (stop reason: ${message.stop_reason}).`,
      );
    }
    try {
      return tool.parse(use.input);
    } catch (error) {
      throw new LlmFailedError(`Claude's ${tool.name} input was invalid: ${(error as Error).message}`);
    }
  }
}
