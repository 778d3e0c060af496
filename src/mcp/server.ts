import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Context } from '../context.js';
import { LlmNotConfiguredError, MemgateError, ValidationError, type ErrorCode } from '../errors.js';
import { TOOLS, USER_ARGUMENT, type Tool } from './tools.js';

const INSTRUCTIONS =
  'Memgate is the long-term memory of this application: remember stable facts about the end user (preferences, circumstances, ' +
  'decisions) with remember, and recall them before answering with recall or context_for_prompt. When a fact changes, update ' +
  'the memory that holds it instead of remembering a contradicting one. Every memory belongs to one end user.';

/** How one tool call went, for its log line. */
export interface ToolCallRecord {
  tool: string;
  outcome: 'ok' | ErrorCode;
  ms: number;
}

export interface McpServerOptions {
  /** Whether Claude is configured (remember_conversation is listed only then). */
  claudeConfigured: boolean;
  /** Every call, as it ends (request log and metrics). */
  onCall(record: ToolCallRecord): void;
  /** A failure that is not an expected one: logged, answered without detail. */
  onUnexpected(error: unknown, tool: string): void;
}

export function toolFailure(code: ErrorCode, message: string, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}` }],
    structuredContent: { code, message, ...extra },
  };
}

function answer(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/**
 * A tool's arguments: with an API key the end user is named on every call; a token is bound to its own,
 * and offers no such argument (nor any other the tool does not name: VALIDATION_FAILED).
 */
function inputOf(tool: Tool, session: Context) {
  const shape = session.principal.boundUser ? tool.input : { externalUserId: USER_ARGUMENT, ...tool.input };
  return z.strictObject(shape);
}

/** The tools this credential may call: those whose operation its scopes allow. */
export function toolsFor(session: Context, claudeConfigured: boolean): Tool[] {
  return TOOLS.filter((tool) => (!tool.needsModel || claudeConfigured) && session.caller.may(tool.operation));
}

/** Arguments that do not fit a tool are refused like a field's: VALIDATION_FAILED, naming the argument. */
function parse(tool: Tool, session: Context, args: unknown) {
  const parsed = inputOf(tool, session).safeParse(args ?? {});
  if (parsed.success) return parsed.data as Parameters<Tool['run']>[1];
  const [issue] = parsed.error.issues;
  if (issue.code === 'unrecognized_keys') {
    const field = issue.keys.join(', ');
    const bound = session.principal.boundUser ? ' (an end-user token always acts for its own end user)' : '';
    throw new ValidationError(field, `${field}: not an argument of ${tool.name}${bound}.`);
  }
  const field = issue.path.join('.') || 'arguments';
  throw new ValidationError(field, `${field}: ${issue.message}`);
}

/** An MCP server (stateless: one per request) whose tools call the request's session. */
export function mcpServer(session: Context, options: McpServerOptions): Server {
  const server = new Server(
    { name: 'memgate', version: '1.0.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  const listed = toolsFor(session, options.claudeConfigured);
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: listed.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: z.toJSONSchema(inputOf(tool, session)) as { type: 'object' },
      annotations: {
        readOnlyHint: tool.readOnly,
        destructiveHint: tool.operation === 'deleteMemory',
        openWorldHint: false,
      },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async ({ params }) => {
    const startedAt = performance.now();
    const tool = TOOLS.find((candidate) => candidate.name === params.name);
    let result: CallToolResult;
    if (!tool) {
      result = toolFailure('VALIDATION_FAILED', `No tool named "${params.name}".`, { field: 'name' });
    } else {
      try {
        // A tool this credential is not offered answers why, as the GraphQL field would.
        if (tool.needsModel && !options.claudeConfigured) throw new LlmNotConfiguredError();
        session.caller.authorize(tool.operation);
        result = answer(await tool.run(session, parse(tool, session, params.arguments)));
      } catch (error) {
        if (error instanceof MemgateError) {
          result = toolFailure(
            error.code,
            error.message,
            error instanceof ValidationError ? { field: error.field } : {},
          );
        } else {
          options.onUnexpected(error, tool.name);
          result = toolFailure('INTERNAL_SERVER_ERROR', 'The tool failed unexpectedly; the error was logged.');
        }
      }
    }
    const outcome = result.isError ? (result.structuredContent as { code: ErrorCode }).code : 'ok';
    options.onCall({ tool: params.name.slice(0, 64), outcome, ms: performance.now() - startedAt });
    return result;
  });
  return server;
}
