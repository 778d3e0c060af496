import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import type { Usage } from '../llm/claude.js';

export interface ModelUsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Time spent waiting for the model, retries included. */
  modelMs: number;
}

function totals(spent: Usage[]): ModelUsageTotals {
  return {
    calls: spent.length,
    inputTokens: spent.reduce((sum, usage) => sum + usage.inputTokens, 0),
    outputTokens: spent.reduce((sum, usage) => sum + usage.outputTokens, 0),
    modelMs: spent.reduce((sum, usage) => sum + usage.modelMs, 0),
  };
}

/**
 * A response whose operation called the model says what that cost in its extensions
 * (`modelUsage`), so that callers can track their own spending request by request. The same
 * calls are metered for the tenant (usage, usageByEndUser).
 */
export function modelUsageExtension(): Plugin<Record<string, unknown>, Context> {
  return {
    onExecute({ args }) {
      const spent = (args.contextValue as Partial<Context>).modelUsage;
      if (!spent) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || spent.length === 0) return;
          const single = result as ExecutionResult;
          setResult({ ...single, extensions: { ...single.extensions, modelUsage: totals(spent) } });
        },
      };
    },
  };
}
