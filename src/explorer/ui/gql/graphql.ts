/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddMemoryInput = {
  /** 1-32,768 characters. */
  content: string;
  expiresAt?: string | null | undefined;
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  /** Retrying with the same key and payload returns the first result and writes nothing. */
  idempotencyKey?: string | null | undefined;
  /** At most 16 KiB of JSON. */
  metadata?: Record<string, unknown> | null | undefined;
  /** When the fact was said or happened (years 1000-9999; default: now). Imported history keeps its own dates. */
  occurredAt?: string | null | undefined;
  /** Also ask Claude for the relations the memory states ("Moved to Lisbon in May" → user —lives_in→ Lisbon, see `relations`), recorded with it: one model call, metered; LLM_NOT_CONFIGURED without Claude, and nothing is stored when the call fails. Default false. */
  readRelations?: boolean | null | undefined;
  /** At most 32 tags of 1-64 characters. */
  tags?: Array<string> | null | undefined;
  /** The conversation or session it came from (1-200 characters, yours to name): within a thread memories follow occurredAt, and keyword search reads each one with the one before it. */
  threadId?: string | null | undefined;
};

/** READ: queries. WRITE: mutations of memories. ADMIN: keys, tokens and tenant settings. */
export type ApiScope =
  | 'ADMIN'
  | 'READ'
  | 'WRITE';

export type ChangeActorKind =
  /** One of the tenant's API keys. */
  | 'API_KEY'
  /** The end user's own token (a frontend acting for them). */
  | 'END_USER_TOKEN'
  /** An operator on the command line (memgate import). */
  | 'OPERATOR';

export type CredentialKind =
  | 'API_KEY'
  | 'END_USER_TOKEN';

export type DeleteMemoryInput = {
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  /** A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated). */
  id: string | number;
  /** Why, kept in the history. */
  reason?: string | null | undefined;
};

/** What an entity is, as guessed from how it was written (PERSON for a chat turn’s speaker). */
export type EntityType =
  | 'EVENT'
  | 'ORGANIZATION'
  | 'OTHER'
  | 'PERSON'
  | 'PET'
  | 'PLACE'
  | 'THING';

export type MemoryEventKind =
  | 'CREATED'
  | 'DELETED'
  | 'RESTORED'
  | 'UPDATED';

export type MemoryFilter = {
  /** Only memories with at least one of these tags. */
  anyTags?: Array<string> | null | undefined;
  /** Created at or after this instant. */
  createdAfter?: string | null | undefined;
  /** Created before this instant. */
  createdBefore?: string | null | undefined;
  /** Only memories whose metadata contains this object. */
  metadata?: Record<string, unknown> | null | undefined;
  /** Occurred at or after this instant (see Memory.occurredAt). */
  occurredAfter?: string | null | undefined;
  /** Occurred before this instant. */
  occurredBefore?: string | null | undefined;
  /** Only memories with every one of these tags. */
  tags?: Array<string> | null | undefined;
  /** Only the memories of this thread (see Memory.threadId). */
  threadId?: string | null | undefined;
};

export type RestoreMemoryInput = {
  /** An UPDATED history event (MemoryEvent.id): restore the text from before it. A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated). */
  eventId?: string | number | null | undefined;
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  /** A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated). */
  id: string | number;
  reason?: string | null | undefined;
};

export type SearchMode =
  /** Both scores of every candidate of either ranking: the cosine, plus the keyword share as far as the meaning agrees (a memory that merely shares an ordinary word does not outrank one that means the answer). The default. */
  | 'HYBRID'
  /** Shares the query's informative words: BM25 within the end user's memories (English stemming, identifiers kept whole). */
  | 'KEYWORD'
  /** Closest in meaning (vectors of the active embedding model). */
  | 'SEMANTIC';

export type UpdateMemoryInput = {
  /** New text; the memory is re-embedded. */
  content?: string | null | undefined;
  /** Pass null to remove the expiry. */
  expiresAt?: string | null | undefined;
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  /** A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated). */
  id: string | number;
  /** Replaces the metadata. */
  metadata?: Record<string, unknown> | null | undefined;
  /** When the fact was said or happened. */
  occurredAt?: string | null | undefined;
  /** Why, kept in the history. */
  reason?: string | null | undefined;
  /** Replaces the tags. */
  tags?: Array<string> | null | undefined;
};

export type ExplorerViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ExplorerViewerQuery = { viewer: { credential: CredentialKind, scopes: Array<ApiScope>, keyPrefix: string | null, tenant: { name: string } } };

