import type { ErasureReceipt } from '../memory/endUserData.js';
import type { AddedMemoryView } from '../app/memoryCalls.js';
import type { MemoryView } from '../app/views.js';
import {
  ConflictError,
  EmbeddingUnavailableError,
  LlmFailedError,
  LlmNotConfiguredError,
  NotFoundError,
  ValidationError,
} from '../errors.js';
import { builder } from './builder.js';
import { memoryGlobalId } from '../app/ids.js';
import { PLAIN_UUIDS } from './ids.js';
import { historyOf, Memory, MemoryEvent } from './memory.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

const THREAD_ID =
  'The conversation or session it came from (1-200 characters, yours to name): within a thread memories follow occurredAt, and keyword search reads each one with the one before it.';

const OCCURRED_AT =
  'When the fact was said or happened (years 1000-9999; default: now). Imported history keeps its own dates.';

const MemoryInput = builder.inputType('MemoryInput', {
  fields: (t) => ({
    content: t.string({ required: true, description: '1-32,768 characters.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'At most 16 KiB of JSON.' }),
    tags: t.stringList({ required: false, description: 'At most 32 tags of 1-64 characters.' }),
    expiresAt: t.field({
      type: 'DateTime',
      required: false,
      description: 'After this instant the memory is no longer returned.',
    }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: OCCURRED_AT }),
    threadId: t.string({ required: false, description: THREAD_ID }),
  }),
});

const AddMemoryInput = builder.inputType('AddMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    content: t.string({ required: true, description: '1-32,768 characters.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'At most 16 KiB of JSON.' }),
    tags: t.stringList({ required: false, description: 'At most 32 tags of 1-64 characters.' }),
    expiresAt: t.field({ type: 'DateTime', required: false }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: OCCURRED_AT }),
    threadId: t.string({ required: false, description: THREAD_ID }),
    readRelations: t.boolean({
      required: false,
      description:
        'Also ask Claude for the relations the memory states ("Moved to Lisbon in May" → user —lives_in→ Lisbon, see `relations`), recorded with it: one model call, metered; LLM_NOT_CONFIGURED without Claude, and nothing is stored when the call fails. Default false.',
    }),
    idempotencyKey: t.string({
      required: false,
      description: 'Retrying with the same key and payload returns the first result and writes nothing.',
    }),
  }),
});

const AddMemoriesInput = builder.inputType('AddMemoriesInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    memories: t.field({ type: [MemoryInput], required: true, description: '1-100 memories, stored all or none.' }),
    idempotencyKey: t.string({ required: false }),
  }),
});

const UpdateMemoryInput = builder.inputType('UpdateMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    id: t.id({ required: true, description: PLAIN_UUIDS }),
    content: t.string({ required: false, description: 'New text; the memory is re-embedded.' }),
    metadata: t.field({ type: 'JSONObject', required: false, description: 'Replaces the metadata.' }),
    tags: t.stringList({ required: false, description: 'Replaces the tags.' }),
    expiresAt: t.field({ type: 'DateTime', required: false, description: 'Pass null to remove the expiry.' }),
    occurredAt: t.field({ type: 'DateTime', required: false, description: 'When the fact was said or happened.' }),
    reason: t.string({ required: false, description: 'Why, kept in the history.' }),
  }),
});

const DeleteMemoryInput = builder.inputType('DeleteMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    id: t.id({ required: true, description: PLAIN_UUIDS }),
    reason: t.string({ required: false, description: 'Why, kept in the history.' }),
  }),
});

const AddedMemoryType = builder.objectRef<AddedMemoryView>('AddedMemory').implement({
  authScopes: { public: true },
  fields: (t) => ({
    memory: t.field({ type: Memory, resolve: (added) => added.memory }),
    created: t.exposeBoolean('created', {
      description: 'False when this exact content was already stored for the user: the existing memory is returned.',
    }),
  }),
});

const AddedMemories = builder.objectRef<{ results: AddedMemoryView[] }>('AddedMemories').implement({
  authScopes: { public: true },
  fields: (t) => ({
    results: t.field({ type: [AddedMemoryType], resolve: (added) => added.results, description: 'In input order.' }),
  }),
});

const DeletedMemory = builder.objectRef<MemoryView>('DeletedMemory').implement({
  authScopes: { public: true },
  description: 'The memory is retired: no longer listed or searched, kept in its history.',
  fields: (t) => ({
    deletedMemoryId: t.field({ type: 'ID', resolve: (memory) => memoryGlobalId(memory.id) }),
    history: t.field({
      type: [MemoryEvent],
      resolve: (memory, _args, ctx) => historyOf(memory, ctx),
    }),
  }),
});

const ErasedTable = builder.objectRef<{ table: string; rows: number }>('ErasedTable').implement({
  authScopes: { public: true },
  fields: (t) => ({ table: t.exposeString('table'), rows: t.exposeInt('rows') }),
});

const EndUserErasure = builder.objectRef<ErasureReceipt>('EndUserErasure').implement({
  authScopes: { public: true },
  description: 'Receipt of a GDPR erasure: every row of this end user was removed.',
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    memoriesDeleted: t.exposeInt('memoriesDeleted'),
    historyEventsDeleted: t.exposeInt('historyEventsDeleted'),
    idempotencyKeysDeleted: t.exposeInt('idempotencyKeysDeleted'),
    tables: t.field({
      type: [ErasedTable],
      resolve: (receipt) => receipt.tables,
      description: 'Rows removed per table.',
    }),
    erasedAt: t.expose('erasedAt', { type: 'DateTime' }),
  }),
});

builder.mutationFields((t) => ({
  addMemory: t.field({
    ...operation('addMemory'),
    type: AddedMemoryType,
    errors: {
      types: [ValidationError, ConflictError, EmbeddingUnavailableError, LlmNotConfiguredError, LlmFailedError],
    },
    args: { input: t.arg({ type: AddMemoryInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.memories.add(input.externalUserId, input, input.idempotencyKey),
  }),
  addMemories: t.field({
    ...operation('addMemories'),
    type: AddedMemories,
    errors: { types: [ValidationError, ConflictError, EmbeddingUnavailableError] },
    args: { input: t.arg({ type: AddMemoriesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => ({
      results: await ctx.memories.addMany(input.externalUserId, input.memories, input.idempotencyKey),
    }),
  }),
  updateMemory: t.field({
    ...operation('updateMemory'),
    type: Memory,
    errors: { types: [ValidationError, NotFoundError, ConflictError, EmbeddingUnavailableError] },
    args: { input: t.arg({ type: UpdateMemoryInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { externalUserId, id, ...patch } = input;
      return ctx.memories.update(externalUserId, id, patch);
    },
  }),
  deleteMemory: t.field({
    ...operation('deleteMemory'),
    type: DeletedMemory,
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: DeleteMemoryInput, required: true }) },
    resolve: (_root, { input }, ctx) => ctx.memories.delete(input.externalUserId, input.id, input.reason),
  }),
  deleteEndUser: t.field({
    ...operation('deleteEndUser'),
    type: EndUserErasure,
    errors: { types: [ValidationError] },
    description: 'GDPR erasure: removes every memory and history event of this end user. Running it twice is harmless.',
    args: { externalUserId: t.arg.string(userIdOptions) },
    resolve: (_root, args, ctx) => ctx.memories.erase(args.externalUserId),
  }),
}));
