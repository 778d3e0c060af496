import { ADD_MANY } from './support/operations.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const NESTED = `query Nested($user: String!, $first: Int!) {
  memories(externalUserId: $user, first: $first) {
    ... on MemoryConnection {
      totalCount
      edges { node { id content tags history { kind newContent createdAt } } }
    }
  }
  endUser(externalUserId: $user) { ... on EndUser { memoryCount lastActivityAt } }
  endUsers(first: 100) { ... on EndUserConnection { edges { node { externalUserId memoryCount } } } }
}`;

describe.each(databaseKinds)('per-request loaders on %s', (kind) => {
  let t: TestGateway;
  let statements: string[] = [];
  beforeAll(async () => {
    t = await startTestGateway(kind, { onQuery: (sql) => statements.push(sql) });
    for (const [user, count] of [['small', 10], ['large', 50]] as const) {
      const memories = Array.from({ length: count }, (_, i) => ({ content: `${user} memory ${i}`, tags: [`t${i % 3}`] }));
      const res = await t.request(ADD_MANY, { input: { externalUserId: user, memories } });
      expect(res.data.addMemories.results).toHaveLength(count);
    }
  });
  afterAll(() => t.close());

  async function statementsFor(user: string, first: number) {
    statements = [];
    const res = await t.request(NESTED, { user, first });
    expect(res.errors).toBeUndefined();
    expect(res.data.memories.edges).toHaveLength(first);
    expect(res.data.memories.edges.every((edge: any) => edge.node.history.length === 1)).toBe(true);
    return statements.length;
  }

  test('a connection of 50 memories with nested history costs the same statements as one of 10', async () => {
    const small = await statementsFor('small', 10);
    const large = await statementsFor('large', 50);
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
    // list + count + history + end user + end users + memory counts, each in a short scoped transaction
    expect(large).toBeLessThanOrEqual(25);
  });
});