export type ExplorerEndUsersQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ExplorerEndUsersQuery = { endUsers:
    | { __typename: 'EndUserConnection', edges: Array<{ node: { externalUserId: string, memoryCount: number, lastActivityAt: string } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerMemoryFragment = { id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, occurredAt: string, updatedAt: string, deletedAt: string | null, threadId: string | null };

export type ExplorerMemoriesQueryVariables = Exact<{
  externalUserId: string;
  deleted: boolean;
  after?: string | null | undefined;
  filter?: MemoryFilter | null | undefined;
}>;


export type ExplorerMemoriesQuery = { memories:
    | { __typename: 'MemoryConnection', totalCount: number, edges: Array<{ node: { id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, occurredAt: string, updatedAt: string, deletedAt: string | null, threadId: string | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerHistoryQueryVariables = Exact<{
  externalUserId: string;
  id: string | number;
}>;


export type ExplorerHistoryQuery = { memory:
    | { __typename: 'Memory', id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, occurredAt: string, updatedAt: string, deletedAt: string | null, threadId: string | null, history: Array<{ id: string, kind: MemoryEventKind, createdAt: string, reason: string | null, conversationId: string | null, oldContent: string | null, newContent: string | null, changedFields: Array<string>, actor: { kind: ChangeActorKind, keyName: string | null, keyPrefix: string | null } | null }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerRestoreMutationVariables = Exact<{
  input: RestoreMemoryInput;
}>;


export type ExplorerRestoreMutation = { restoreMemory:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'EmbeddingUnavailableError', message: string }
    | { __typename: 'Memory', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerDeleteMutationVariables = Exact<{
  input: DeleteMemoryInput;
}>;


export type ExplorerDeleteMutation = { deleteMemory:
    | { __typename: 'DeletedMemory' }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerSearchQueryVariables = Exact<{
  externalUserId: string;
  query: string;
  mode?: SearchMode | null | undefined;
  filter?: MemoryFilter | null | undefined;
  limit?: number | null | undefined;
  minScore?: number | null | undefined;
  now?: string | null | undefined;
}>;


export type ExplorerSearchQuery = { searchMemories:
    | { __typename: 'EmbeddingUnavailableError', message: string }
    | { __typename: 'MemorySearch', mode: SearchMode, timeWindow: { from: string, to: string, text: string } | null, hits: Array<{ score: number, semanticScore: number | null, keywordScore: number | null, entityScore: number | null, questionScore: number | null, memory: { id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, occurredAt: string, updatedAt: string, deletedAt: string | null, threadId: string | null } }> }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerUsageByDayQueryVariables = Exact<{
  from: string;
  to: string;
}>;


export type ExplorerUsageByDayQuery = { usageByDay:
    | { __typename: 'DailyUsage', days: Array<{ day: string, calls: number, inputTokens: number, outputTokens: number }> }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerEntitiesQueryVariables = Exact<{
  externalUserId: string;
  query?: string | null | undefined;
  after?: string | null | undefined;
}>;


export type ExplorerEntitiesQuery = { entities:
    | { __typename: 'EntityConnection', edges: Array<{ node: { id: string, name: string, type: EntityType, memoryCount: number } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerEntityQueryVariables = Exact<{
  externalUserId: string;
  id: string | number;
  asOf?: string | null | undefined;
}>;


export type ExplorerEntityQuery = { entity:
    | { __typename: 'Entity', id: string, name: string, type: EntityType, aliases: Array<string>, memoryCount: number, memories: Array<{ id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, occurredAt: string, updatedAt: string, deletedAt: string | null, threadId: string | null }>, relations: Array<{ id: string, predicate: string, validFrom: string, validTo: string | null, subject: { id: string, name: string }, object: { id: string, name: string } }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ExplorerAddMutationVariables = Exact<{
  input: AddMemoryInput;
}>;


export type ExplorerAddMutation = { addMemory:
    | { __typename: 'AddedMemory', memory: { id: string } }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'EmbeddingUnavailableError', message: string }
    | { __typename: 'LlmFailedError', message: string }
    | { __typename: 'LlmNotConfiguredError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export type ExplorerUpdateMutationVariables = Exact<{
  input: UpdateMemoryInput;
}>;


export type ExplorerUpdateMutation = { updateMemory:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'EmbeddingUnavailableError', message: string }
    | { __typename: 'Memory', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'ValidationError', field: string, message: string }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ExplorerMemoryFragmentDoc = new TypedDocumentString(`
    fragment ExplorerMemory on Memory {
  id
  content
  tags
  metadata
  occurredAt
  updatedAt
  deletedAt
  threadId
}
    `, {"fragmentName":"ExplorerMemory"}) as unknown as TypedDocumentString<ExplorerMemoryFragment, unknown>;
export const ExplorerViewerDocument = new TypedDocumentString(`
    query ExplorerViewer {
  viewer {
    credential
    scopes
    keyPrefix
    tenant {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerViewerQuery, ExplorerViewerQueryVariables>;
export const ExplorerEndUsersDocument = new TypedDocumentString(`
    query ExplorerEndUsers($after: String) {
  endUsers(first: 50, after: $after) {
    __typename
    ... on EndUserConnection {
      edges {
        node {
          externalUserId
          memoryCount
          lastActivityAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerEndUsersQuery, ExplorerEndUsersQueryVariables>;
export const ExplorerMemoriesDocument = new TypedDocumentString(`
    query ExplorerMemories($externalUserId: String!, $deleted: Boolean!, $after: String, $filter: MemoryFilter) {
  memories(
    externalUserId: $externalUserId
    deleted: $deleted
    first: 50
    after: $after
    filter: $filter
  ) {
    __typename
    ... on MemoryConnection {
      totalCount
      edges {
        node {
          ...ExplorerMemory
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment ExplorerMemory on Memory {
  id
  content
  tags
  metadata
  occurredAt
  updatedAt
  deletedAt
  threadId
}`) as unknown as TypedDocumentString<ExplorerMemoriesQuery, ExplorerMemoriesQueryVariables>;
export const ExplorerHistoryDocument = new TypedDocumentString(`
    query ExplorerHistory($externalUserId: String!, $id: ID!) {
  memory(externalUserId: $externalUserId, id: $id, includeDeleted: true) {
    __typename
    ... on Memory {
      ...ExplorerMemory
      history {
        id
        kind
        createdAt
        reason
        conversationId
        actor {
          kind
          keyName
          keyPrefix
        }
        oldContent
        newContent
        changedFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment ExplorerMemory on Memory {
  id
  content
  tags
  metadata
  occurredAt
  updatedAt
  deletedAt
  threadId
}`) as unknown as TypedDocumentString<ExplorerHistoryQuery, ExplorerHistoryQueryVariables>;
export const ExplorerRestoreDocument = new TypedDocumentString(`
    mutation ExplorerRestore($input: RestoreMemoryInput!) {
  restoreMemory(input: $input) {
    __typename
    ... on Memory {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerRestoreMutation, ExplorerRestoreMutationVariables>;
export const ExplorerDeleteDocument = new TypedDocumentString(`
    mutation ExplorerDelete($input: DeleteMemoryInput!) {
  deleteMemory(input: $input) {
    __typename
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerDeleteMutation, ExplorerDeleteMutationVariables>;
export const ExplorerSearchDocument = new TypedDocumentString(`
    query ExplorerSearch($externalUserId: String!, $query: String!, $mode: SearchMode, $filter: MemoryFilter, $limit: Int, $minScore: Float, $now: DateTime) {
  searchMemories(
    externalUserId: $externalUserId
    query: $query
    mode: $mode
    limit: $limit
    filter: $filter
    minScore: $minScore
    now: $now
  ) {
    __typename
    ... on MemorySearch {
      mode
      timeWindow {
        from
        to
        text
      }
      hits {
        score
        semanticScore
        keywordScore
        entityScore
        questionScore
        memory {
          ...ExplorerMemory
        }
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment ExplorerMemory on Memory {
  id
  content
  tags
  metadata
  occurredAt
  updatedAt
  deletedAt
  threadId
}`) as unknown as TypedDocumentString<ExplorerSearchQuery, ExplorerSearchQueryVariables>;
export const ExplorerUsageByDayDocument = new TypedDocumentString(`
    query ExplorerUsageByDay($from: DateTime!, $to: DateTime!) {
  usageByDay(from: $from, to: $to) {
    __typename
    ... on DailyUsage {
      days {
        day
        calls
        inputTokens
        outputTokens
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerUsageByDayQuery, ExplorerUsageByDayQueryVariables>;
export const ExplorerEntitiesDocument = new TypedDocumentString(`
    query ExplorerEntities($externalUserId: String!, $query: String, $after: String) {
  entities(
    externalUserId: $externalUserId
    query: $query
    first: 50
    after: $after
  ) {
    __typename
    ... on EntityConnection {
      edges {
        node {
          id
          name
          type
          memoryCount
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerEntitiesQuery, ExplorerEntitiesQueryVariables>;
export const ExplorerEntityDocument = new TypedDocumentString(`
    query ExplorerEntity($externalUserId: String!, $id: ID!, $asOf: DateTime) {
  entity(externalUserId: $externalUserId, id: $id) {
    __typename
    ... on Entity {
      id
      name
      type
      aliases
      memoryCount
      memories(first: 20) {
        ...ExplorerMemory
      }
      relations(asOf: $asOf) {
        id
        predicate
        validFrom
        validTo
        subject {
          id
          name
        }
        object {
          id
          name
        }
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment ExplorerMemory on Memory {
  id
  content
  tags
  metadata
  occurredAt
  updatedAt
  deletedAt
  threadId
}`) as unknown as TypedDocumentString<ExplorerEntityQuery, ExplorerEntityQueryVariables>;
export const ExplorerAddDocument = new TypedDocumentString(`
    mutation ExplorerAdd($input: AddMemoryInput!) {
  addMemory(input: $input) {
    __typename
    ... on AddedMemory {
      memory {
        id
      }
    }
    ... on ValidationError {
      field
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerAddMutation, ExplorerAddMutationVariables>;
export const ExplorerUpdateDocument = new TypedDocumentString(`
    mutation ExplorerUpdate($input: UpdateMemoryInput!) {
  updateMemory(input: $input) {
    __typename
    ... on Memory {
      id
    }
    ... on ValidationError {
      field
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ExplorerUpdateMutation, ExplorerUpdateMutationVariables>;