import type { GraphiQLOptions } from 'graphql-yoga';

/** What GraphiQL opens with (development only): the key's place in the headers, and one tab per task. */

const headers = `{
  "Authorization": "Bearer <paste your mgk_ API key here>"
}`;

const remember = `# 1. Your API key goes in Headers, below
#    (npm start printed one on first run).
# 2. Run (Ctrl-Enter). Then the other tabs.
# The Docs button (top left) lists every field.
mutation Remember {
  addMemory(input: { externalUserId: "alice@example.com", content: "Alice is allergic to peanuts" }) {
    __typename
    ... on AddedMemory { created memory { id content createdAt } }
    ... on Error { code message }
  }
}
`;

const recall = `query Recall {
  searchMemories(externalUserId: "alice@example.com", query: "what food should I avoid?", limit: 5) {
    __typename
    ... on MemorySearch { mode hits { score memory { id content } } }
    ... on Error { code message }
  }
}
`;

const list = `query Memories {
  memories(externalUserId: "alice@example.com", first: 10) {
    __typename
    ... on MemoryConnection { totalCount edges { node { id content tags createdAt } } pageInfo { hasNextPage endCursor } }
    ... on Error { code message }
  }
}
`;

const token = `# A short-lived token for one end user's browser: send it instead of the API key.
mutation TokenForAlice {
  createEndUserToken(externalUserId: "alice@example.com", ttlSeconds: 3600) {
    __typename
    ... on EndUserToken { token expiresAt scopes }
    ... on Error { code message }
  }
}
`;

export const graphiqlOptions: GraphiQLOptions = {
  title: 'Memgate',
  defaultEditorToolsVisibility: 'headers',
  isHeadersEditorEnabled: true,
  headers,
  defaultHeaders: headers,
  defaultTabs: [remember, recall, list, token].map((query) => ({ query, headers })),
};
