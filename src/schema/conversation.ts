import { isWithheld, type JobView, type MemoryChangeView } from '../app/views.js';
import type { JobFailure } from '../memory/jobRecord.js';
import type { MemoryChange, MemoryEventRecord, MemoryRecord, ScoredMemory } from '../model.js';
import { builder } from './builder.js';
import { plainErrorType } from './errors.js';
import { memoryGlobalId } from '../app/ids.js';
import { PLAIN_UUIDS } from './ids.js';
import { Memory, MemoryEvent } from './memory.js';
import { MemoryHit, nowArgument } from './search.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';
import {
  ConflictError,
  ForbiddenError,
  EmbeddingUnavailableError,
  LlmFailedError,
  LlmNotConfiguredError,
  NotFoundError,
  ValidationError,
} from '../errors.js';

plainErrorType(
  LlmNotConfiguredError,
  'LlmNotConfiguredError',
  'This gateway has no ANTHROPIC_API_KEY. Nothing was written (ASYNC jobs wait until it is configured).',
);
plainErrorType(
  LlmFailedError,
  'LlmFailedError',
  'Claude could not be reached after retries, refused, or answered outside the schema. Nothing was written.',
);

const MessageRole = builder.enumType('MessageRole', { values: ['USER', 'ASSISTANT'] as const });
const RememberMode = builder.enumType('RememberMode', { values: ['SYNC', 'ASYNC'] as const });
const JobStatus = builder.enumType('JobStatus', { values: ['PENDING', 'RUNNING', 'DONE', 'FAILED'] as const });
const MemoryAction = builder.enumType('MemoryAction', { values: ['ADD', 'UPDATE', 'DELETE'] as const });

/** What a change says, which the type's READ scope guards; a withheld view never reaches here with it. */
function shown(change: MemoryChangeView): MemoryChange {
  if (isWithheld(change)) throw new ForbiddenError('This credential lacks the READ scope.');
  return change;
}

const MemoryChangeType = builder.objectRef<MemoryChangeView & { externalUserId: string }>('MemoryChange').implement({
  authScopes: { READ: true },
  description: 'One change a conversation made. DELETE retires the memory (restoreMemory brings it back).',
  fields: (t) => ({
    action: t.field({ type: MemoryAction, skipTypeScopes: true, resolve: (change) => change.action }),
    memoryId: t.field({ type: 'ID', skipTypeScopes: true, resolve: (change) => memoryGlobalId(change.memoryId) }),
    content: t.string({ resolve: (change) => shown(change).content }),
    previousContent: t.string({ nullable: true, resolve: (change) => shown(change).previousContent }),
    reason: t.string({ resolve: (change) => shown(change).reason }),
    memory: t.field({
      type: Memory,
      nullable: true,
      description: 'The memory as it is now (null once retired).',
      resolve: (change, _args, ctx) => ctx.memories.byId(change.externalUserId, change.memoryId),
    }),
  }),
});

const JobFailureType = builder.objectRef<JobFailure>('JobFailure').implement({
  authScopes: { public: true },
  description: 'Why one attempt at a conversation job failed.',
  fields: (t) => ({
    attempt: t.exposeInt('attempt'),
    at: t.expose('at', { type: 'DateTime' }),
    reason: t.exposeString('reason'),
  }),
});

