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
}`;

const USERS = `query Users($first: Int!) {
  endUsers(first: $first) { ... on EndUserConnection { edges { node { externalUserId memoryCount lastActivityAt } } } }
}`;

describe.each(databaseKinds)('per-request loaders on %s', (kind) => {
  let t: TestGateway;
  let statements: string[] = [];
  beforeAll(async () => {
    t = await startTestGateway(kind, { onQuery: (sql) => statements.push(sql) });
    for (const [user, count] of [
      ['small', 10],
      ['large', 50],
    ] as const) {
      const memories = Array.from({ length: count }, (_, i) => ({
        content: `${user} memory ${i}`,
        tags: [`t${i % 3}`],
      }));
      const res = await t.request(ADD_MANY, { input: { externalUserId: user, memories } });
      expect(res.data.addMemories.results).toHaveLength(count);
    }
    for (let i = 0; i < 20; i++)
      await t.request(ADD_MANY, { input: { externalUserId: `user-${i}`, memories: [{ content: 'hello' }] } });
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
    // key lookup, then list, count and history, each in a short scoped transaction
    expect(large).toBeLessThanOrEqual(15);
  });

  test("end users' memory counts are loaded in one query however many users are listed", async () => {
    const countFor = async (first: number) => {
      statements = [];
      const res = await t.request(USERS, { first });
      expect(res.data.endUsers.edges).toHaveLength(first);
      return statements.length;
    };
    expect(await countFor(22)).toBe(await countFor(1));
  });
});
