import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Scope } from '../auth/principal.js';
import type { Context } from '../context.js';
import { MemgateError } from '../errors.js';
import type { MemoryRecord, ScoredMemory } from '../model.js';
import { LIMITS } from '../memory/limits.js';
import { memoryGlobalId, memoryIdFromGlobalId } from '../schema/ids.js';

/**
 * Memgate's tools for agents: the same domain calls as the GraphQL fields, with the request's
 * context (tenant from the credential, per-user rate limits, row-level security). A tool is listed
 * only when the credential holds its scope; with an end-user token no tool takes a user argument.
 */

type ToolResult = CallToolResult;

interface ToolDeps {
  ctx: Context;
  /** Whether Claude is configured (remember_conversation is listed only then). */
  claudeConfigured: boolean;
  /** Errors that are not a typed failure of the request: logged, answered without detail. */
  onUnexpected(error: unknown, tool: string): void;
}

const user = z
  .string()
  .describe(
    "The end user this is about: your application's stable id for them, usually their email. Every memory belongs to exactly one end user.",
  );
const memoryId = z.string().describe('The id of a memory, as returned by recall, remember or list_recent.');
const tags = z.array(z.string()).describe('Labels for filtering, e.g. ["diet", "travel"].');
const metadata = z.record(z.string(), z.unknown()).describe('Any JSON object kept with the memory.');

function memoryView(memory: MemoryRecord) {
  return {
    id: memoryGlobalId(memory.id),
    content: memory.content,
    tags: memory.tags,
    metadata: memory.metadata,
    occurredAt: memory.occurredAt.toISOString(),
    createdAt: memory.createdAt.toISOString(),
    updatedAt: memory.updatedAt.toISOString(),
    expiresAt: memory.expiresAt?.toISOString() ?? null,
  };
}

function hitView(hit: ScoredMemory) {
  return {
    ...memoryView(hit.memory),
    score: hit.score,
    semanticScore: hit.semanticScore ?? null,
    keywordScore: hit.keywordScore ?? null,
  };
}

function answer(value: Record<string, unknown>): ToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

