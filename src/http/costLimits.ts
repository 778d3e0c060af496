import { GraphQLError, Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { credentialBucket, enforceRateLimit, type Context, type Services } from '../context.js';

/** Root fields that embed text or call Claude: the expensive ones. */
const EXPENSIVE_FIELDS = new Set([
  'searchMemories',
  'memoryContext',
  'askMemory',
  'addMemory',
  'addMemories',
  'updateMemory',
  'restoreMemory',
  'rememberConversation',
]);

/** At most this many expensive root fields in one HTTP request, batched operations and aliases included. */
export const MAX_EXPENSIVE_FIELDS_PER_REQUEST = 20;

/** The root fields an operation asks for, aliases counted apart, fragments followed. */
export function rootFieldNames(document: DocumentNode, operationName?: string | null): string[] {
  const operation = document.definitions.find(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && (!operationName || definition.name?.value === operationName),
  );
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
  const fragments = new Map(
    document.definitions.flatMap((definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition] as const] : [],
    ),
  );
  const names: string[] = [];
  const pending: SelectionSetNode[] = [operation.selectionSet];
  const seen = new Set<string>();
  while (pending.length > 0) {
    for (const selection of pending.pop()!.selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push(fragment.selectionSet);
      }
    }
  }
  return names;
}

/**
 * What one request may cost: every root field counts against the credential's rate limit (the
 * request itself was counted when it was authenticated), and one HTTP request — its batched
 * operations and aliases together — may ask for at most MAX_EXPENSIVE_FIELDS_PER_REQUEST searches,
 * embeddings and model calls.
 */
export function costLimits(services: Services): Plugin {
  const expensiveSoFar = new WeakMap<Request, number>();
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Partial<Context> & { request?: Request };
      if (!context.principal) return; // introspection only
      const fields = rootFieldNames(args.document, args.operationName);
      const expensive = fields.filter((name) => EXPENSIVE_FIELDS.has(name)).length;
      if (context.request && expensive > 0) {
        const total = (expensiveSoFar.get(context.request) ?? 0) + expensive;
        expensiveSoFar.set(context.request, total);
        if (total > MAX_EXPENSIVE_FIELDS_PER_REQUEST) {
          setResultAndStopExecution({
            errors: [
              new GraphQLError(
                `One request may ask for at most ${MAX_EXPENSIVE_FIELDS_PER_REQUEST} searches, writes and model calls (batched operations and aliases included).`,
                {
                  extensions: {
                    code: 'COST_LIMIT_EXCEEDED',
                    limit: MAX_EXPENSIVE_FIELDS_PER_REQUEST,
                    http: { status: 400 },
                  },
                },
              ),
            ],
          });
          return;
        }
      }
      if (fields.length > 1) {
        try {
          await enforceRateLimit(
            services,
            credentialBucket(context.principal),
            services.rateLimits.perCredential,
            'this credential',
            fields.length - 1,
          );
        } catch (error) {
          setResultAndStopExecution({ errors: [error as GraphQLError] });
        }
      }
    },
  };
}
