import { graphql } from '../gql/index.js';

/** The operations of the example, typed by `npm run codegen` (examples/apollo-react/gql). */

export const MemoryFields = graphql(`
  fragment MemoryFields on Memory {
    id
    content
    tags
    createdAt
  }
`);

export const RecentMemories = graphql(`
  query RecentMemories($first: Int!, $after: String) {
    memories(first: $first, after: $after) {
      __typename
      ... on MemoryConnection {
        totalCount
        edges {
          node {
            ...MemoryFields
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const Remember = graphql(`
  mutation Remember($content: String!) {
    addMemory(input: { content: $content }) {
      __typename
      ... on AddedMemory {
        created
        memory {
          ...MemoryFields
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const Recall = graphql(`
  query Recall($query: String!) {
    searchMemories(query: $query, limit: 5) {
      __typename
      ... on MemorySearch {
        hits {
          score
          memory {
            ...MemoryFields
          }
        }
      }
      ... on Error {
        code
        message
      }
    }
  }
`);

export const MemoryChanges = graphql(`
  subscription MemoryChanges {
    memoryEvents {
      kind
      memoryId
      memory {
        ...MemoryFields
      }
    }
  }
`);
