/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddMemoriesInput = {
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
  /** 1-100 memories, stored all or none. */
  memories: Array<MemoryInput>;
};

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

export type DeleteMemoryInput = {
  /** The tenant's identifier for the end user (e.g. an email; trimmed, emails lower-cased). Required with an API key; with an end-user token it defaults to the token’s user and may name no other. */
  externalUserId?: string | null | undefined;
  /** A global id, as this API returns it. The plain UUIDs of exports, the command line and earlier versions are still accepted (deprecated). */
  id: string | number;
  /** Why, kept in the history. */
  reason?: string | null | undefined;
};

/** Stable codes of the typed errors. New ones may be added: treat an unknown code as a generic failure. */
export type ErrorCode =
  /** The request conflicts with stored data. Nothing was written. */
  | 'CONFLICT'
  /** The embedding model could not be reached or refused the text; retrying later is safe. */
  | 'EMBEDDING_UNAVAILABLE'
  /** Claude could not be reached, refused, or its answer was unusable; retrying later is safe. */
  | 'LLM_FAILED'
  /** This gateway has no ANTHROPIC_API_KEY. */
  | 'LLM_NOT_CONFIGURED'
  /** No such object for this end user (or it is someone else's). */
  | 'NOT_FOUND'
  /** The input was refused; `field` names it. Nothing was written. */
  | 'VALIDATION_FAILED';

/** How much each score counts in HYBRID mode (0-100 each; default 1, 1, 0.2 and 0.2). The keyword part counts only as far as the meaning agrees (nothing below a cosine of 0.1, fully from 0.6). */
export type HybridWeights = {
  /** The entity score (default 0.2). */
  entity?: number | null | undefined;
  keyword?: number | null | undefined;
  /** The evidence of the question a reply answers in its thread (questionScore, default 0.2). */
  question?: number | null | undefined;
  semantic?: number | null | undefined;
};

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

