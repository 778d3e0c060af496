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
    "\n  query ExplorerViewer {\n    viewer {\n      credential\n      scopes\n      keyPrefix\n      tenant {\n        name\n      }\n    }\n  }\n": typeof types.ExplorerViewerDocument,
    "\n  query ExplorerEndUsers($after: String) {\n    endUsers(first: 50, after: $after) {\n      __typename\n      ... on EndUserConnection {\n        edges {\n          node {\n            externalUserId\n            memoryCount\n            lastActivityAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerEndUsersDocument,
    "\n  fragment ExplorerMemory on Memory {\n    id\n    content\n    tags\n    metadata\n    occurredAt\n    updatedAt\n    deletedAt\n    threadId\n  }\n": typeof types.ExplorerMemoryFragmentDoc,
    "\n  query ExplorerMemories($externalUserId: String!, $deleted: Boolean!, $after: String, $filter: MemoryFilter) {\n    memories(externalUserId: $externalUserId, deleted: $deleted, first: 50, after: $after, filter: $filter) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...ExplorerMemory\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerMemoriesDocument,
    "\n  query ExplorerHistory($externalUserId: String!, $id: ID!) {\n    memory(externalUserId: $externalUserId, id: $id, includeDeleted: true) {\n      __typename\n      ... on Memory {\n        ...ExplorerMemory\n        history {\n          id\n          kind\n          createdAt\n          reason\n          conversationId\n          actor {\n            kind\n            keyName\n            keyPrefix\n          }\n          oldContent\n          newContent\n          changedFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerHistoryDocument,
    "\n  mutation ExplorerRestore($input: RestoreMemoryInput!) {\n    restoreMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerRestoreDocument,
    "\n  mutation ExplorerDelete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerDeleteDocument,
    "\n  query ExplorerSearch(\n    $externalUserId: String!\n    $query: String!\n    $mode: SearchMode\n    $filter: MemoryFilter\n    $limit: Int\n    $minScore: Float\n    $now: DateTime\n  ) {\n    searchMemories(\n      externalUserId: $externalUserId\n      query: $query\n      mode: $mode\n      limit: $limit\n      filter: $filter\n      minScore: $minScore\n      now: $now\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        timeWindow {\n          from\n          to\n          text\n        }\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          questionScore\n          memory {\n            ...ExplorerMemory\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerSearchDocument,
    "\n  query ExplorerUsageByDay($from: DateTime!, $to: DateTime!) {\n    usageByDay(from: $from, to: $to) {\n      __typename\n      ... on DailyUsage {\n        days {\n          day\n          calls\n          inputTokens\n          outputTokens\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerUsageByDayDocument,
    "\n  query ExplorerEntities($externalUserId: String!, $query: String, $after: String) {\n    entities(externalUserId: $externalUserId, query: $query, first: 50, after: $after) {\n      __typename\n      ... on EntityConnection {\n        edges {\n          node {\n            id\n            name\n            type\n            memoryCount\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerEntitiesDocument,
    "\n  query ExplorerEntity($externalUserId: String!, $id: ID!, $asOf: DateTime) {\n    entity(externalUserId: $externalUserId, id: $id) {\n      __typename\n      ... on Entity {\n        id\n        name\n        type\n        aliases\n        memoryCount\n        memories(first: 20) {\n          ...ExplorerMemory\n        }\n        relations(asOf: $asOf) {\n          id\n          predicate\n          validFrom\n          validTo\n          subject {\n            id\n            name\n          }\n          object {\n            id\n            name\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerEntityDocument,
    "\n  mutation ExplorerAdd($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        memory {\n          id\n        }\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerAddDocument,
    "\n  mutation ExplorerUpdate($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ExplorerUpdateDocument,
};
const documents: Documents = {
    "\n  query ExplorerViewer {\n    viewer {\n      credential\n      scopes\n      keyPrefix\n      tenant {\n        name\n      }\n    }\n  }\n": types.ExplorerViewerDocument,
    "\n  query ExplorerEndUsers($after: String) {\n    endUsers(first: 50, after: $after) {\n      __typename\n      ... on EndUserConnection {\n        edges {\n          node {\n            externalUserId\n            memoryCount\n            lastActivityAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerEndUsersDocument,
    "\n  fragment ExplorerMemory on Memory {\n    id\n    content\n    tags\n    metadata\n    occurredAt\n    updatedAt\n    deletedAt\n    threadId\n  }\n": types.ExplorerMemoryFragmentDoc,
    "\n  query ExplorerMemories($externalUserId: String!, $deleted: Boolean!, $after: String, $filter: MemoryFilter) {\n    memories(externalUserId: $externalUserId, deleted: $deleted, first: 50, after: $after, filter: $filter) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...ExplorerMemory\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerMemoriesDocument,
    "\n  query ExplorerHistory($externalUserId: String!, $id: ID!) {\n    memory(externalUserId: $externalUserId, id: $id, includeDeleted: true) {\n      __typename\n      ... on Memory {\n        ...ExplorerMemory\n        history {\n          id\n          kind\n          createdAt\n          reason\n          conversationId\n          actor {\n            kind\n            keyName\n            keyPrefix\n          }\n          oldContent\n          newContent\n          changedFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerHistoryDocument,
    "\n  mutation ExplorerRestore($input: RestoreMemoryInput!) {\n    restoreMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerRestoreDocument,
    "\n  mutation ExplorerDelete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerDeleteDocument,
    "\n  query ExplorerSearch(\n    $externalUserId: String!\n    $query: String!\n    $mode: SearchMode\n    $filter: MemoryFilter\n    $limit: Int\n    $minScore: Float\n    $now: DateTime\n  ) {\n    searchMemories(\n      externalUserId: $externalUserId\n      query: $query\n      mode: $mode\n      limit: $limit\n      filter: $filter\n      minScore: $minScore\n      now: $now\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        timeWindow {\n          from\n          to\n          text\n        }\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          questionScore\n          memory {\n            ...ExplorerMemory\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerSearchDocument,
    "\n  query ExplorerUsageByDay($from: DateTime!, $to: DateTime!) {\n    usageByDay(from: $from, to: $to) {\n      __typename\n      ... on DailyUsage {\n        days {\n          day\n          calls\n          inputTokens\n          outputTokens\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerUsageByDayDocument,
    "\n  query ExplorerEntities($externalUserId: String!, $query: String, $after: String) {\n    entities(externalUserId: $externalUserId, query: $query, first: 50, after: $after) {\n      __typename\n      ... on EntityConnection {\n        edges {\n          node {\n            id\n            name\n            type\n            memoryCount\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerEntitiesDocument,
    "\n  query ExplorerEntity($externalUserId: String!, $id: ID!, $asOf: DateTime) {\n    entity(externalUserId: $externalUserId, id: $id) {\n      __typename\n      ... on Entity {\n        id\n        name\n        type\n        aliases\n        memoryCount\n        memories(first: 20) {\n          ...ExplorerMemory\n        }\n        relations(asOf: $asOf) {\n          id\n          predicate\n          validFrom\n          validTo\n          subject {\n            id\n            name\n          }\n          object {\n            id\n            name\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerEntityDocument,
    "\n  mutation ExplorerAdd($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        memory {\n          id\n        }\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerAddDocument,
    "\n  mutation ExplorerUpdate($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ExplorerUpdateDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerViewer {\n    viewer {\n      credential\n      scopes\n      keyPrefix\n      tenant {\n        name\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEndUsers($after: String) {\n    endUsers(first: 50, after: $after) {\n      __typename\n      ... on EndUserConnection {\n        edges {\n          node {\n            externalUserId\n            memoryCount\n            lastActivityAt\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerEndUsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExplorerMemory on Memory {\n    id\n    content\n    tags\n    metadata\n    occurredAt\n    updatedAt\n    deletedAt\n    threadId\n  }\n"): typeof import('./graphql.js').ExplorerMemoryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerMemories($externalUserId: String!, $deleted: Boolean!, $after: String, $filter: MemoryFilter) {\n    memories(externalUserId: $externalUserId, deleted: $deleted, first: 50, after: $after, filter: $filter) {\n      __typename\n      ... on MemoryConnection {\n        totalCount\n        edges {\n          node {\n            ...ExplorerMemory\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerMemoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerHistory($externalUserId: String!, $id: ID!) {\n    memory(externalUserId: $externalUserId, id: $id, includeDeleted: true) {\n      __typename\n      ... on Memory {\n        ...ExplorerMemory\n        history {\n          id\n          kind\n          createdAt\n          reason\n          conversationId\n          actor {\n            kind\n            keyName\n            keyPrefix\n          }\n          oldContent\n          newContent\n          changedFields\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerRestore($input: RestoreMemoryInput!) {\n    restoreMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerRestoreDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerDelete($input: DeleteMemoryInput!) {\n    deleteMemory(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerDeleteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSearch(\n    $externalUserId: String!\n    $query: String!\n    $mode: SearchMode\n    $filter: MemoryFilter\n    $limit: Int\n    $minScore: Float\n    $now: DateTime\n  ) {\n    searchMemories(\n      externalUserId: $externalUserId\n      query: $query\n      mode: $mode\n      limit: $limit\n      filter: $filter\n      minScore: $minScore\n      now: $now\n    ) {\n      __typename\n      ... on MemorySearch {\n        mode\n        timeWindow {\n          from\n          to\n          text\n        }\n        hits {\n          score\n          semanticScore\n          keywordScore\n          entityScore\n          questionScore\n          memory {\n            ...ExplorerMemory\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerUsageByDay($from: DateTime!, $to: DateTime!) {\n    usageByDay(from: $from, to: $to) {\n      __typename\n      ... on DailyUsage {\n        days {\n          day\n          calls\n          inputTokens\n          outputTokens\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerUsageByDayDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEntities($externalUserId: String!, $query: String, $after: String) {\n    entities(externalUserId: $externalUserId, query: $query, first: 50, after: $after) {\n      __typename\n      ... on EntityConnection {\n        edges {\n          node {\n            id\n            name\n            type\n            memoryCount\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerEntitiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEntity($externalUserId: String!, $id: ID!, $asOf: DateTime) {\n    entity(externalUserId: $externalUserId, id: $id) {\n      __typename\n      ... on Entity {\n        id\n        name\n        type\n        aliases\n        memoryCount\n        memories(first: 20) {\n          ...ExplorerMemory\n        }\n        relations(asOf: $asOf) {\n          id\n          predicate\n          validFrom\n          validTo\n          subject {\n            id\n            name\n          }\n          object {\n            id\n            name\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerEntityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerAdd($input: AddMemoryInput!) {\n    addMemory(input: $input) {\n      __typename\n      ... on AddedMemory {\n        memory {\n          id\n        }\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerAddDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplorerUpdate($input: UpdateMemoryInput!) {\n    updateMemory(input: $input) {\n      __typename\n      ... on Memory {\n        id\n      }\n      ... on ValidationError {\n        field\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').ExplorerUpdateDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
