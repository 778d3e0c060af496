import type { ConversationMessage } from '../memory/conversations.js';
import { checkNeighbours, type ThreadContext } from '../memory/threadContext.js';
import type { ErasureReceipt } from '../memory/endUserData.js';
import type { MemoryAnswer } from '../memory/questions.js';
import type { PageArgs } from '../memory/pagination.js';
import type { TimeWindow } from '../memory/timeWindow.js';
import { DEFAULT_SEARCH_MODE, type SearchOptions } from '../memory/searchOptions.js';
import type { MemoryConnection, MemoryPatch, NewMemory } from '../memory/userMemories.js';
import type { PromptContext, PromptOptions } from '../memory/promptContext.js';
import type {
  ConversationSource,
  MemoryEventRecord,
  MemoryFilter,
  MemoryRecord,
  ScoredMemory,
  SearchMode,
} from '../model.js';
import { NotFoundError } from '../errors.js';
import type { Caller } from './caller.js';
import type { UserServices } from './userServices.js';
import { idOf } from './ids.js';
import { jobView, memoryView, type JobView, type MemoryView } from './views.js';

/** A history event with the end user it belongs to, so that its memory can be read in their scope. */
export type UserMemoryEvent = MemoryEventRecord & { externalUserId: string };

export interface AddedMemoryView {
  memory: MemoryView;
  created: boolean;
}

export interface MemorySearch {
  hits: ScoredMemory[];
  mode: SearchMode;
  embeddingModel: string;
  /** The span of time the query named, as understood (null: none). */
  timeWindow: TimeWindow | null;
}

/** What a session provides to the memory calls: the end users' services, and their change events. */
export interface MemoryCallDeps {
  servicesOf(externalUserId: string): UserServices;
  events(externalUserId: string): AsyncIterable<MemoryEventRecord>;
  /** After an end user's erasure: what this instance keeps outside the database forgets them too. */
  onErased?(externalUserId: string): void;
}

/**
 * The calls about one end user's memories and conversations, for one caller. Each is one
 * operation of operations.ts, run through the caller's policy; what it answers is shaped by what
 * the credential may read (views.ts). `user` is the externalUserId argument (see Caller.resolveUser);
 * an `id` is one a client was given (see ids.ts).
 */
export class MemoryCalls {
  constructor(
    private readonly caller: Caller,
    private readonly deps: MemoryCallDeps,
  ) {}

  private get canRead(): boolean {
    return this.caller.canRead;
  }

  get(user: string | null | undefined, id: string, includeDeleted: boolean, asOf?: Date | null): Promise<MemoryRecord> {
    return this.caller.runForUser('memory', user, (u) =>
      this.deps.servicesOf(u).memories.get(idOf('Memory', id), includeDeleted, asOf),
    );
  }

  list(
    user: string | null | undefined,
    page: PageArgs,
    filter: MemoryFilter,
    deleted: boolean,
    asOf?: Date | null,
  ): Promise<MemoryConnection> {
    return this.caller.runForUser('memories', user, (u) =>
      this.deps.servicesOf(u).memories.list(page, filter, deleted, asOf),
    );
  }

  search(user: string | null | undefined, query: string, options: SearchOptions): Promise<MemorySearch> {
    return this.caller.runForUser('searchMemories', user, async (u) => {
      const { memories } = this.deps.servicesOf(u);
      const { hits, window } = await memories.search(query, options);
      const mode = options.mode ?? DEFAULT_SEARCH_MODE;
      return { hits, mode, embeddingModel: memories.embeddingModel, timeWindow: window };
    });
  }

  context(
    user: string | null | undefined,
    query: string,
    tokenBudget: number,
    options: PromptOptions = {},
  ): Promise<PromptContext> {
    return this.caller.runForUser('memoryContext', user, (u) =>
      this.deps.servicesOf(u).memories.context(query, tokenBudget, options),
    );
  }

  ask(user: string | null | undefined, question: string, now?: Date | null): Promise<MemoryAnswer> {
    return this.caller.runForUser('askMemory', user, (u) => this.deps.servicesOf(u).conversations.ask(question, now));
  }

  job(user: string | null | undefined, id: string): Promise<JobView> {
    return this.caller.runForUser('job', user, async (u) => {
      const job = await this.deps.servicesOf(u).conversations.job(idOf('ConversationJob', id));
      if (!job) throw new NotFoundError('No job with this id for this end user.');
      return jobView(this.canRead, job);
    });
  }

