import type { UserMemoryEvent } from '../app/memoryCalls.js';
import { isWithheld, type MemoryView } from '../app/views.js';
import type { Context } from '../context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { ChangeActor, MemoryFilter, MemoryRecord } from '../model.js';
import { builder } from './builder.js';
import { globalId, memoryGlobalId } from '../app/ids.js';
import { PLAIN_UUIDS } from './ids.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

export type { UserMemoryEvent };

/** Declared apart from its implementation: MemoryEvent.memory and Memory.history refer to each other. */
const MemoryRef = builder.objectRef<MemoryView>('Memory');

/** A memory's data, which the type's READ scope guards; a withheld view never reaches here with it. */
export function shown(memory: MemoryView): MemoryRecord {
  if (isWithheld(memory)) throw new ForbiddenError('This credential lacks the READ scope.');
  return memory;
}

export const Memory = builder.node(MemoryRef, {
  description: 'One remembered fact about one end user of the calling tenant. Every field but id needs the READ scope.',
  authScopes: { READ: true },
  id: { resolve: (memory) => memory.id, skipTypeScopes: true },
  loadMany: (ids, ctx) => ctx.tenant.nodes(ids),
  fields: (t) => ({
    externalUserId: t.string({ resolve: (memory) => shown(memory).externalUserId }),
    content: t.string({ resolve: (memory) => shown(memory).content }),
    metadata: t.field({ type: 'JSONObject', resolve: (memory) => shown(memory).metadata }),
    tags: t.stringList({ resolve: (memory) => shown(memory).tags }),
    embeddingModel: t.string({
      description: 'The embedding model of the stored vector.',
      resolve: (memory) => shown(memory).embeddingModel,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (memory) => shown(memory).createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (memory) => shown(memory).updatedAt }),
    occurredAt: t.field({
      type: 'DateTime',
      description:
        'When what the memory says was said or happened: given on add or import, the time of the conversation it came from, or else when it was stored.',
      resolve: (memory) => shown(memory).occurredAt,
    }),
    expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (memory) => shown(memory).expiresAt }),
    threadId: t.string({
      nullable: true,
      description:
        "The conversation or session it came from: given on add or import, or set by rememberConversation. A thread: memories(filter: { threadId }); a search hit's neighbours in it: MemoryHit.context.",
      resolve: (memory) => shown(memory).threadId,
    }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When it was deleted; null while it is live. Deleted memories are read with memories(deleted: true) or memory(includeDeleted: true).',
      resolve: (memory) => shown(memory).deletedAt ?? null,
    }),
    history: t.field({
      type: [MemoryEvent],
      description: 'Every change to this memory, oldest first.',
      resolve: (memory, _args, ctx) => historyOf(memory, ctx),
    }),
  }),
});

const MemoryEventKind = builder.enumType('MemoryEventKind', {
  values: ['CREATED', 'UPDATED', 'DELETED', 'RESTORED'] as const,
});

export function historyOf(memory: MemoryView, ctx: Context): Promise<UserMemoryEvent[]> {
  const { id, externalUserId } = shown(memory);
  return ctx.memories.history({ id }, externalUserId);
}

const ChangeActorKind = builder.enumType('ChangeActorKind', {
  values: {
    API_KEY: { description: "One of the tenant's API keys." },
    END_USER_TOKEN: { description: "The end user's own token (a frontend acting for them)." },
    OPERATOR: { description: 'An operator on the command line (memgate import).' },
  } as const,
});

/** An API key's details are shown only to callers who may list the keys (apiKeys). */
const keyDetail =
  (pick: (key: Extract<ChangeActor, { kind: 'API_KEY' }>) => string) =>
  (actor: ChangeActor, _args: object, ctx: Context) =>
    actor.kind === 'API_KEY' && ctx.caller.may('apiKeys') ? pick(actor) : null;

const ChangeActorType = builder.objectRef<ChangeActor>('ChangeActor').implement({
  authScopes: { READ: true },
  description: 'Who asked for a change.',
  fields: (t) => ({
    kind: t.field({ type: ChangeActorKind, resolve: (actor) => actor.kind }),
    apiKeyId: t.id({
      nullable: true,
      description: 'The API key (see apiKeys); ADMIN only.',
      resolve: keyDetail((key) => key.apiKeyId && globalId('ApiKey', key.apiKeyId)),
    }),
    keyPrefix: t.string({
      nullable: true,
      description: "The key's non-secret start; ADMIN only.",
      resolve: keyDetail((key) => key.keyPrefix),
    }),
    keyName: t.string({
      nullable: true,
      description: "The key's name when the change was made; ADMIN only.",
      resolve: keyDetail((key) => key.keyName),
    }),
  }),
});

