/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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

export type SearchMode =
  /** Both scores of every candidate of either ranking: the cosine, plus the keyword share as far as the meaning agrees (a memory that merely shares an ordinary word does not outrank one that means the answer). The default. */
  | 'HYBRID'
  /** Shares the query's informative words: BM25 within the end user's memories (English stemming, identifiers kept whole). */
  | 'KEYWORD'
  /** Closest in meaning (vectors of the active embedding model). */
  | 'SEMANTIC';

export type AddMemoryMutationVariables = Exact<{
  input: AddMemoryInput;
}>;


export type AddMemoryMutation = { addMemory:
    | { __typename: 'AddedMemory', created: boolean, memory: { id: string, content: string, tags: Array<string>, metadata: Record<string, unknown>, createdAt: string } }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'LlmFailedError', code: ErrorCode, message: string }
    | { __typename: 'LlmNotConfiguredError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', field: string, code: ErrorCode, message: string }
   };

export type CreateEndUserTokenMutationVariables = Exact<{
  externalUserId: string;
  ttlSeconds?: number | null | undefined;
}>;


export type CreateEndUserTokenMutation = { createEndUserToken:
    | { __typename: 'EndUserToken', token: string, expiresAt: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type DeleteMemoryMutationVariables = Exact<{
  input: DeleteMemoryInput;
}>;


export type DeleteMemoryMutation = { deleteMemory:
    | { __typename: 'DeletedMemory', deletedMemoryId: string }
    | { __typename: 'NotFoundError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type EraseEndUserMutationVariables = Exact<{
  externalUserId: string;
}>;


export type EraseEndUserMutation = { deleteEndUser:
    | { __typename: 'EndUserErasure', externalUserId: string, memoriesDeleted: number, historyEventsDeleted: number, erasedAt: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type ListMemoriesQueryVariables = Exact<{
  externalUserId: string;
  first?: number | null | undefined;
  after?: string | null | undefined;
  filter?: MemoryFilter | null | undefined;
}>;


export type ListMemoriesQuery = { memories:
    | { __typename: 'MemoryConnection', totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, content: string, tags: Array<string>, createdAt: string } }> }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type RememberForMeMutationVariables = Exact<{
  content: string;
  tags?: Array<string> | string | null | undefined;
}>;


export type RememberForMeMutation = { addMemory:
    | { __typename: 'AddedMemory', created: boolean, memory: { id: string, content: string } }
    | { __typename: 'ConflictError', code: ErrorCode, message: string }
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'LlmFailedError', code: ErrorCode, message: string }
    | { __typename: 'LlmNotConfiguredError', code: ErrorCode, message: string }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type MyRecentMemoriesQueryVariables = Exact<{
  first?: number | null | undefined;
}>;


export type MyRecentMemoriesQuery = { memories:
    | { __typename: 'MemoryConnection', totalCount: number, edges: Array<{ node: { id: string, content: string, tags: Array<string>, createdAt: string } }> }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type RecallForMeQueryVariables = Exact<{
  query: string;
  limit?: number | null | undefined;
}>;


export type RecallForMeQuery = { searchMemories:
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'MemorySearch', hits: Array<{ score: number, memory: { id: string, content: string } }> }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };

export type SearchMemoriesQueryVariables = Exact<{
  externalUserId: string;
  query: string;
  mode?: SearchMode | null | undefined;
  limit?: number | null | undefined;
}>;


export type SearchMemoriesQuery = { searchMemories:
    | { __typename: 'EmbeddingUnavailableError', code: ErrorCode, message: string }
    | { __typename: 'MemorySearch', mode: SearchMode, hits: Array<{ score: number, semanticScore: number | null, keywordScore: number | null, memory: { id: string, content: string } }> }
    | { __typename: 'ValidationError', code: ErrorCode, message: string }
   };


export const AddMemoryDocument = {"__meta__":{"hash":"sha256:ee9270dcf6306d67f3468cf6db4dd17bf9365b062b5450fbecb6b831c2bad6e0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddMemory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddMemoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMemory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AddedMemory"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"metadata"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ValidationError"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"field"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<AddMemoryMutation, AddMemoryMutationVariables>;
export const CreateEndUserTokenDocument = {"__meta__":{"hash":"sha256:79e91a3089ce9baa5b91bac2eeacb2cff991f4617b0672b3d4346eede2ffe076"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateEndUserToken"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ttlSeconds"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createEndUserToken"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalUserId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}}},{"kind":"Argument","name":{"kind":"Name","value":"ttlSeconds"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ttlSeconds"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EndUserToken"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"token"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<CreateEndUserTokenMutation, CreateEndUserTokenMutationVariables>;
export const DeleteMemoryDocument = {"__meta__":{"hash":"sha256:e3d0b910fe52bad22fb998a1dbaa45a8a24420ba3c8769df76e1aecbb3bee132"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteMemory"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteMemoryInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteMemory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"DeletedMemory"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedMemoryId"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<DeleteMemoryMutation, DeleteMemoryMutationVariables>;
export const EraseEndUserDocument = {"__meta__":{"hash":"sha256:fc2c1def567bb3783bbcd0e85863b892045eb6756e90f25ad2d11461f7213a8b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EraseEndUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteEndUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalUserId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"EndUserErasure"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"externalUserId"}},{"kind":"Field","name":{"kind":"Name","value":"memoriesDeleted"}},{"kind":"Field","name":{"kind":"Name","value":"historyEventsDeleted"}},{"kind":"Field","name":{"kind":"Name","value":"erasedAt"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<EraseEndUserMutation, EraseEndUserMutationVariables>;
export const ListMemoriesDocument = {"__meta__":{"hash":"sha256:317ef7ab3df64fd2ba838f82f59aa085b9f3fb409f44d8890e8607ef73deb558"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ListMemories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"MemoryFilter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalUserId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MemoryConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<ListMemoriesQuery, ListMemoriesQueryVariables>;
export const RememberForMeDocument = {"__meta__":{"hash":"sha256:c1d36726155ae930f637818df290b546d9cd1d4d4e4664ad6311296a49f3d87b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RememberForMe"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"content"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"tags"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addMemory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"content"},"value":{"kind":"Variable","name":{"kind":"Name","value":"content"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"tags"},"value":{"kind":"Variable","name":{"kind":"Name","value":"tags"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"AddedMemory"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"created"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RememberForMeMutation, RememberForMeMutationVariables>;
export const MyRecentMemoriesDocument = {"__meta__":{"hash":"sha256:d01713fa757dcebd44d4df1e310cc4981ab447aa0241ab10970b7df10578c822"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyRecentMemories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"memories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MemoryConnection"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tags"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<MyRecentMemoriesQuery, MyRecentMemoriesQueryVariables>;
export const RecallForMeDocument = {"__meta__":{"hash":"sha256:d7c3a9afc796406baa9c5260eb130e397226923b3a66113a4e85fc7228aeb96e"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecallForMe"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchMemories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MemorySearch"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<RecallForMeQuery, RecallForMeQueryVariables>;
export const SearchMemoriesDocument = {"__meta__":{"hash":"sha256:4ea6c161da31b09b7c9b97f6be6d7e2c29f219fa28f89b18d4bb0f138c6697b5"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SearchMemories"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"mode"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SearchMode"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"limit"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchMemories"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"externalUserId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"externalUserId"}}},{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"mode"},"value":{"kind":"Variable","name":{"kind":"Name","value":"mode"}}},{"kind":"Argument","name":{"kind":"Name","value":"limit"},"value":{"kind":"Variable","name":{"kind":"Name","value":"limit"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"MemorySearch"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"mode"}},{"kind":"Field","name":{"kind":"Name","value":"hits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"score"}},{"kind":"Field","name":{"kind":"Name","value":"semanticScore"}},{"kind":"Field","name":{"kind":"Name","value":"keywordScore"}},{"kind":"Field","name":{"kind":"Name","value":"memory"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"content"}}]}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Error"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}}]} as unknown as DocumentNode<SearchMemoriesQuery, SearchMemoriesQueryVariables>;