function failure(code: string, message: string): ToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${code}: ${message}` }],
    structuredContent: { code, message },
  };
}

/** The GraphQL errors the context throws (FORBIDDEN, RATE_LIMITED) carry their code in extensions. */
function codeOf(error: unknown): string | undefined {
  if (error instanceof MemgateError) return error.code;
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function registerTools(server: McpServer, { ctx, claudeConfigured, onUnexpected }: ToolDeps): void {
  const { principal } = ctx;
  const apiKey = principal.kind === 'API_KEY';
  // With an API key the end user is named on every call; a token is bound to its end user.
  const withUser = <T extends z.ZodRawShape>(shape: T) =>
    apiKey ? { externalUserId: user, ...shape } : { externalUserId: user.optional(), ...shape };
  const tool = <T extends z.ZodRawShape>(
    name: string,
    scope: Scope,
    config: { title: string; description: string; readOnly: boolean },
    shape: T,
    run: (args: z.infer<z.ZodObject<T>> & { externalUserId?: string }) => Promise<Record<string, unknown>>,
  ) => {
    if (!principal.scopes.includes(scope)) return;
    server.registerTool(
      name,
      {
        title: config.title,
        description: config.description,
        inputSchema: withUser(shape),
        annotations: {
          readOnlyHint: config.readOnly,
          destructiveHint: !config.readOnly && name === 'forget',
          openWorldHint: false,
        },
      },
      (async (args: z.infer<z.ZodObject<T>> & { externalUserId?: string }) => {
        try {
          return answer(await run(args));
        } catch (error) {
          const code = codeOf(error);
          if (code) return failure(code, (error as Error).message);
          onUnexpected(error, name);
          return failure('INTERNAL', 'The tool failed unexpectedly; the error was logged.');
        }
      }) as never,
    );
  };

  tool(
    'remember',
    'WRITE',
    {
      title: 'Remember',
      description:
        'Store one fact about the end user (a short, self-contained sentence such as "Prefers window seats"). Storing content the user already has returns the existing memory with created=false.',
      readOnly: false,
    },
    {
      content: z.string().describe('The fact to remember, in plain language.'),
      tags: tags.optional(),
      metadata: metadata.optional(),
      occurredAt: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('When it was said or happened (ISO 8601); now when omitted.'),
      expiresAt: z.iso
        .datetime({ offset: true })
        .optional()
        .describe('When to forget it automatically (ISO 8601, in the future).'),
      idempotencyKey: z
        .string()
        .optional()
        .describe('The same key with the same content replays the first answer instead of writing again.'),
    },
    async ({ externalUserId, content, tags, metadata, occurredAt, expiresAt, idempotencyKey }) => {
      const memories = await ctx.forUser(externalUserId);
      const added = await memories.add(
        {
          content,
          tags,
          metadata,
          occurredAt: occurredAt ? new Date(occurredAt) : null,
          expiresAt: expiresAt ? new Date(expiresAt) : null,
        },
        idempotencyKey,
      );
      return { created: added.created, memory: memoryView(added.memory) };
    },
  );

  tool(
    'recall',
    'READ',
    {
      title: 'Recall',
      description:
        'Search what is remembered about the end user, best match first. HYBRID (default) weighs meaning and words; SEMANTIC is meaning only; KEYWORD is words only.',
      readOnly: true,
    },
    {
      query: z.string().describe('What to look for, e.g. "what does she eat?".'),
      mode: z.enum(['HYBRID', 'SEMANTIC', 'KEYWORD']).optional(),
      limit: z
        .number()
        .int()
        .min(LIMITS.searchLimit.min)
        .max(LIMITS.searchLimit.max)
        .optional()
        .describe(`At most this many hits (default ${LIMITS.searchLimit.default}).`),
      minScore: z.number().min(-1).max(1).optional(),
      tags: tags.optional().describe('Only memories with all of these tags.'),
      anyTags: tags.optional().describe('Only memories with at least one of these tags.'),
    },
    async ({ externalUserId, query, mode, limit, minScore, tags, anyTags }) => {
      const memories = await ctx.forUser(externalUserId);
      const hits = await memories.search(query, { mode, limit, minScore, filter: { tags, anyTags } });
      return { hits: hits.map(hitView) };
    },
  );

  tool(
    'context_for_prompt',
    'READ',
    {
      title: 'Context for a prompt',
      description:
        "A ready-to-paste block of what is known about the end user that is relevant to the query, within a token budget, for the model's system prompt.",
      readOnly: true,
    },
    {
      query: z.string().describe('The conversation turn or task the context is for.'),
      tokenBudget: z
        .number()
        .int()
        .min(50)
        .max(100_000)
        .optional()
        .describe('Roughly how many tokens the block may take (default 500).'),
    },
    async ({ externalUserId, query, tokenBudget }) => {
      const context = await (await ctx.forUser(externalUserId)).context(query, tokenBudget ?? 500);
      return { text: context.text, tokenEstimate: context.tokenEstimate, memories: context.hits.map(hitView) };
    },
  );

  tool(
    'list_recent',
    'READ',
    { title: 'List recent memories', description: 'The end user’s memories, newest first.', readOnly: true },
    { limit: z.number().int().min(1).max(LIMITS.pageSize.max).optional().describe('How many (default 20).') },
    async ({ externalUserId, limit }) => {
      const page = await (await ctx.forUser(externalUserId)).list({ first: limit ?? 20 });
      return { memories: page.edges.map((edge) => memoryView(edge.node)), hasMore: page.pageInfo.hasNextPage };
    },
  );

  tool(
    'update',
    'WRITE',
    {
      title: 'Update a memory',
      description: 'Change a memory’s content, tags or metadata. The previous text stays in its history.',
      readOnly: false,
    },
    {
      id: memoryId,
      content: z.string().optional(),
      tags: tags.optional(),
      metadata: metadata.optional(),
      reason: z.string().optional().describe('Why it changed, kept in the history.'),
    },
    async ({ externalUserId, id, content, tags, metadata, reason }) => {
      const memories = await ctx.forUser(externalUserId);
      return {
        memory: memoryView(await memories.update(memoryIdFromGlobalId(id), { content, tags, metadata, reason })),
      };
    },
  );

  tool(
    'forget',
    'WRITE',
    {
      title: 'Forget a memory',
      description:
        'Retire a memory: it leaves recall and lists at once. Its history is kept, and it can be restored through the API.',
      readOnly: false,
    },
    { id: memoryId, reason: z.string().optional().describe('Why it was forgotten, kept in the history.') },
    async ({ externalUserId, id, reason }) => {
      const memories = await ctx.forUser(externalUserId);
      return { forgotten: memoryView(await memories.delete(memoryIdFromGlobalId(id), reason)) };
    },
  );

  if (claudeConfigured) {
    tool(
      'remember_conversation',
      'WRITE',
      {
        title: 'Remember a conversation',
        description:
          'Give the conversation to Claude: it extracts what is worth remembering about the end user and adds, updates or retires memories accordingly. Answers the changes made.',
        readOnly: false,
      },
      {
        messages: z
          .array(z.object({ role: z.enum(['user', 'assistant']), content: z.string() }))
          .min(1)
          .describe('The conversation, oldest message first.'),
      },
      async ({ externalUserId, messages }) => {
        const turns = messages.map(({ role, content }) => ({
          role: role === 'user' ? ('USER' as const) : ('ASSISTANT' as const),
          content,
        }));
        const job = await (await ctx.conversationsOf(externalUserId)).submit(turns, null, 'SYNC');
        const changes = (job.changes ?? []).map((change) => ({ ...change, memoryId: memoryGlobalId(change.memoryId) }));
        return { status: job.status, changes, error: job.error };
      },
    );
  }
}