export const MemoryEvent = builder.objectRef<UserMemoryEvent>('MemoryEvent').implement({
  authScopes: { READ: true },
  description: 'One change to a memory: what it was, what it became, when and why.',
  fields: (t) => ({
    id: t.id({ resolve: (event) => globalId('MemoryEvent', event.id) }),
    memoryId: t.field({ type: 'ID', resolve: (event) => memoryGlobalId(event.memoryId) }),
    memory: t.field({
      type: MemoryRef,
      nullable: true,
      description: 'The memory as it is now (null once deleted): lets a subscriber update its cache without a refetch.',
      resolve: (event, _args, ctx) => ctx.memories.current(event.externalUserId, event.memoryId),
    }),
    kind: t.field({
      type: MemoryEventKind,
      resolve: (event) => event.kind as 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED',
    }),
    conversationId: t.id({
      nullable: true,
      description: 'The conversation (job) that caused it.',
      resolve: (event) => event.conversationId && globalId('ConversationJob', event.conversationId),
    }),
    actor: t.field({
      type: ChangeActorType,
      nullable: true,
      description:
        'Who asked for the change; null when Claude made it from a conversation (see conversationId) or it was recorded before Memgate kept this.',
      resolve: (event) => event.actor ?? null,
    }),
    oldContent: t.exposeString('oldContent', { nullable: true }),
    newContent: t.exposeString('newContent', { nullable: true }),
    changedFields: t.exposeStringList('changedFields'),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const MemoryFilterInput = builder.inputType('MemoryFilter', {
  fields: (t) => ({
    tags: t.stringList({ required: false, description: 'Only memories with every one of these tags.' }),
    anyTags: t.stringList({ required: false, description: 'Only memories with at least one of these tags.' }),
    metadata: t.field({
      type: 'JSONObject',
      required: false,
      description: 'Only memories whose metadata contains this object.',
    }),
    createdAfter: t.field({ type: 'DateTime', required: false, description: 'Created at or after this instant.' }),
    createdBefore: t.field({ type: 'DateTime', required: false, description: 'Created before this instant.' }),
    occurredAfter: t.field({
      type: 'DateTime',
      required: false,
      description: 'Occurred at or after this instant (see Memory.occurredAt).',
    }),
    occurredBefore: t.field({ type: 'DateTime', required: false, description: 'Occurred before this instant.' }),
    threadId: t.string({
      required: false,
      description: 'Only the memories of this thread (see Memory.threadId).',
    }),
  }),
});

export function toFilter(input: typeof MemoryFilterInput.$inferInput | null | undefined): MemoryFilter {
  if (!input) return {};
  return {
    tags: input.tags ?? undefined,
    anyTags: input.anyTags ?? undefined,
    metadata: input.metadata ?? undefined,
    createdAfter: input.createdAfter ?? undefined,
    createdBefore: input.createdBefore ?? undefined,
    occurredAfter: input.occurredAfter ?? undefined,
    occurredBefore: input.occurredBefore ?? undefined,
    threadId: input.threadId ?? undefined,
  };
}

const AS_OF =
  "What was known at this instant, from the history: the memories stored by then and live then, each with the text it had then (updatedAt: when that text was written). Tags and metadata are today's (the history keeps texts). Not with deleted.";

const MemoryConnection = builder.connectionObject({
  type: Memory,
  name: 'MemoryConnection',
  fields: (t) => ({
    totalCount: t.int({
      description: 'How many memories match the filter, on all pages.',
      resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
    }),
  }),
});

builder.queryFields((t) => ({
  memory: t.field({
    ...operation('memory'),
    type: Memory,
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      externalUserId: t.arg.string(userIdOptions),
      id: t.arg.id({ required: true, description: PLAIN_UUIDS }),
      includeDeleted: t.arg.boolean({
        defaultValue: false,
        description:
          'Also answer with a deleted memory (see deletedAt): its history, and what restoreMemory would bring back.',
      }),
      asOf: t.arg({ type: 'DateTime', description: AS_OF }),
    },
    resolve: (_root, args, ctx) => {
      return ctx.memories.get(args.externalUserId, args.id, args.includeDeleted ?? false, args.asOf);
    },
  }),
  memories: t.field({
    ...operation('memories'),
    type: builder.errorUnion('MemoriesResult', {
      types: [MemoryConnection, ValidationError],
      resolveType: () => 'MemoryConnection',
    }),
    description:
      "An end user's live memories, or their deleted ones, newest first (Relay pagination: first/after or last/before, at most 100).",
    args: {
      deleted: t.arg.boolean({
        defaultValue: false,
        description: 'The deleted memories (which restoreMemory can bring back) instead of the live ones.',
      }),
      externalUserId: t.arg.string(userIdOptions),
      first: t.arg.int(),
      after: t.arg.string(),
      last: t.arg.int(),
      before: t.arg.string(),
      filter: t.arg({ type: MemoryFilterInput }),
      asOf: t.arg({ type: 'DateTime', description: AS_OF }),
    },
    resolve: (_root, args, ctx) => {
      return ctx.memories.list(args.externalUserId, args, toFilter(args.filter), args.deleted ?? false, args.asOf);
    },
  }),
}));
