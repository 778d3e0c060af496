import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

const BY_DAY = `query($from: DateTime!, $to: DateTime!) { usageByDay(from: $from, to: $to) { __typename ... on DailyUsage { days { day calls inputTokens outputTokens modelSeconds } } ... on ValidationError { field message } } }`;

describe.each(databaseKinds)('usageByDay on %s', (kind) => {
  let t: TestGateway;

  beforeAll(async () => {
    t = await startTestGateway(kind);
    const call = (tenantId: string, externalUserId: string, at: string, inputTokens: number) => ({
      tenantId,
      externalUserId,
      operation: 'askMemory',
      model: 'claude-test',
      inputTokens,
      outputTokens: 10,
      modelMs: 500,
      createdAt: new Date(at),
    });
    const { acme, globex } = t.tenants;
    const users = [
      [acme.tenantId, 'ann'],
      [acme.tenantId, 'bob'],
      [globex.tenantId, 'ann'],
    ];
    await t.db.prisma.endUser.createMany({
      data: users.map(([tenantId, externalUserId]) => ({ tenantId, externalUserId })),
    });
    await t.db.prisma.llmUsage.createMany({
      data: [
        // A day's last millisecond and the next day's first belong to different days (UTC).
        call(acme.tenantId, 'ann', '2026-03-01T23:59:59.999Z', 100),
        call(acme.tenantId, 'bob', '2026-03-01T08:00:00.000Z', 50),
        call(acme.tenantId, 'ann', '2026-03-02T00:00:00.000Z', 7),
        call(acme.tenantId, 'ann', '2026-03-04T12:00:00.000Z', 1),
        call(globex.tenantId, 'ann', '2026-03-02T10:00:00.000Z', 999),
      ],
    });
  });
  afterAll(() => t.close());

  test('every UTC day of the period, days without calls at zero, the day of `to` included', async () => {
    const res = await t.request(BY_DAY, { from: '2026-03-01T15:00:00Z', to: '2026-03-04T01:00:00Z' });
    expect(res.errors).toBeUndefined();
    expect(res.data.usageByDay.days).toEqual([
      { day: '2026-03-01T00:00:00.000Z', calls: 2, inputTokens: 150, outputTokens: 20, modelSeconds: 1 },
      { day: '2026-03-02T00:00:00.000Z', calls: 1, inputTokens: 7, outputTokens: 10, modelSeconds: 0.5 },
      { day: '2026-03-03T00:00:00.000Z', calls: 0, inputTokens: 0, outputTokens: 0, modelSeconds: 0 },
      { day: '2026-03-04T00:00:00.000Z', calls: 1, inputTokens: 1, outputTokens: 10, modelSeconds: 0.5 },
    ]);
  });

  test('another tenant sees only its own calls', async () => {
    const res = await t.request(
      BY_DAY,
      { from: '2026-03-01T00:00:00Z', to: '2026-03-02T23:00:00Z' },
      t.tenants.globex.apiKey,
    );
    expect(
      res.data.usageByDay.days.map((day: { calls: number; inputTokens: number }) => [day.calls, day.inputTokens]),
    ).toEqual([
      [0, 0],
      [1, 999],
    ]);
  });

  test('a backwards or longer than 366-day period is a validation error', async () => {
    for (const period of [
      { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' },
      { from: '2025-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
    ]) {
      const res = await t.request(BY_DAY, period);
      expect(res.data.usageByDay).toEqual({
        __typename: 'ValidationError',
        field: 'to',
        message: expect.stringMatching(/at most 366 days/),
      });
    }
  });

  test('READ keys and end-user tokens are refused', async () => {
    const readKey = (
      await t.request(
        `mutation { createApiKey(name: "reader", scopes: [READ, WRITE]) { ... on NewApiKey { apiKey } } }`,
      )
    ).data.createApiKey.apiKey;
    const token = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "ann", ttlSeconds: 600) { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;
    for (const bearer of [readKey, token]) {
      const refused = await t.request(BY_DAY, { from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }, bearer);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});
