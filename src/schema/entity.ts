import { globalId } from '../app/ids.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { ENTITY_TYPES } from '../memory/entities.js';
import { LIMITS } from '../memory/limits.js';
import { RELATIONS_READ, type EntityRecord, type RelationRecord } from '../memory/userEntities.js';
import { builder } from './builder.js';
import { PLAIN_UUIDS } from './ids.js';
import { Memory, shown } from './memory.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'What an entity is, as guessed from how it was written (PERSON for a chat turn’s speaker).',
  values: ENTITY_TYPES,
});

const EntityRef = builder.objectRef<EntityRecord>('Entity');

export const Relation = builder.objectRef<RelationRecord>('Relation').implement({
  description:
    'What is true between two entities of one end user (subject —predicate→ object), read by Claude in a conversation: from validFrom until validTo (null: still true). A newer relation with the same subject and predicate and another object closes it. Needs the READ scope.',
  authScopes: { READ: true },
  fields: (t) => ({
    id: t.id({ resolve: (relation) => globalId('Relation', relation.id) }),
    subject: t.field({ type: EntityRef, resolve: (r, _args, ctx) => ctx.entities.byId(r.externalUserId, r.subjectId) }),
    predicate: t.exposeString('predicate', { description: 'snake_case: lives_in, works_at, sister_of.' }),
    object: t.field({ type: EntityRef, resolve: (r, _args, ctx) => ctx.entities.byId(r.externalUserId, r.objectId) }),
    validFrom: t.expose('validFrom', {
      type: 'DateTime',
      description: 'When it became true (as said, or when the conversation was held).',
    }),
    validTo: t.expose('validTo', {
      type: 'DateTime',
      nullable: true,
      description: 'When a newer relation replaced it; null while it holds.',
    }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime', description: 'When Memgate learned it.' }),
  }),
});

export const Entity = EntityRef;
EntityRef.implement({
  description:
    'A person, place, organisation, pet or thing that memories of one end user name, found when they were stored. Its names come from memories: every field needs the READ scope.',
  authScopes: { READ: true },
  fields: (t) => ({
    id: t.id({ resolve: (entity) => globalId('Entity', entity.id) }),
    externalUserId: t.exposeString('externalUserId'),
    name: t.exposeString('name', { description: 'The name as first written; kin by their relation ("mother").' }),
    type: t.field({ type: EntityTypeEnum, resolve: (entity) => entity.type as (typeof ENTITY_TYPES)[number] }),
    aliases: t.exposeStringList('aliases', {
      description: 'The ways memories wrote it ("my mum" and "Mom" for the mother), at most 16.',
    }),
    memoryCount: t.exposeInt('memoryCount', { description: 'Live memories that name it.' }),
    memories: t.field({
      type: [Memory],
      description: `Live memories that name it, latest occurrence first (first: at most ${LIMITS.entityMemories.max}).`,
      args: { first: t.arg.int({ defaultValue: LIMITS.entityMemories.default }) },
      resolve: (entity, args, ctx) => ctx.entities.memoriesOf(entity, args.first),
    }),
    relations: t.field({
      type: [Relation],
      description: `Its relations (it at either end) true at asOf, or now; newest first, at most ${RELATIONS_READ}.`,
      args: { asOf: t.arg({ type: 'DateTime' }) },
      resolve: (entity, args, ctx) => ctx.entities.relationsOf(entity, args.asOf),
    }),
    neighbours: t.field({
      type: [EntityRef],
      description: 'The entities at the other end of its relations true at asOf, or now; each once.',
      args: { asOf: t.arg({ type: 'DateTime' }) },
      resolve: async (entity, args, ctx) => {
        const relations = await ctx.entities.relationsOf(entity, args.asOf);
        const ids = [...new Set(relations.map((r) => (r.subjectId === entity.id ? r.objectId : r.subjectId)))];
        return Promise.all(ids.map((id) => ctx.entities.byId(entity.externalUserId, id)));
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When a memory first named it.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When its aliases or type last changed.' }),
  }),
});

builder.objectField(Memory, 'entities', (t) =>
  t.field({
    type: [Entity],
    description: 'The entities this memory names, by name.',
    resolve: (memory, _args, ctx) => ctx.entities.ofMemory(shown(memory)),
  }),
);

const EntityConnection = builder.connectionObject({ type: Entity, name: 'EntityConnection' });

builder.queryFields((t) => ({
  entities: t.field({
    ...operation('entities'),
    type: builder.errorUnion('EntitiesResult', {
      types: [EntityConnection, ValidationError],
      resolveType: () => 'EntityConnection',
    }),
    description:
      "The entities an end user's live memories name, by name (Relay pagination forward: first/after, at most 100).",
    args: {
      externalUserId: t.arg.string(userIdOptions),
      query: t.arg.string({
        description: 'Only entities whose name or an alias contains this (any case, accents ignored).',
      }),
      type: t.arg({ type: EntityTypeEnum }),
      first: t.arg.int(),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => ctx.entities.list(args.externalUserId, args, args.query, args.type),
  }),
  relations: t.field({
    ...operation('relations'),
    type: [Relation],
    description: `The relations between an end user's entities true at asOf (default: now), newest first, at most ${RELATIONS_READ}.`,
    args: { externalUserId: t.arg.string(userIdOptions), asOf: t.arg({ type: 'DateTime' }) },
    resolve: (_root, args, ctx) => ctx.entities.relations(args.externalUserId, args.asOf),
  }),
  entity: t.field({
    ...operation('entity'),
    type: Entity,
    errors: { types: [ValidationError, NotFoundError] },
    args: {
      externalUserId: t.arg.string(userIdOptions),
      id: t.arg.id({ required: true, description: PLAIN_UUIDS }),
    },
    resolve: (_root, args, ctx) => ctx.entities.get(args.externalUserId, args.id),
  }),
}));
