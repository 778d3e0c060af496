/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddMemory($input: AddMemoryInput!) {\n  addMemory(input: $input) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n        tags\n        metadata\n        createdAt\n      }\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.AddMemoryDocument,
    "mutation CreateEndUserToken($externalUserId: String!, $ttlSeconds: Int) {\n  createEndUserToken(externalUserId: $externalUserId, ttlSeconds: $ttlSeconds) {\n    __typename\n    ... on EndUserToken {\n      token\n      expiresAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.CreateEndUserTokenDocument,
    "mutation DeleteMemory($input: DeleteMemoryInput!) {\n  deleteMemory(input: $input) {\n    __typename\n    ... on DeletedMemory {\n      deletedMemoryId\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.DeleteMemoryDocument,
    "mutation EraseEndUser($externalUserId: String!) {\n  deleteEndUser(externalUserId: $externalUserId) {\n    __typename\n    ... on EndUserErasure {\n      externalUserId\n      memoriesDeleted\n      historyEventsDeleted\n      erasedAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.EraseEndUserDocument,
    "query ListMemories($externalUserId: String!, $first: Int, $after: String, $filter: MemoryFilter) {\n  memories(\n    externalUserId: $externalUserId\n    first: $first\n    after: $after\n    filter: $filter\n  ) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.ListMemoriesDocument,
    "mutation RememberForMe($content: String!, $tags: [String!]) {\n  addMemory(input: {content: $content, tags: $tags}) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery MyRecentMemories($first: Int) {\n  memories(first: $first) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery RecallForMe($query: String!, $limit: Int) {\n  searchMemories(query: $query, limit: $limit) {\n    __typename\n    ... on MemorySearch {\n      hits {\n        score\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.RememberForMeDocument,
    "query SearchMemories($externalUserId: String!, $query: String!, $mode: SearchMode, $limit: Int) {\n  searchMemories(\n    externalUserId: $externalUserId\n    query: $query\n    mode: $mode\n    limit: $limit\n  ) {\n    __typename\n    ... on MemorySearch {\n      mode\n      hits {\n        score\n        semanticScore\n        keywordScore\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": typeof types.SearchMemoriesDocument,
};
const documents: Documents = {
    "mutation AddMemory($input: AddMemoryInput!) {\n  addMemory(input: $input) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n        tags\n        metadata\n        createdAt\n      }\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.AddMemoryDocument,
    "mutation CreateEndUserToken($externalUserId: String!, $ttlSeconds: Int) {\n  createEndUserToken(externalUserId: $externalUserId, ttlSeconds: $ttlSeconds) {\n    __typename\n    ... on EndUserToken {\n      token\n      expiresAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.CreateEndUserTokenDocument,
    "mutation DeleteMemory($input: DeleteMemoryInput!) {\n  deleteMemory(input: $input) {\n    __typename\n    ... on DeletedMemory {\n      deletedMemoryId\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.DeleteMemoryDocument,
    "mutation EraseEndUser($externalUserId: String!) {\n  deleteEndUser(externalUserId: $externalUserId) {\n    __typename\n    ... on EndUserErasure {\n      externalUserId\n      memoriesDeleted\n      historyEventsDeleted\n      erasedAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.EraseEndUserDocument,
    "query ListMemories($externalUserId: String!, $first: Int, $after: String, $filter: MemoryFilter) {\n  memories(\n    externalUserId: $externalUserId\n    first: $first\n    after: $after\n    filter: $filter\n  ) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.ListMemoriesDocument,
    "mutation RememberForMe($content: String!, $tags: [String!]) {\n  addMemory(input: {content: $content, tags: $tags}) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery MyRecentMemories($first: Int) {\n  memories(first: $first) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery RecallForMe($query: String!, $limit: Int) {\n  searchMemories(query: $query, limit: $limit) {\n    __typename\n    ... on MemorySearch {\n      hits {\n        score\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.RememberForMeDocument,
    "query SearchMemories($externalUserId: String!, $query: String!, $mode: SearchMode, $limit: Int) {\n  searchMemories(\n    externalUserId: $externalUserId\n    query: $query\n    mode: $mode\n    limit: $limit\n  ) {\n    __typename\n    ... on MemorySearch {\n      mode\n      hits {\n        score\n        semanticScore\n        keywordScore\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}": types.SearchMemoriesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddMemory($input: AddMemoryInput!) {\n  addMemory(input: $input) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n        tags\n        metadata\n        createdAt\n      }\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation AddMemory($input: AddMemoryInput!) {\n  addMemory(input: $input) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n        tags\n        metadata\n        createdAt\n      }\n    }\n    ... on ValidationError {\n      field\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateEndUserToken($externalUserId: String!, $ttlSeconds: Int) {\n  createEndUserToken(externalUserId: $externalUserId, ttlSeconds: $ttlSeconds) {\n    __typename\n    ... on EndUserToken {\n      token\n      expiresAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation CreateEndUserToken($externalUserId: String!, $ttlSeconds: Int) {\n  createEndUserToken(externalUserId: $externalUserId, ttlSeconds: $ttlSeconds) {\n    __typename\n    ... on EndUserToken {\n      token\n      expiresAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation DeleteMemory($input: DeleteMemoryInput!) {\n  deleteMemory(input: $input) {\n    __typename\n    ... on DeletedMemory {\n      deletedMemoryId\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation DeleteMemory($input: DeleteMemoryInput!) {\n  deleteMemory(input: $input) {\n    __typename\n    ... on DeletedMemory {\n      deletedMemoryId\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation EraseEndUser($externalUserId: String!) {\n  deleteEndUser(externalUserId: $externalUserId) {\n    __typename\n    ... on EndUserErasure {\n      externalUserId\n      memoriesDeleted\n      historyEventsDeleted\n      erasedAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation EraseEndUser($externalUserId: String!) {\n  deleteEndUser(externalUserId: $externalUserId) {\n    __typename\n    ... on EndUserErasure {\n      externalUserId\n      memoriesDeleted\n      historyEventsDeleted\n      erasedAt\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ListMemories($externalUserId: String!, $first: Int, $after: String, $filter: MemoryFilter) {\n  memories(\n    externalUserId: $externalUserId\n    first: $first\n    after: $after\n    filter: $filter\n  ) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["query ListMemories($externalUserId: String!, $first: Int, $after: String, $filter: MemoryFilter) {\n  memories(\n    externalUserId: $externalUserId\n    first: $first\n    after: $after\n    filter: $filter\n  ) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RememberForMe($content: String!, $tags: [String!]) {\n  addMemory(input: {content: $content, tags: $tags}) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery MyRecentMemories($first: Int) {\n  memories(first: $first) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery RecallForMe($query: String!, $limit: Int) {\n  searchMemories(query: $query, limit: $limit) {\n    __typename\n    ... on MemorySearch {\n      hits {\n        score\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["mutation RememberForMe($content: String!, $tags: [String!]) {\n  addMemory(input: {content: $content, tags: $tags}) {\n    __typename\n    ... on AddedMemory {\n      created\n      memory {\n        id\n        content\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery MyRecentMemories($first: Int) {\n  memories(first: $first) {\n    __typename\n    ... on MemoryConnection {\n      totalCount\n      edges {\n        node {\n          id\n          content\n          tags\n          createdAt\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}\n\nquery RecallForMe($query: String!, $limit: Int) {\n  searchMemories(query: $query, limit: $limit) {\n    __typename\n    ... on MemorySearch {\n      hits {\n        score\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchMemories($externalUserId: String!, $query: String!, $mode: SearchMode, $limit: Int) {\n  searchMemories(\n    externalUserId: $externalUserId\n    query: $query\n    mode: $mode\n    limit: $limit\n  ) {\n    __typename\n    ... on MemorySearch {\n      mode\n      hits {\n        score\n        semanticScore\n        keywordScore\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"): (typeof documents)["query SearchMemories($externalUserId: String!, $query: String!, $mode: SearchMode, $limit: Int) {\n  searchMemories(\n    externalUserId: $externalUserId\n    query: $query\n    mode: $mode\n    limit: $limit\n  ) {\n    __typename\n    ... on MemorySearch {\n      mode\n      hits {\n        score\n        semanticScore\n        keywordScore\n        memory {\n          id\n          content\n        }\n      }\n    }\n    ... on Error {\n      code\n      message\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;