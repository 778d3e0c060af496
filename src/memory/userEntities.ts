import DataLoader from 'dataloader';
import {
  MAX_ALIASES,
  entitiesByIdSql,
  entitiesOfMemoriesSql,
  listEntitiesSql,
  memoriesOfEntitiesSql,
  type EntityRecord,
} from '../db/entitySql.js';
import type { UserKey } from '../db/memorySql.js';
import { RELATIONS_READ, relationsSql, type RelationRecord } from '../db/relationSql.js';
import type { ScopedDatabase } from '../db/scope.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { ENTITY_TYPES, entityKey, queryEntityKeys, type EntityType } from './entities.js';
import { LIMITS } from './limits.js';
import { planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { checkContent, checkRange, isUuid } from './validate.js';

export { RELATIONS_READ, type EntityRecord, type RelationRecord };

/** An entity as read: its aliases each once (the store appends them whole, see recordEntitiesSql). */
const tidy = <T extends EntityRecord>(row: T): T => ({
  ...row,
  aliases: [...new Set(row.aliases)].slice(0, MAX_ALIASES),
});

const NO_SUCH_ENTITY = 'No entity with this id for this end user.';

const encodeCursor = (key: string) => Buffer.from(`entity:${key}`, 'utf8').toString('base64url');
function decodeCursor(cursor: string, field: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith('entity:')) throw new ValidationError(field, `${field} is not a cursor of this list.`);
  return decoded.slice('entity:'.length);
}

/**
 * One end user's entities (the people, places and things their memories name; see entities.ts),
 * read in their scope: a page of them, one by id, those of a memory and the memories of one (each
 * batched within a request).
 */
export class UserEntities {
  readonly byId: DataLoader<string, EntityRecord | null>;
  readonly ofMemory: DataLoader<string, EntityRecord[]>;
  private readonly memoryIdsOf = new Map<number, DataLoader<string, string[]>>();

  constructor(
    private readonly db: ScopedDatabase,
    private readonly key: UserKey,
  ) {
    this.byId = new DataLoader(async (ids) => {
      const [rows] = await db.read<[EntityRecord[]]>([entitiesByIdSql(key, ids)]);
      return ids.map((id) => {
        const row = rows.find((candidate) => candidate.id === id);
        return row ? tidy(row) : null;
      });
    });
    this.ofMemory = new DataLoader(async (memoryIds) => {
      const [rows] = await db.read<[(EntityRecord & { memoryId: string })[]]>([entitiesOfMemoriesSql(key, memoryIds)]);
      return memoryIds.map((id) =>
        rows.filter((row) => row.memoryId === id).map(({ memoryId: _m, ...entity }) => entity),
      );
    });
  }

  /** A page of the user's entities by name; `query` keeps those whose name or an alias holds it. */
  async list(page: PageArgs, query?: string | null, type?: EntityType | null): Promise<Page<EntityRecord>> {
    if (page.last != null || page.before != null)
      throw new ValidationError('last', 'Entities are listed forward only: use first and after.');
    const plan = planPage(page, decodeCursor);
    const contains = query == null ? undefined : entityKey(checkContent(query, 'query'));
    if (type != null && !ENTITY_TYPES.includes(type)) throw new ValidationError('type', 'Unknown entity type.');
    const [rows] = await this.db.read<[(EntityRecord & { key: string; related: boolean })[]]>([
      listEntitiesSql(this.key, { after: plan.from, take: plan.take + 1, contains, type: type ?? undefined }),
    ]);
    const listed = toPage(rows, plan, (row) => encodeCursor(row.key));
    return {
      ...listed,
      edges: listed.edges.map(({ cursor, node: { key: _key, ...node } }) => ({ cursor, node: tidy(node) })),
    };
  }

  async get(id: string): Promise<EntityRecord> {
    const entity = isUuid(id) ? await this.byId.load(id) : null;
    if (!entity) throw new NotFoundError(NO_SUCH_ENTITY);
    return entity;
  }

  /**
   * The entity a name means: the one named so (or by an alias) exactly, else the first whose
   * name contains it; with the names of the others that contain it.
   */
  async named(name: string): Promise<{ entity: EntityRecord | null; others: string[] }> {
    const wanted = queryEntityKeys(checkContent(name, 'name'))[0] ?? entityKey(name);
    const { edges } = await this.list({ first: 20 }, wanted);
    const candidates = edges.map((edge) => edge.node);
    const exact = candidates.find((entity) =>
      [entity.name, ...entity.aliases].some((alias) => entityKey(alias) === wanted),
    );
    const entity = exact ?? candidates[0] ?? null;
    return { entity, others: candidates.filter((other) => other !== entity).map((other) => other.name) };
  }

  /** The relations true at `asOf` (null: now), newest first, of the user or with one entity at either end. */
  async relations(asOf: Date | null | undefined, entityId?: string): Promise<RelationRecord[]> {
    if (asOf && Number.isNaN(asOf.getTime())) throw new ValidationError('asOf', 'asOf must be a valid date.');
    const [rows] = await this.db.read<[RelationRecord[]]>([relationsSql(this.key, asOf ?? null, entityId)]);
    return rows;
  }

  /** The ids of the live memories that name an entity, newest first. */
  memoryIds(entityId: string, first: number | null | undefined): Promise<string[]> {
    const limit = checkRange(first ?? LIMITS.entityMemories.default, 0, LIMITS.entityMemories.max, 'first');
    let loader = this.memoryIdsOf.get(limit);
    if (!loader) {
      loader = new DataLoader(async (entityIds) => {
        const [rows] = await this.db.read<[{ entityId: string; memoryId: string }[]]>([
          memoriesOfEntitiesSql(this.key, entityIds, limit),
        ]);
        return entityIds.map((id) => rows.filter((row) => row.entityId === id).map((row) => row.memoryId));
      });
      this.memoryIdsOf.set(limit, loader);
    }
    return loader.load(entityId);
  }
}
