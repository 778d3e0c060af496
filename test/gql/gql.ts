/* eslint-disable */
import * as types from './graphql.js';



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
    "\n  fragment Failure on Error {\n    code\n    message\n    ... on ValidationError {\n      field\n    }\n  }\n": typeof types.FailureFragmentDoc,
    "\n  fragment HistoryEntry on MemoryEvent {\n    kind\n    oldContent\n    newContent\n    changedFields\n    reason\n  }\n": typeof types.HistoryEntryFragmentDoc,
    "\n  mutation Add($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          id\n          externalUserId\n          content\n          metadata\n          tags\n          expiresAt\n          embeddingModel\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.AddDocument,
    "\n  mutation AddMany($input: AddMemoriesInput!) {\n    addMemories(input: $input) {\n      __typename\n      ... on AddedMemories {\n        results {\n          created\n          memory {\n            id\n            content\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.AddManyDocument,
    "\n  query Search(\n    $user: String!\n    $query: String!\n    $mode: SearchMode\n    $limit: Int\n    $minScore: Float\n    $weights: HybridWeights\n    $recencyHalfLifeDays: Float\n    $filter: MemoryFilter\n  ) {\n    searchMemories(\n      externalUserId: $user\n      query: $query\n      mode: $mode\n      limit: $limit\n      minScore: $minScore\n      weights: $weights\n      recencyHalfLifeDays: $recencyHalfLifeDays\n      filter: $filter\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        embeddingModel\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          memory {\n            id\n            content\n            externalUserId\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.SearchDocument,
    "\n  query List(\n    $user: String!\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: MemoryFilter\n    $deleted: Boolean\n  ) {\n    memories(\n      externalUserId: $user\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      filter: $filter\n      deleted: $deleted\n    ) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            id\n            content\n            tags\n            deletedAt\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.ListDocument,
    "\n  query Get($user: String!, $id: ID!, $includeDeleted: Boolean) {\n    memory(externalUserId: $user, id: $id, includeDeleted: $includeDeleted) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        deletedAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.GetDocument,
    "\n  mutation Update($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        expiresAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.UpdateDocument,
    "\n  mutation Delete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on DeletedMemory {\n        deletedMemoryId\n        history {\n          kind\n          oldContent\n          reason\n        }\n      }\n      ...Failure\n    }\n  }\n": typeof types.DeleteDocument,
    "\n  mutation Erase($user: String!) {\n    deleteEndUser(externalUserId: $user) {\n      __typename\n      ... on EndUserErasure {\n        externalUserId\n        memoriesDeleted\n        historyEventsDeleted\n        idempotencyKeysDeleted\n        erasedAt\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.EraseDocument,
};
const documents: Documents = {
    "\n  fragment Failure on Error {\n    code\n    message\n    ... on ValidationError {\n      field\n    }\n  }\n": types.FailureFragmentDoc,
    "\n  fragment HistoryEntry on MemoryEvent {\n    kind\n    oldContent\n    newContent\n    changedFields\n    reason\n  }\n": types.HistoryEntryFragmentDoc,
    "\n  mutation Add($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          id\n          externalUserId\n          content\n          metadata\n          tags\n          expiresAt\n          embeddingModel\n        }\n      }\n      ...Failure\n    }\n  }\n": types.AddDocument,
    "\n  mutation AddMany($input: AddMemoriesInput!) {\n    addMemories(input: $input) {\n      __typename\n      ... on AddedMemories {\n        results {\n          created\n          memory {\n            id\n            content\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": types.AddManyDocument,
    "\n  query Search(\n    $user: String!\n    $query: String!\n    $mode: SearchMode\n    $limit: Int\n    $minScore: Float\n    $weights: HybridWeights\n    $recencyHalfLifeDays: Float\n    $filter: MemoryFilter\n  ) {\n    searchMemories(\n      externalUserId: $user\n      query: $query\n      mode: $mode\n      limit: $limit\n      minScore: $minScore\n      weights: $weights\n      recencyHalfLifeDays: $recencyHalfLifeDays\n      filter: $filter\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        embeddingModel\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          memory {\n            id\n            content\n            externalUserId\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": types.SearchDocument,
    "\n  query List(\n    $user: String!\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: MemoryFilter\n    $deleted: Boolean\n  ) {\n    memories(\n      externalUserId: $user\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      filter: $filter\n      deleted: $deleted\n    ) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            id\n            content\n            tags\n            deletedAt\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n": types.ListDocument,
    "\n  query Get($user: String!, $id: ID!, $includeDeleted: Boolean) {\n    memory(externalUserId: $user, id: $id, includeDeleted: $includeDeleted) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        deletedAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n": types.GetDocument,
    "\n  mutation Update($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        expiresAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n": types.UpdateDocument,
    "\n  mutation Delete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on DeletedMemory {\n        deletedMemoryId\n        history {\n          kind\n          oldContent\n          reason\n        }\n      }\n      ...Failure\n    }\n  }\n": types.DeleteDocument,
    "\n  mutation Erase($user: String!) {\n    deleteEndUser(externalUserId: $user) {\n      __typename\n      ... on EndUserErasure {\n        externalUserId\n        memoriesDeleted\n        historyEventsDeleted\n        idempotencyKeysDeleted\n        erasedAt\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n": types.EraseDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Failure on Error {\n    code\n    message\n    ... on ValidationError {\n      field\n    }\n  }\n"): typeof import('./graphql.js').FailureFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HistoryEntry on MemoryEvent {\n    kind\n    oldContent\n    newContent\n    changedFields\n    reason\n  }\n"): typeof import('./graphql.js').HistoryEntryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Add($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        created\n        memory {\n          id\n          externalUserId\n          content\n          metadata\n          tags\n          expiresAt\n          embeddingModel\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').AddDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddMany($input: AddMemoriesInput!) {\n    addMemories(input: $input) {\n      __typename\n      ... on AddedMemories {\n        results {\n          created\n          memory {\n            id\n            content\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').AddManyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Search(\n    $user: String!\n    $query: String!\n    $mode: SearchMode\n    $limit: Int\n    $minScore: Float\n    $weights: HybridWeights\n    $recencyHalfLifeDays: Float\n    $filter: MemoryFilter\n  ) {\n    searchMemories(\n      externalUserId: $user\n      query: $query\n      mode: $mode\n      limit: $limit\n      minScore: $minScore\n      weights: $weights\n      recencyHalfLifeDays: $recencyHalfLifeDays\n      filter: $filter\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        embeddingModel\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          memory {\n            id\n            content\n            externalUserId\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query List(\n    $user: String!\n    $first: Int\n    $after: String\n    $last: Int\n    $before: String\n    $filter: MemoryFilter\n    $deleted: Boolean\n  ) {\n    memories(\n      externalUserId: $user\n      first: $first\n      after: $after\n      last: $last\n      before: $before\n      filter: $filter\n      deleted: $deleted\n    ) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        pageInfo {\n          hasNextPage\n          hasPreviousPage\n          startCursor\n          endCursor\n        }\n        edges {\n          cursor\n          node {\n            id\n            content\n            tags\n            deletedAt\n          }\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').ListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Get($user: String!, $id: ID!, $includeDeleted: Boolean) {\n    memory(externalUserId: $user, id: $id, includeDeleted: $includeDeleted) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        deletedAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').GetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Update($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n        content\n        metadata\n        tags\n        expiresAt\n        history {\n          ...HistoryEntry\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').UpdateDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Delete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on DeletedMemory {\n        deletedMemoryId\n        history {\n          kind\n          oldContent\n          reason\n        }\n      }\n      ...Failure\n    }\n  }\n"): typeof import('./graphql.js').DeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Erase($user: String!) {\n    deleteEndUser(externalUserId: $user) {\n      __typename\n      ... on EndUserErasure {\n        externalUserId\n        memoriesDeleted\n        historyEventsDeleted\n        idempotencyKeysDeleted\n        erasedAt\n      }\n      ... on Error {\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').EraseDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