  export(user: string | null | undefined): Promise<Record<string, unknown>> {
    return this.caller.runForUser('exportEndUser', user, async (u) => {
      const exported = await this.deps.servicesOf(u).memories.data.export();
      if (!exported) throw new NotFoundError('Nothing is stored for this end user.');
      return exported;
    });
  }

  /** The end user's change events as they commit, until the credential stops working. */
  events(
    user: string | null | undefined,
  ): Promise<{ externalUserId: string; events: AsyncIterable<MemoryEventRecord> }> {
    return this.caller.runForUser('memoryEvents', user, async (u) => ({
      externalUserId: u,
      events: this.deps.events(u),
    }));
  }

  add(user: string | null | undefined, input: NewMemory, idempotencyKey?: string | null): Promise<AddedMemoryView> {
    return this.caller.runForUser('addMemory', user, async (u) => {
      const added = await this.deps.servicesOf(u).memories.add(input, idempotencyKey);
      return { created: added.created, memory: memoryView(this.canRead, added.memory) };
    });
  }

  addMany(
    user: string | null | undefined,
    inputs: NewMemory[],
    idempotencyKey?: string | null,
  ): Promise<AddedMemoryView[]> {
    return this.caller.runForUser('addMemories', user, async (u) => {
      const added = await this.deps.servicesOf(u).memories.addMany(inputs, idempotencyKey);
      return added.map(({ created, memory }) => ({ created, memory: memoryView(this.canRead, memory) }));
    });
  }

  update(user: string | null | undefined, id: string, patch: MemoryPatch): Promise<MemoryView> {
    return this.caller.runForUser('updateMemory', user, async (u) =>
      memoryView(this.canRead, await this.deps.servicesOf(u).memories.update(idOf('Memory', id), patch)),
    );
  }

  delete(user: string | null | undefined, id: string, reason?: string | null): Promise<MemoryView> {
    return this.caller.runForUser('deleteMemory', user, async (u) =>
      memoryView(this.canRead, await this.deps.servicesOf(u).memories.delete(idOf('Memory', id), reason)),
    );
  }

  restore(
    user: string | null | undefined,
    id: string,
    eventId?: string | null,
    reason?: string | null,
  ): Promise<MemoryView> {
    return this.caller.runForUser('restoreMemory', user, async (u) => {
      const event = eventId == null ? eventId : idOf('MemoryEvent', eventId, 'eventId');
      const restored = await this.deps.servicesOf(u).memories.restore(idOf('Memory', id), event, reason);
      return memoryView(this.canRead, restored);
    });
  }

  rememberConversation(
    user: string | null | undefined,
    messages: ConversationMessage[],
    about: ConversationSource,
    mode: 'SYNC' | 'ASYNC',
  ): Promise<JobView> {
    return this.caller.runForUser('rememberConversation', user, async (u) =>
      jobView(this.canRead, await this.deps.servicesOf(u).conversations.submit(messages, about, mode)),
    );
  }

  /** GDPR erasure: every row of the end user; the receipt holds counts only. */
  erase(user: string | null | undefined): Promise<ErasureReceipt> {
    return this.caller.runForUser('deleteEndUser', user, async (u) => {
      const receipt = await this.deps.servicesOf(u).memories.erase();
      this.deps.onErased?.(u);
      return receipt;
    });
  }

  // Reads inside another call's result (a memory's history, an event's memory): READ, not counted.

  async history(memory: { id: string }, externalUserId: string): Promise<UserMemoryEvent[]> {
    this.caller.requireRead();
    const events = await this.deps.servicesOf(externalUserId).memories.historyOf.load(memory.id);
    return events.map((event) => ({ ...event, externalUserId }));
  }

  /** A memory's neighbours in its thread (a search hit's context). */
  async threadContext(memory: MemoryRecord, before: number, after: number): Promise<ThreadContext> {
    this.caller.requireRead();
    return this.deps.servicesOf(memory.externalUserId).memories.threadContextOf.load({
      id: memory.id,
      before: checkNeighbours(before, 'before'),
      after: checkNeighbours(after, 'after'),
    });
  }

  /** The memory as it is now (null once deleted), read afresh: a subscription outlives any cache. */
  async current(externalUserId: string, memoryId: string): Promise<MemoryRecord | null> {
    this.caller.requireRead();
    const { byId } = this.deps.servicesOf(externalUserId).memories;
    return byId.clear(memoryId).load(memoryId);
  }

  /** Memories by id within the request (DataLoader): what a conversation's change points to. */
  async byId(externalUserId: string, memoryId: string): Promise<MemoryRecord | null> {
    this.caller.requireRead();
    return this.deps.servicesOf(externalUserId).memories.byId.load(memoryId);
  }
}
