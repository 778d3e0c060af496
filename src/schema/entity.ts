import { globalId } from '../app/ids.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { ENTITY_TYPES } from '../memory/entities.js';
import { ENTITY_MEMORIES, type EntityRecord } from '../memory/userEntities.js';
import { builder } from './builder.js';
import { PLAIN_UUIDS } from './ids.js';
import { Memory, shown } from './memory.js';
import { operation } from './operations.js';
import { userIdOptions } from './userArgument.js';

export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'What an entity is, as guessed from how it was written (PERSON for a chat turn’s speaker).',
  values: ENTITY_TYPES,
});

export const Entity = builder.objectRef<EntityRecord>('Entity').implement({
  description:
    'A person, place, organisation, pet or thing that memories of one end user name, found when they were stored. Its names come from memories: every field needs the READ scope.',
  authScopes: { READ: true },
  fields: (t) => ({
    id: t.id({ resolve: (entity) => globalId('Entity', entity.id) }),
    externalUserId: t.exposeString('externalUserId'),
    name: t.exposeString('name', { description: 'The name as first written.' }),
    type: t.field({ type: EntityTypeEnum, resolve: (entity) => entity.type as (typeof ENTITY_TYPES)[number] }),
    aliases: t.exposeStringList('aliases', {
      description: 'The ways memories wrote it ("my mum" and "Mom" for the mother), at most 16.',
    }),
    memoryCount: t.exposeInt('memoryCount', { description: 'Live memories that name it.' }),
    memories: t.field({
      type: [Memory],
      description: `Live memories that name it, latest occurrence first (first: at most ${ENTITY_MEMORIES.max}).`,
      args: { first: t.arg.int({ defaultValue: ENTITY_MEMORIES.default }) },
      resolve: (entity, args, ctx) => ctx.entities.memoriesOf(entity, args.first),
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
