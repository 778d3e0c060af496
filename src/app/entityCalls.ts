import type { EntityType } from '../memory/entities.js';
import type { EntityRecord, RelationRecord } from '../memory/userEntities.js';
import type { Page, PageArgs } from '../memory/pagination.js';
import type { MemoryRecord } from '../model.js';
import type { Caller } from './caller.js';
import { idOf } from './ids.js';
import type { UserServices } from './userServices.js';

/**
 * The calls about one end user's entities (the graph of their memories), for one caller: each is
 * one operation of operations.ts run through the caller's policy, like the memory calls. Everything
 * here is content (names come from memories): READ on every path.
 */
export class EntityCalls {
  constructor(
    private readonly caller: Caller,
    private readonly servicesOf: (externalUserId: string) => UserServices,
  ) {}

  list(
    user: string | null | undefined,
    page: PageArgs,
    query?: string | null,
    type?: EntityType | null,
  ): Promise<Page<EntityRecord>> {
    return this.caller.runForUser('entities', user, (u) => this.servicesOf(u).entities.list(page, query, type));
  }

  get(user: string | null | undefined, id: string): Promise<EntityRecord> {
    return this.caller.runForUser('entity', user, (u) => this.servicesOf(u).entities.get(idOf('Entity', id)));
  }

  /** What is known about the entity a name means (MCP's `about`): it, its latest memories, the other entities the name matches. */
  about(
    user: string | null | undefined,
    name: string,
    first?: number | null,
  ): Promise<{ entity: EntityRecord | null; memories: MemoryRecord[]; others: string[] }> {
    return this.caller.runForUser('entities', user, async (u) => {
      const { entity, others } = await this.servicesOf(u).entities.named(name);
      return { entity, memories: entity ? await this.memoriesOf(entity, first) : [], others };
    });
  }

  /** The relations between the end user's entities true at `asOf` (now when absent). */
  relations(user: string | null | undefined, asOf?: Date | null): Promise<RelationRecord[]> {
    return this.caller.runForUser('relations', user, (u) => this.servicesOf(u).entities.relations(asOf));
  }

  // Reads inside another call's result (a memory's entities, an entity's memories and relations): READ, not counted.

  async relationsOf(entity: EntityRecord, asOf?: Date | null): Promise<RelationRecord[]> {
    this.caller.requireRead();
    return this.servicesOf(entity.externalUserId).entities.relations(asOf, entity.id);
  }

  /** An entity of the end user by its stored id (a relation's end). */
  async byId(externalUserId: string, id: string): Promise<EntityRecord> {
    this.caller.requireRead();
    return this.servicesOf(externalUserId).entities.get(id);
  }

  async ofMemory(memory: MemoryRecord): Promise<EntityRecord[]> {
    this.caller.requireRead();
    return this.servicesOf(memory.externalUserId).entities.ofMemory.load(memory.id);
  }

  async memoriesOf(entity: EntityRecord, first?: number | null): Promise<MemoryRecord[]> {
    this.caller.requireRead();
    const { entities, memories } = this.servicesOf(entity.externalUserId);
    const ids = await entities.memoryIds(entity.id, first);
    const found = await memories.byId.loadMany(ids);
    return found.filter((memory): memory is MemoryRecord => memory !== null && !(memory instanceof Error));
  }
}
