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
import type { ScopedDatabase } from '../db/scope.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { ENTITY_TYPES, entityKey, type EntityType } from './entities.js';
import { planPage, toPage, type Page, type PageArgs } from './pagination.js';
import { checkContent, checkRange, isUuid } from './validate.js';

export type { EntityRecord };

/** An entity as read: its aliases each once (the store appends them whole, see recordEntitiesSql). */
const tidy = <T extends EntityRecord>(row: T): T => ({
  ...row,
  aliases: [...new Set(row.aliases)].slice(0, MAX_ALIASES),
});

const NO_SUCH_ENTITY = 'No entity with this id for this end user.';
/** The memories an entity shows at most (newest first). */
export const ENTITY_MEMORIES = { max: 50, default: 10 } as const;

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
    const [rows] = await this.db.read<[(EntityRecord & { key: string })[]]>([
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

  /** The ids of the live memories that name an entity, newest first. */
  memoryIds(entityId: string, first: number | null | undefined): Promise<string[]> {
    const limit = checkRange(first ?? ENTITY_MEMORIES.default, 0, ENTITY_MEMORIES.max, 'first');
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