const ConversationJob = builder.node(builder.objectRef<JobView>('ConversationJob'), {
  authScopes: { public: true },
  description: 'A conversation handed to rememberConversation, and what became of it.',
  id: { resolve: (job) => job.id },
  loadMany: (ids, ctx) => ctx.tenant.jobNodes(ids),
  fields: (t) => ({
    externalUserId: t.exposeString('externalUserId'),
    status: t.field({ type: JobStatus, resolve: (job) => job.status }),
    changes: t.field({
      type: [MemoryChangeType],
      nullable: true,
      description: 'Set once DONE.',
      resolve: (job) => job.changes?.map((change) => ({ ...change, externalUserId: job.externalUserId })) ?? null,
    }),
    error: t.exposeString('error', { nullable: true }),
    attempts: t.exposeInt('attempts', { description: 'Attempts started so far (at most 3).' }),
    failures: t.field({
      type: [JobFailureType],
      description: 'Every failed attempt, oldest first.',
      resolve: (job) => job.failures,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const MessageInput = builder.inputType('ConversationMessageInput', {
  fields: (t) => ({
    role: t.field({ type: MessageRole, required: true }),
    content: t.string({ required: true, description: '1-32,768 characters.' }),
    at: t.field({ type: 'DateTime', required: false }),
  }),
});

const RememberInput = builder.inputType('RememberConversationInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    messages: t.field({ type: [MessageInput], required: true, description: '1-200 messages.' }),
    metadata: t.field({
      type: 'JSONObject',
      required: false,
      description: 'Kept with the conversation and copied onto the memories it adds.',
    }),
    threadId: t.string({
      required: false,
      description:
        "The thread of the memories it adds (1-200 characters); default: this conversation's id (ConversationJob.id).",
    }),
    mode: t.field({
      type: RememberMode,
      required: false,
      defaultValue: 'SYNC',
      description: 'ASYNC returns a PENDING job at once.',
    }),
  }),
});

const RestoreInput = builder.inputType('RestoreMemoryInput', {
  fields: (t) => ({
    externalUserId: t.string(userIdOptions),
    id: t.id({ required: true, description: PLAIN_UUIDS }),
    eventId: t.id({
      required: false,
      description: `An UPDATED history event (MemoryEvent.id): restore the text from before it. ${PLAIN_UUIDS}`,
    }),
    reason: t.string({ required: false }),
  }),
});

const MemoryContext = builder
  .objectRef<{ text: string; hits: ScoredMemory[]; tokenEstimate: number }>('MemoryContext')
  .implement({
    authScopes: { READ: true },
    description: "A block for the caller's own system prompt: the most relevant memories within the token budget.",
    fields: (t) => ({
      text: t.exposeString('text'),
      tokenEstimate: t.exposeInt('tokenEstimate', { description: 'Estimated at 4 characters a token.' }),
      memories: t.field({ type: [MemoryHit], resolve: (context) => context.hits }),
    }),
  });

const MemoryAnswer = builder
  .objectRef<{ answer: string; known: boolean; citations: MemoryRecord[] }>('MemoryAnswer')
  .implement({
    authScopes: { READ: true },
    fields: (t) => ({
      answer: t.exposeString('answer'),
      known: t.exposeBoolean('known', { description: "False when the user's memories do not contain the answer." }),
      citations: t.field({
        type: [Memory],
        resolve: (answer) => answer.citations,
        description: 'The memories the answer used.',
      }),
    }),
  });

const RedactionRule = builder.objectRef<{ name: string; pattern: string }>('RedactionRule').implement({
  authScopes: { public: true },
  fields: (t) => ({ name: t.exposeString('name'), pattern: t.exposeString('pattern') }),
});

const RedactionRules = builder.objectRef<{ rules: { name: string; pattern: string }[] }>('RedactionRules').implement({
  authScopes: { public: true },
  fields: (t) => ({ rules: t.field({ type: [RedactionRule], resolve: (result) => result.rules }) }),
});

const RedactionRuleInput = builder.inputType('RedactionRuleInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'Shown in place of a match: [REDACTED:name].' }),
    pattern: t.string({
      required: true,
      description:
        'A regular expression as written in JavaScript (classes, bounded repetition such as {13,19}, named groups, \\p{…}; (?i) for case-insensitive), at most 200 characters, run by RE2 in time linear in the text: back-references and lookaround are refused.',
    }),
  }),
});

