import { z } from 'zod';
import { globalId } from '../app/ids.js';
import type { OperationName } from '../app/operations.js';
import type { Context } from '../context.js';
import { LIMITS } from '../memory/limits.js';
import { changeJson, hitJson, memoryJson } from './json.js';

/**
 * Memgate's tools for agents. Each is one operation of app/operations.ts, called through the
 * request's session like a GraphQL field: the same policy (scopes, limits, the end user a token is
 * bound to), the same views (without READ a write answers ids and statuses only), the same codes.
 * A tool is listed only when the credential may call its operation.
 */
export interface Tool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  operation: OperationName;
  title: string;
  description: string;
  readOnly: boolean;
  /** Only when Claude is configured. */
  needsModel?: boolean;
  input: Shape;
  run(
    session: Context,
    args: z.infer<z.ZodObject<Shape>> & { externalUserId?: string },
  ): Promise<Record<string, unknown>>;
}

export const USER_ARGUMENT = z
  .string()
  .describe(
    "The end user this is about: your application's stable id for them, usually their email. Every memory belongs to exactly one end user.",
  );
const memoryId = z.string().describe('The id of a memory, as returned by recall, remember or list_recent.');
const tags = z.array(z.string()).describe('Labels for filtering, e.g. ["diet", "travel"].');
const metadata = z.record(z.string(), z.unknown()).describe('Any JSON object kept with the memory.');

const date = (value: string | undefined) => (value ? new Date(value) : null);
const now = z.iso
  .datetime({ offset: true })
  .optional()
  .describe('When the question is asked (ISO 8601): "last month" or "on 8 May" are read against it; now when omitted.');

function tool<Shape extends z.ZodRawShape>(definition: Tool<Shape>): Tool {
  return definition;
}

