import { graphql } from './gql/index.js';

/** Everything the explorer asks the gateway, checked against schema.graphql by `npm run codegen`. */

export const VIEWER = graphql(`
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
`);

export const END_USERS = graphql(`
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
`);

export const MEMORY_FIELDS = graphql(`
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
`);

export const MEMORIES = graphql(`
  query ExplorerMemories($externalUserId: String!, $deleted: Boolean!, $after: String, $filter: MemoryFilter) {
    memories(externalUserId: $externalUserId, deleted: $deleted, first: 50, after: $after, filter: $filter) {
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
`);

export const HISTORY = graphql(`
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
`);

export const RESTORE = graphql(`
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
`);

export const DELETE = graphql(`
  mutation ExplorerDelete($input: DeleteMemoryInput!) {
    deleteMemory(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

export const SEARCH = graphql(`
  query ExplorerSearch(
    $externalUserId: String!
    $query: String!
    $mode: SearchMode
    $filter: MemoryFilter
    $limit: Int
    $minScore: Float
    $now: DateTime
  ) {
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
`);

export const USAGE_BY_DAY = graphql(`
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
`);

export const ENTITIES = graphql(`
  query ExplorerEntities($externalUserId: String!, $query: String, $after: String) {
    entities(externalUserId: $externalUserId, query: $query, first: 50, after: $after) {
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
`);

export const ENTITY = graphql(`
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
`);

export const ADD_MEMORY = graphql(`
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
`);

export const UPDATE_MEMORY = graphql(`
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
`);
