import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../errors.js';

/** Limits on what one request may ask for; each is tested at N (accepted) and N + 1 (refused). */
export const REQUEST_LIMITS = {
  depth: 10,
  aliases: 20,
  tokens: 3000,
  directives: 20,
  cost: 20_000,
  batch: 10,
};

export type RequestLimits = typeof REQUEST_LIMITS;

export interface HardeningOptions {
  introspection: boolean;
  fieldSuggestions: boolean;
  maxBodyBytes: number;
  /** Overrides of REQUEST_LIMITS (tests use small ones to probe each boundary). */
  limits?: Partial<RequestLimits>;
}

/** Refuses bodies over the limit before they are parsed, and bodies of unknown length. */
function bodySizeLimit(maxBodyBytes: number): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const length = request.headers.get('content-length');
      if (length === null) {
        throw createGraphQLError('Send a Content-Length header with the request body.', {
          extensions: { code: 'LENGTH_REQUIRED' satisfies ErrorCode, http: { status: 411 } },
        });
      }
      if (Number(length) > maxBodyBytes) {
        throw createGraphQLError(`The request body exceeds ${maxBodyBytes} bytes.`, {
          extensions: { code: 'PAYLOAD_TOO_LARGE' satisfies ErrorCode, http: { status: 413 } },
        });
      }
    },
  };
}

export function hardeningPlugins(options: HardeningOptions): Plugin[] {
  const limits = { ...REQUEST_LIMITS, ...options.limits };
  const plugins: Plugin[] = [
    bodySizeLimit(options.maxBodyBytes),
    // A "simple" (non-preflighted) browser request must carry one of these headers; Authorization
    // counts, since browsers only send it cross-site after a CORS preflight.
    useCSRFPrevention({ requestHeaders: ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'authorization'] }),
    maxTokensPlugin({ n: limits.tokens, exposeLimits: true }),
    maxDepthPlugin({ n: limits.depth, ignoreIntrospection: true, flattenFragments: true, exposeLimits: true }),
    maxAliasesPlugin({ n: limits.aliases, exposeLimits: true }),
    maxDirectivesPlugin({ n: limits.directives, exposeLimits: true }),
    costLimitPlugin({ maxCost: limits.cost, ignoreIntrospection: true, exposeLimits: true }),
  ];
  if (!options.fieldSuggestions) plugins.push(blockFieldSuggestionsPlugin());
  if (!options.introspection) plugins.push(useDisableIntrospection());
  return plugins;
}
