import { graphql } from '../gql/index.js';
import type { TypedDocumentString } from '../gql/graphql.js';

/**
 * Operations shared by the integration suites (the typed client’s own live in
 * examples/typed-client/operations). `npm run codegen` checks them against the schema and types
 * their variables (test/gql).
 */

/** Every typed error answer: its code and message, and the offending field of a refused input. */
export const FAILURE = graphql(`
  fragment Failure on Error {
    code
    message
    ... on ValidationError {
      field
    }
  }
`);

export const HISTORY_ENTRY = graphql(`
  fragment HistoryEntry on MemoryEvent {
    kind
    oldContent
    newContent
    changedFields
    reason
  }
`);
export const ADD = graphql(`
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
`);

export const ADD_MANY = graphql(`
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
`);

export const SEARCH = graphql(`
  query Search(
    $user: String!
    $query: String!
    $mode: SearchMode
    $limit: Int
    $minScore: Float
    $weights: HybridWeights
    $recencyHalfLifeDays: Float
    $filter: MemoryFilter
  ) {
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
`);

export const LIST = graphql(`
  query List(
    $user: String!
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: MemoryFilter
    $deleted: Boolean
  ) {
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
`);

export const GET = graphql(`
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
`);

export const UPDATE = graphql(`
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
`);

export const DELETE = graphql(`
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
`);

export const ERASE = graphql(`
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
`);

/** Any operation of this file, whatever its result and variables. */
export type SharedOperation = TypedDocumentString<unknown, never>;

/** The operation as a plain string, for a test whose variables are deliberately outside their types (hostile input). */
export const untyped = (operation: SharedOperation): string => operation.toString();
