import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isOperation } from '../app/operations.js';
import type { Context } from '../context.js';
import { MemgateError } from '../errors.js';
import { toGraphQLError } from './graphqlErrors.js';

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
 * A GraphQL operation's root fields are calls of the application layer, admitted together before
 * any runs (app/caller.ts): past the request's cost cap — an HTTP request's batched operations and
 * aliases together — or the credential's rate limit, the operation is refused whole.
 */
export function callAdmission(): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as Partial<Context>;
      if (!context.caller) return; // introspection only
      const operations = rootFieldNames(args.document, args.operationName).filter(isOperation);
      try {
        await context.caller.admit(operations);
      } catch (error) {
        if (!(error instanceof MemgateError)) throw error;
        setResultAndStopExecution({ errors: [toGraphQLError(error)] });
      }
    },
  };
}
