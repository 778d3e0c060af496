import { GraphQLError, Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { jsonProblem, MAX_JSON_DEPTH, textProblem } from '../memory/text.js';
import type { ErrorCode } from '../errors.js';

function badInput(path: string, problem: string): GraphQLError {
  return new GraphQLError(`${path} ${problem}.`, {
    extensions: { code: 'BAD_USER_INPUT' satisfies ErrorCode, field: path, http: { status: 400 } },
  });
}

/** How deep an inline value nests (iterative). */
function literalDepth(root: ValueNode): number {
  let deepest = 0;
  const stack: [ValueNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if (node.kind === Kind.OBJECT) for (const field of node.fields) stack.push([field.value, depth + 1]);
    if (node.kind === Kind.LIST) for (const value of node.values) stack.push([value, depth + 1]);
  }
  return deepest;
}

/** The first bad text or nesting among a document's inline arguments, or null. */
function documentProblem(document: DocumentNode): GraphQLError | null {
  let found: GraphQLError | null = null;
  visit(document, {
    StringValue(node) {
      const problem = textProblem(node.value);
      if (problem && !found) found = badInput('a string argument', problem);
    },
    Argument(node) {
      if (!found && literalDepth(node.value) > MAX_JSON_DEPTH)
        found = badInput(node.name.value, `nests deeper than ${MAX_JSON_DEPTH} levels`);
    },
  });
  return found;
}

/**
 * Every argument of every operation, before anything runs: no string with a NUL or an unpaired
 * surrogate (PostgreSQL cannot store the one, the other would be stored as U+FFFD), no input
 * nesting deeper than MAX_JSON_DEPTH. The fields validate their own rules (lengths, dates,
 * identifiers) and answer typed errors; this is the floor under all of them, so that no such input
 * reaches the database and comes back as "Unexpected error.".
 */
export function inputGuard(): Plugin {
  const check = (document: DocumentNode, variables: Record<string, unknown> | null | undefined) => {
    const bad = jsonProblem(variables ?? {}, 'variables');
    return bad ? badInput(bad.path, bad.problem) : documentProblem(document);
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = check(args.document, args.variableValues);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