export type MemoryInput = {
  /** 1-32,768 characters. */
  content: string;
  /** After this instant the memory is no longer returned. */
  expiresAt?: string | null | undefined;
  /** At most 16 KiB of JSON. */
  metadata?: Record<string, unknown> | null | undefined;
  /** When the fact was said or happened (years 1000-9999; default: now). Imported history keeps its own dates. */
  occurredAt?: string | null | undefined;
  /** At most 32 tags of 1-64 characters. */
  tags?: Array<string> | null | undefined;
  /** The conversation or session it came from (1-200 characters, yours to name): within a thread memories follow occurredAt, and keyword search reads each one with the one before it. */
  threadId?: string | null | undefined;
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

type Failure_ConflictError_Fragment = { code: ErrorCode, message: string };

type Failure_EmbeddingUnavailableError_Fragment = { code: ErrorCode, message: string };

type Failure_LlmFailedError_Fragment = { code: ErrorCode, message: string };

type Failure_LlmNotConfiguredError_Fragment = { code: ErrorCode, message: string };

type Failure_NotFoundError_Fragment = { code: ErrorCode, message: string };

type Failure_ValidationError_Fragment = { field: string, code: ErrorCode, message: string };

export type FailureFragment =
  | Failure_ConflictError_Fragment
  | Failure_EmbeddingUnavailableError_Fragment
  | Failure_LlmFailedError_Fragment
  | Failure_LlmNotConfiguredError_Fragment
  | Failure_NotFoundError_Fragment
  | Failure_ValidationError_Fragment
;

export type HistoryEntryFragment = { kind: MemoryEventKind, oldContent: string | null, newContent: string | null, changedFields: Array<string>, reason: string | null };

export type AddMutationVariables = Exact<{
  input: AddMemoryInput;
}>;


export type AddMutation = { addMemory:
    | { __typename: 'AddedMemory', created: boolean, memory: { id: string, externalUserId: string, content: string, metadata: Record<string, unknown>, tags: Array<string>, expiresAt: string | null, embeddingModel: string } }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'LlmFailedError', code: ErrorCode, message: string }
    | { __typename: 'LlmNotConfiguredError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type AddManyMutationVariables = Exact<{
  input: AddMemoriesInput;
}>;


export type AddManyMutation = { addMemories:
    | { __typename: 'AddedMemories', results: Array<{ created: boolean, memory: { id: string, content: string } }> }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type SearchQueryVariables = Exact<{
  user: string;
  query: string;
  mode?: SearchMode | null | undefined;
  limit?: number | null | undefined;
  minScore?: number | null | undefined;
  weights?: HybridWeights | null | undefined;
  recencyHalfLifeDays?: number | null | undefined;
  filter?: MemoryFilter | null | undefined;
}>;


export type SearchQuery = { searchMemories:
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'MemorySearch', mode: SearchMode, embeddingModel: string, hits: Array<{ score: number, semanticScore: number | null, keywordScore: number | null, entityScore: number | null, memory: { id: string, content: string, externalUserId: string } }> }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type ListQueryVariables = Exact<{
  user: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  last?: number | null | undefined;
  before?: string | null | undefined;
  filter?: MemoryFilter | null | undefined;
  deleted?: boolean | null | undefined;
}>;


export type ListQuery = { memories:
    | { __typename: 'MemoryConnection', totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, content: string, tags: Array<string>, deletedAt: string | null } }> }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type GetQueryVariables = Exact<{
  user: string;
  id: string | number;
  includeDeleted?: boolean | null | undefined;
}>;


export type GetQuery = { memory:
    | { __typename: 'Memory', id: string, content: string, metadata: Record<string, unknown>, tags: Array<string>, deletedAt: string | null, history: Array<{ kind: MemoryEventKind, oldContent: string | null, newContent: string | null, changedFields: Array<string>, reason: string | null }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type UpdateMutationVariables = Exact<{
  input: UpdateMemoryInput;
}>;


export type UpdateMutation = { updateMemory:
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'Memory', id: string, content: string, metadata: Record<string, unknown>, tags: Array<string>, expiresAt: string | null, history: Array<{ kind: MemoryEventKind, oldContent: string | null, newContent: string | null, changedFields: Array<string>, reason: string | null }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type DeleteMutationVariables = Exact<{
  input: DeleteMemoryInput;
}>;


export type DeleteMutation = { deleteMemory:
    | { __typename: 'DeletedMemory', deletedMemoryId: string, history: Array<{ kind: MemoryEventKind, oldContent: string | null, reason: string | null }> }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type EraseMutationVariables = Exact<{
  user: string;
}>;


export type EraseMutation = { deleteEndUser:
    | { __typename: 'EndUserErasure', externalUserId: string, memoriesDeleted: number, historyEventsDeleted: number, idempotencyKeysDeleted: number, erasedAt: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
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
export const FailureFragmentDoc = new TypedDocumentString(`
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}
    `, {"fragmentName":"Failure"}) as unknown as TypedDocumentString<FailureFragment, unknown>;
export const HistoryEntryFragmentDoc = new TypedDocumentString(`
    fragment HistoryEntry on MemoryEvent {
  kind
  oldContent
  newContent
  changedFields
  reason
}
    `, {"fragmentName":"HistoryEntry"}) as unknown as TypedDocumentString<HistoryEntryFragment, unknown>;
export const AddDocument = new TypedDocumentString(`
    mutation Add($input: AddMemoryInput!) {
  addMemory(input: $input) {
    __typename
    ... on AddedMemory {
      created
      memory {
        id
        externalUserId
        content
        metadata
        tags
        expiresAt
        embeddingModel
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}`) as unknown as TypedDocumentString<AddMutation, AddMutationVariables>;
export const AddManyDocument = new TypedDocumentString(`
    mutation AddMany($input: AddMemoriesInput!) {
  addMemories(input: $input) {
    __typename
    ... on AddedMemories {
      results {
        created
        memory {
          id
          content
        }
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}`) as unknown as TypedDocumentString<AddManyMutation, AddManyMutationVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($user: String!, $query: String!, $mode: SearchMode, $limit: Int, $minScore: Float, $weights: HybridWeights, $recencyHalfLifeDays: Float, $filter: MemoryFilter) {
  searchMemories(
    externalUserId: $user
    query: $query
    mode: $mode
    limit: $limit
    minScore: $minScore
    weights: $weights
    recencyHalfLifeDays: $recencyHalfLifeDays
    filter: $filter
  ) {
    __typename
    ... on MemorySearch {
      mode
      embeddingModel
      hits {
        score
        semanticScore
        keywordScore
        entityScore
        memory {
          id
          content
          externalUserId
        }
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}`) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const ListDocument = new TypedDocumentString(`
    query List($user: String!, $first: Int, $after: String, $last: Int, $before: String, $filter: MemoryFilter, $deleted: Boolean) {
  memories(
    externalUserId: $user
    first: $first
    after: $after
    last: $last
    before: $before
    filter: $filter
    deleted: $deleted
  ) {
    __typename
    ... on MemoryConnection {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        cursor
        node {
          id
          content
          tags
          deletedAt
        }
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}`) as unknown as TypedDocumentString<ListQuery, ListQueryVariables>;
export const GetDocument = new TypedDocumentString(`
    query Get($user: String!, $id: ID!, $includeDeleted: Boolean) {
  memory(externalUserId: $user, id: $id, includeDeleted: $includeDeleted) {
    __typename
    ... on Memory {
      id
      content
      metadata
      tags
      deletedAt
      history {
        ...HistoryEntry
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}
fragment HistoryEntry on MemoryEvent {
  kind
  oldContent
  newContent
  changedFields
  reason
}`) as unknown as TypedDocumentString<GetQuery, GetQueryVariables>;
export const UpdateDocument = new TypedDocumentString(`
    mutation Update($input: UpdateMemoryInput!) {
  updateMemory(input: $input) {
    __typename
    ... on Memory {
      id
      content
      metadata
      tags
      expiresAt
      history {
        ...HistoryEntry
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}
fragment HistoryEntry on MemoryEvent {
  kind
  oldContent
  newContent
  changedFields
  reason
}`) as unknown as TypedDocumentString<UpdateMutation, UpdateMutationVariables>;
export const DeleteDocument = new TypedDocumentString(`
    mutation Delete($input: DeleteMemoryInput!) {
  deleteMemory(input: $input) {
    __typename
    ... on DeletedMemory {
      deletedMemoryId
      history {
        kind
        oldContent
        reason
      }
    }
    ...Failure
  }
}
    fragment Failure on Error {
  code
  message
  ... on ValidationError {
    field
  }
}`) as unknown as TypedDocumentString<DeleteMutation, DeleteMutationVariables>;
export const EraseDocument = new TypedDocumentString(`
    mutation Erase($user: String!) {
  deleteEndUser(externalUserId: $user) {
    __typename
    ... on EndUserErasure {
      externalUserId
      memoriesDeleted
      historyEventsDeleted
      idempotencyKeysDeleted
      erasedAt
    }
    ... on Error {
      code
      message
    }
  }
}
    `) as unknown as TypedDocumentString<EraseMutation, EraseMutationVariables>;