export const TOOLS: Tool[] = [
  tool({
    name: 'remember',
    operation: 'addMemory',
    title: 'Remember',
    description:
      'Store one new fact about the end user (a short, self-contained sentence such as "Prefers window seats"). Storing content the user already has returns the existing memory with created=false. When the fact changes one already remembered (a new job, a move, a changed preference), recall it and use update on that memory instead: two contradicting memories mislead later answers.',
    readOnly: false,
    input: {
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
      threadId: z
        .string()
        .optional()
        .describe('The conversation or session it came from (your identifier, 1-200 characters).'),
      idempotencyKey: z
        .string()
        .optional()
        .describe('The same key with the same content replays the first answer instead of writing again.'),
    },
    run: async (session, { externalUserId, idempotencyKey, occurredAt, expiresAt, ...memory }) => {
      const added = await session.memories.add(
        externalUserId,
        { ...memory, occurredAt: date(occurredAt), expiresAt: date(expiresAt) },
        idempotencyKey,
      );
      return { created: added.created, memory: memoryJson(added.memory) };
    },
  }),
  tool({
    name: 'recall',
    operation: 'searchMemories',
    title: 'Recall',
    description:
      'Search what is remembered about the end user, best match first. HYBRID (default) weighs meaning and words; SEMANTIC is meaning only; KEYWORD is words only.',
    readOnly: true,
    input: {
      query: z.string().describe('What to look for, e.g. "what does she eat?".'),
      mode: z
        .enum(['HYBRID', 'SEMANTIC', 'KEYWORD'])
        .optional()
        .describe('HYBRID (default): meaning and words; SEMANTIC: meaning only; KEYWORD: exact words (names, codes).'),
      limit: z
        .number()
        .int()
        .min(LIMITS.searchLimit.min)
        .max(LIMITS.searchLimit.max)
        .optional()
        .describe(`At most this many hits (default ${LIMITS.searchLimit.default}).`),
      minScore: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe(
          'Leave out hits scoring below this: scores run from 0 (unrelated) to 1 (certain); 0.5 keeps what is probably relevant; default 0 (keep all).',
        ),
      tags: tags.optional().describe('Only memories with all of these tags.'),
      anyTags: tags.optional().describe('Only memories with at least one of these tags.'),
      now,
    },
    run: async (session, { externalUserId, query, mode, limit, minScore, tags, anyTags, now: asked }) => {
      const filter = { tags, anyTags };
      const options = { mode, limit, minScore, filter, now: date(asked) };
      const found = await session.memories.search(externalUserId, query, options);
      const timeWindow = found.timeWindow && {
        from: found.timeWindow.from.toISOString(),
        to: found.timeWindow.to.toISOString(),
        text: found.timeWindow.text,
      };
      return { hits: found.hits.map(hitJson), timeWindow };
    },
  }),
  tool({
    name: 'context_for_prompt',
    operation: 'memoryContext',
    title: 'Context for a prompt',
    description:
      "A ready-to-paste block of what is known about the end user that is relevant to the query, within a token budget, for the model's system prompt.",
    readOnly: true,
    input: {
      query: z.string().describe('The conversation turn or task the context is for.'),
      tokenBudget: z
        .number()
        .int()
        .min(50)
        .max(100_000)
        .optional()
        .describe('Roughly how many tokens the block may take (default 500).'),
      now,
      threadContext: z
        .number()
        .int()
        .min(0)
        .max(LIMITS.threadContext.max)
        .optional()
        .describe('Show each memory with up to this many memories around it in its conversation (default 0).'),
    },
    run: async (session, { externalUserId, query, tokenBudget, now: asked, threadContext }) => {
      const context = await session.memories.context(externalUserId, query, tokenBudget ?? 500, {
        now: date(asked),
        around: threadContext ?? 0,
      });
      return { text: context.text, tokenEstimate: context.tokenEstimate, memories: context.hits.map(hitJson) };
    },
  }),
  tool({
    name: 'about',
    operation: 'entities',
    title: 'What is known about someone or something',
    description:
      'Everything remembered about one person, place, organisation, pet or thing the end user has mentioned ("my sister", "Lisbon", "Pepper"): the entity, the names it goes by, and the memories that name it, latest first. Use it for "what do you know about X"; use recall for questions.',
    readOnly: true,
    input: {
      name: z
        .string()
        .min(1)
        .max(200)
        .describe('The name or a way of writing it (any case), e.g. "Pepper" or "my mum".'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(LIMITS.entityMemories.max)
        .optional()
        .describe('At most this many memories (default 10).'),
    },
    run: async (session, { externalUserId, name, limit }) => {
      const { entity, memories, others } = await session.entities.about(externalUserId, name, limit);
      return {
        found: entity !== null,
        entity: entity && {
          id: globalId('Entity', entity.id),
          name: entity.name,
          type: entity.type,
          aliases: entity.aliases,
          memoryCount: entity.memoryCount,
        },
        memories: memories.map(memoryJson),
        others,
      };
    },
  }),
  tool({
    name: 'list_recent',
    operation: 'memories',
    title: 'List recent memories',
    description: 'The end user’s memories, newest first.',
    readOnly: true,
    input: { limit: z.number().int().min(1).max(LIMITS.pageSize.max).optional().describe('How many (default 20).') },
    run: async (session, { externalUserId, limit }) => {
      const page = await session.memories.list(externalUserId, { first: limit ?? 20 }, {}, false);
      return { memories: page.edges.map((edge) => memoryJson(edge.node)), hasMore: page.pageInfo.hasNextPage };
    },
  }),
  tool({
    name: 'update',
    operation: 'updateMemory',
    title: 'Update a memory',
    description:
      'Change a memory’s content, tags or metadata: use it when a fact about the end user changed, rather than remembering a contradicting one. The previous text stays in its history.',
    readOnly: false,
    input: {
      id: memoryId,
      content: z
        .string()
        .optional()
        .describe('The new text of the memory, whole (not a diff); unchanged when omitted.'),
      tags: tags.optional(),
      metadata: metadata.optional(),
      reason: z.string().optional().describe('Why it changed, kept in the history.'),
    },
    run: async (session, { externalUserId, id, ...patch }) => ({
      memory: memoryJson(await session.memories.update(externalUserId, id, patch)),
    }),
  }),
  tool({
    name: 'forget',
    operation: 'deleteMemory',
    title: 'Forget a memory',
    description:
      'Retire a memory: it leaves recall and lists at once. Its history is kept, and it can be restored through the API.',
    readOnly: false,
    input: { id: memoryId, reason: z.string().optional().describe('Why it was forgotten, kept in the history.') },
    run: async (session, { externalUserId, id, reason }) => ({
      forgotten: memoryJson(await session.memories.delete(externalUserId, id, reason)),
    }),
  }),
  tool({
    name: 'remember_conversation',
    operation: 'rememberConversation',
    title: 'Remember a conversation',
    description:
      'Give the conversation to Claude: it extracts what is worth remembering about the end user and adds, updates or retires memories accordingly. Answers the changes made.',
    readOnly: false,
    needsModel: true,
    input: {
      messages: z
        .array(
          z.object({
            role: z.enum(['user', 'assistant']).describe('Who said it: the end user or the assistant.'),
            content: z.string().describe('What was said.'),
          }),
        )
        .min(1)
        .describe('The conversation, oldest message first.'),
    },
    run: async (session, { externalUserId, messages }) => {
      const turns = messages.map(({ role, content }) => ({
        role: role === 'user' ? ('USER' as const) : ('ASSISTANT' as const),
        content,
      }));
      const job = await session.memories.rememberConversation(externalUserId, turns, {}, 'SYNC');
      return { status: job.status, changes: (job.changes ?? []).map(changeJson), error: job.error };
    },
  }),
];