builder.mutationFields((t) => ({
  rememberConversation: t.field({
    ...operation('rememberConversation'),
    type: ConversationJob,
    errors: { types: [ValidationError, LlmNotConfiguredError, LlmFailedError, EmbeddingUnavailableError] },
    description:
      'Claude extracts facts about the end user and adds, updates or retires memories accordingly, in one transaction.',
    args: { input: t.arg({ type: RememberInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.memories.rememberConversation(input.externalUserId, input.messages, input, input.mode ?? 'SYNC'),
  }),
  restoreMemory: t.field({
    ...operation('restoreMemory'),
    type: Memory,
    errors: { types: [ValidationError, NotFoundError, ConflictError, EmbeddingUnavailableError] },
    description: 'Brings back a retired memory, or an overwritten version of it (eventId of the UPDATED event).',
    args: { input: t.arg({ type: RestoreInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      ctx.memories.restore(input.externalUserId, input.id, input.eventId, input.reason),
  }),
  setRedactionRules: t.field({
    ...operation('setRedactionRules'),
    type: RedactionRules,
    errors: { types: [ValidationError] },
    description:
      '"Never remember" patterns, applied to conversations before the model sees them and before anything is stored (ADMIN). Replaces all rules.',
    args: { rules: t.arg({ type: [RedactionRuleInput], required: true }) },
    resolve: async (_root, args, ctx) => ({ rules: await ctx.tenant.setRedactionRules(args.rules) }),
  }),
}));

builder.queryFields((t) => ({
  job: t.field({
    ...operation('job'),
    type: ConversationJob,
    errors: { types: [ValidationError, NotFoundError] },
    args: { externalUserId: t.arg.string(userIdOptions), id: t.arg.id({ required: true, description: PLAIN_UUIDS }) },
    resolve: (_root, args, ctx) => ctx.memories.job(args.externalUserId, args.id),
  }),
  memoryContext: t.field({
    ...operation('memoryContext'),
    type: MemoryContext,
    errors: { types: [ValidationError, EmbeddingUnavailableError] },
    args: {
      externalUserId: t.arg.string(userIdOptions),
      query: t.arg.string({ required: true }),
      tokenBudget: t.arg.int({ defaultValue: 1000, description: '50-100,000 (default 1,000).' }),
      now: t.arg(nowArgument),
      threadContext: t.arg.int({
        defaultValue: 0,
        description:
          'Show each memory with up to this many memories on either side of it in its thread (0-20, default 0): a chat turn with the turns around it.',
      }),
    },
    resolve: (_root, args, ctx) =>
      ctx.memories.context(args.externalUserId, args.query, args.tokenBudget ?? 1000, {
        now: args.now,
        around: args.threadContext ?? 0,
      }),
  }),
  askMemory: t.field({
    ...operation('askMemory'),
    type: MemoryAnswer,
    errors: { types: [ValidationError, LlmNotConfiguredError, LlmFailedError, EmbeddingUnavailableError] },
    description: "Claude answers from the end user's memories only, citing them.",
    args: {
      externalUserId: t.arg.string(userIdOptions),
      question: t.arg.string({ required: true }),
      now: t.arg(nowArgument),
    },
    resolve: (_root, args, ctx) => ctx.memories.ask(args.externalUserId, args.question, args.now),
  }),
  redactionRules: t.field({
    ...operation('redactionRules'),
    type: [RedactionRule],
    resolve: (_root, _args, ctx) => ctx.tenant.redactionRules(),
  }),
}));

builder.subscriptionType({});
builder.subscriptionFields((t) => ({
  memoryEvents: t.field({
    ...operation('memoryEvents'),
    type: MemoryEvent,
    description: "Every change to the end user's memories, as it commits (Server-Sent Events).",
    args: { externalUserId: t.arg.string(userIdOptions) },
    subscribe: async (_root, args, ctx) => (await ctx.memories.events(args.externalUserId)).events,
    resolve: (event: MemoryEventRecord, args, ctx) => ({
      ...event,
      externalUserId: ctx.caller.resolveUser(args.externalUserId),
    }),
  }),
}));
