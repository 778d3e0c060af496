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
    "\n  fragment MemoryFields on Memory {\n    id\n    content\n    tags\n    createdAt\n  }\n": typeof types.MemoryFieldsFragmentDoc,
    "\n  query RecentMemories($first: Int!, $after: String) {\n    memories(first: $first, after: $after) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...MemoryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RecentMemoriesDocument,
    "\n  mutation Remember($content: String!) {\n    addMemory(input: { content: $content }) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          ...MemoryFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RememberDocument,
    "\n  query Recall($query: String!) {\n    searchMemories(query: $query, limit: 5) {\n      __typename\n      ... on MemorySearch {\n        hits {\n          score\n          memory {\n            ...MemoryFields\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.RecallDocument,
    "\n  subscription MemoryChanges {\n    memoryEvents {\n      kind\n      memoryId\n      memory {\n        ...MemoryFields\n      }\n    }\n  }\n": typeof types.MemoryChangesDocument,
};
const documents: Documents = {
    "\n  fragment MemoryFields on Memory {\n    id\n    content\n    tags\n    createdAt\n  }\n": types.MemoryFieldsFragmentDoc,
    "\n  query RecentMemories($first: Int!, $after: String) {\n    memories(first: $first, after: $after) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...MemoryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RecentMemoriesDocument,
    "\n  mutation Remember($content: String!) {\n    addMemory(input: { content: $content }) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          ...MemoryFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RememberDocument,
    "\n  query Recall($query: String!) {\n    searchMemories(query: $query, limit: 5) {\n      __typename\n      ... on MemorySearch {\n        hits {\n          score\n          memory {\n            ...MemoryFields\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.RecallDocument,
    "\n  subscription MemoryChanges {\n    memoryEvents {\n      kind\n      memoryId\n      memory {\n        ...MemoryFields\n      }\n    }\n  }\n": types.MemoryChangesDocument,
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
export function graphql(source: "\n  fragment MemoryFields on Memory {\n    id\n    content\n    tags\n    createdAt\n  }\n"): (typeof documents)["\n  fragment MemoryFields on Memory {\n    id\n    content\n    tags\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentMemories($first: Int!, $after: String) {\n    memories(first: $first, after: $after) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...MemoryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentMemories($first: Int!, $after: String) {\n    memories(first: $first, after: $after) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...MemoryFields\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Remember($content: String!) {\n    addMemory(input: { content: $content }) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          ...MemoryFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Remember($content: String!) {\n    addMemory(input: { content: $content }) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          ...MemoryFields\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Recall($query: String!) {\n    searchMemories(query: $query, limit: 5) {\n      __typename\n      ... on MemorySearch {\n        hits {\n          score\n          memory {\n            ...MemoryFields\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query Recall($query: String!) {\n    searchMemories(query: $query, limit: 5) {\n      __typename\n      ... on MemorySearch {\n        hits {\n          score\n          memory {\n            ...MemoryFields\n          }\n        }\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MemoryChanges {\n    memoryEvents {\n      kind\n      memoryId\n      memory {\n        ...MemoryFields\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription MemoryChanges {\n    memoryEvents {\n      kind\n      memoryId\n      memory {\n        ...MemoryFields\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;