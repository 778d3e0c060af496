import type { Context } from '../context.js';
import type { ChangeActor, MemoryEventRecord, MemoryFilter, MemoryRecord } from '../model.js';
import { builder } from './builder.js';
import { memoryGlobalId, memoryIdFromGlobalId } from './ids.js';
import { userIdOptions } from './scopes.js';
import { NotFoundError, ValidationError } from '../errors.js';

/** Declared apart from its implementation: MemoryEvent.memory and Memory.history refer to each other. */
const MemoryRef = builder.objectRef<MemoryRecord>('Memory');

export const Memory = builder.node(MemoryRef, {
  description: 'One remembered fact about one end user of the calling tenant. Every field but id needs the READ scope.',
  authScopes: { READ: true },
  id: { resolve: (memory) => memory.id, skipTypeScopes: true },
  loadMany: async (ids, ctx) => {
    const loader = ctx.principal.boundUser ? (await ctx.forUser()).byId : ctx.tenant.memoryById;
    return ids.map((id) => loader.load(id));
  },
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    content: t.exposeString('content'),
    metadata: t.expose('metadata', { type: 'JSONObject' }),
    tags: t.exposeStringList('tags'),
    embeddingModel: t.exposeString('embeddingModel', { description: 'The embedding model of the stored vector.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    occurredAt: t.expose('occurredAt', {
      type: 'DateTime',
      description:
        'When what the memory says was said or happened: given on add or import, the time of the conversation it came from, or else when it was stored.',
    }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    deletedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When it was deleted; null while it is live. Deleted memories are read with memories(deleted: true) or memory(includeDeleted: true).',
      resolve: (memory) => memory.deletedAt ?? null,
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

/** A change event with the end user it belongs to, so that its memory can be loaded in their scope. */
export type UserMemoryEvent = MemoryEventRecord & { externalUserId: string };

export async function historyOf(memory: MemoryRecord, ctx: Context): Promise<UserMemoryEvent[]> {
  const events = await (await ctx.forUser(memory.externalUserId)).historyOf.load(memory.id);
  return events.map((event) => ({ ...event, externalUserId: memory.externalUserId }));
}

const ChangeActorKind = builder.enumType('ChangeActorKind', {
  values: {
    API_KEY: { description: "One of the tenant's API keys." },
    END_USER_TOKEN: { description: "The end user's own token (a frontend acting for them)." },
    OPERATOR: { description: 'An operator on the command line (memgate import).' },
  } as const,
});

/** An API key's details are shown, as by apiKeys, only to callers with the ADMIN scope. */
const keyDetail =
  (pick: (key: Extract<ChangeActor, { kind: 'API_KEY' }>) => string) =>
  (actor: ChangeActor, _args: object, ctx: Context) =>
    actor.kind === 'API_KEY' && ctx.principal.scopes.includes('ADMIN') ? pick(actor) : null;

const ChangeActorType = builder.objectRef<ChangeActor>('ChangeActor').implement({
  authScopes: { READ: true },
  description: 'Who asked for a change.',
  fields: (t) => ({
    kind: t.field({ type: ChangeActorKind, resolve: (actor) => actor.kind }),
    apiKeyId: t.id({
      nullable: true,
      description: 'The API key (see apiKeys); ADMIN only.',
      resolve: keyDetail((key) => key.apiKeyId),
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
    id: t.exposeID('id'),
    memoryId: t.field({ type: 'ID', resolve: (event) => memoryGlobalId(event.memoryId) }),
    memory: t.field({
      type: MemoryRef,
      nullable: true,
      description: 'The memory as it is now (null once deleted): lets a subscriber update its cache without a refetch.',
      resolve: async (event, _args, ctx) => {
        // A subscription's context lives as long as it does: read the memory afresh for each event.
        const { byId } = await ctx.forUser(event.externalUserId);
        return byId.clear(event.memoryId).load(event.memoryId);
      },
    }),
    kind: t.field({
      type: MemoryEventKind,
      resolve: (event) => event.kind as 'CREATED' | 'UPDATED' | 'DELETED' | 'RESTORED',
    }),
    conversationId: t.exposeID('conversationId', {
      nullable: true,
      description: 'The conversation (job) that caused it.',
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
  };
}

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
    authScopes: { READ: true },
    type: Memory,
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      externalUserId: t.arg.string(userIdOptions),
      id: t.arg.id({ required: true }),
      includeDeleted: t.arg.boolean({
        defaultValue: false,
        description:
          'Also answer with a deleted memory (see deletedAt): its history, and what restoreMemory would bring back.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      return (await ctx.forUser(args.externalUserId)).get(memoryIdFromGlobalId(args.id), args.includeDeleted ?? false);
    },
  }),
  memories: t.field({
    authScopes: { READ: true },
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
    },
    resolve: async (_root, args, ctx) => {
      return (await ctx.forUser(args.externalUserId)).list(args, toFilter(args.filter), args.deleted ?? false);
    },
  }),
}));
