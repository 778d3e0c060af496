import { once } from 'node:events';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { Claude } from '../src/llm/claude.js';
import { browserSuite, chromiumPath } from './support/chromium.js';
import { FakeAnthropic } from './support/fakeAnthropic.js';
import { databaseKinds } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { ADD, UPDATE } from './support/operations.js';

const DAY_MS = 86_400_000;
const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** A tenant's operator in the memory explorer, in headless Chromium, against a gateway on each database. */
browserSuite.each(databaseKinds)('the memory explorer in headless Chromium on %s', (kind) => {
  let t: TestGateway;
  let server: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let allergyId: string;
  const fake = new FakeAnthropic();
  const requested: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    await fake.start();
    const claude = new Claude({
      apiKey: 'test-key',
      baseURL: fake.url,
      model: 'claude-test',
      maxTokens: 1024,
      timeoutMs: 2_000,
      maxRetries: 0,
    });
    t = await startTestGateway(kind, { claude });
    const { acme, globex } = t.tenants;
    const add = async (externalUserId: string, content: string, extra: object = {}, key = acme.apiKey) => {
      const res = await t.request(ADD, { input: { externalUserId, content, ...extra } }, key);
      return res.data.addMemory.memory.id as string;
    };
    allergyId = await add('ann@example.com', 'Ann is allergic to peanuts', {
      tags: ['health'],
      metadata: { source: 'onboarding' },
    });
    await add('ann@example.com', "Ann's daughter is called Mia", { tags: ['family'] });
    await add('ann@example.com', 'Ann prefers window seats on long flights', { tags: ['travel'] });
    await add('bob@example.com', 'Bob runs a marathon every spring');
    // A long list: the chosen memory must stay in view beside it, on any screen.
    const notes = Array.from({ length: 40 }, (_, i) => ({ content: `Note ${i + 1} of 40 about the long list` }));
    const many = await t.request(`mutation($input: AddMemoriesInput!) { addMemories(input: $input) { __typename } }`, {
      input: { externalUserId: 'many@example.com', memories: notes },
    });
    expect(many.data.addMemories.__typename).toBe('AddedMemories');
    // A user with 1,000 memories, for the first render's time.
    for (let batch = 0; batch < 10; batch++) {
      const memories = Array.from({ length: 100 }, (_, i) => ({
        content: `Fact ${batch * 100 + i + 1} of a thousand`,
      }));
      const added = await t.request(
        `mutation($input: AddMemoriesInput!) { addMemories(input: $input) { __typename } }`,
        { input: { externalUserId: 'thousand@example.com', memories } },
      );
      expect(added.data.addMemories.__typename).toBe('AddedMemories');
    }
    await add('zed@globex.test', 'Zed works in the Globex lab', {}, globex.apiKey);
    const update = {
      externalUserId: 'ann@example.com',
      id: allergyId,
      content: 'Ann is allergic to peanuts and cashews',
      reason: 'She mentioned cashews too',
    };
    expect((await t.request(UPDATE, { input: update })).data.updateMemory.__typename).toBe('Memory');
    // A memory Claude made from a conversation (two model calls today).
    fake.answer(
      {
        tool: 'record_facts',
        input: {
          facts: ['Ann is learning Portuguese'],
          // She lived in Porto, then moved to Lisbon: the graph differs by the day it is asked about.
          relations: [
            { subject: 'user', predicate: 'lives_in', object: 'Porto', since: '2024-01-10' },
            { subject: 'user', predicate: 'lives_in', object: 'Lisbon', since: '2025-06-01' },
            { subject: 'Mia', predicate: 'daughter_of', object: 'user' },
          ],
        },
      },
      {
        tool: 'decide_memory_changes',
        input: { decisions: [{ fact: 0, action: 'ADD', text: 'Ann is learning Portuguese', reason: 'new' }] },
      },
    );
    const conversation = `mutation { rememberConversation(input: { externalUserId: "ann@example.com", messages: [{ role: USER, content: "Estou a aprender português!" }] }) {
      ... on ConversationJob { status } } }`;
    expect((await t.request(conversation)).data.rememberConversation.status).toBe('DONE');
    // Model calls three days ago, and two more today, for the usage chart.
    const call = (daysAgo: number, inputTokens: number) => ({
      tenantId: acme.tenantId,
      externalUserId: 'ann@example.com',
      operation: 'askMemory',
      model: 'claude-test',
      inputTokens,
      outputTokens: 40,
      modelMs: 800,
      createdAt: new Date(Date.now() - daysAgo * DAY_MS),
    });
    await t.db.prisma.llmUsage.createMany({ data: [call(0, 1200), call(0, 800), call(3, 500)] });

    server = createServer(t.gateway);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('request', (request) => requested.push(request.url()));
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  });
  afterEach(async () => {
    mkdirSync('artifacts', { recursive: true });
    await page?.screenshot({ path: `artifacts/explorer-last-${kind}.png` });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
    await fake.stop();
  });

  const panel = (name: string) => page.getByRole('region', { name, exact: true });

  /** axe-core's serious and critical findings on the page as it is (evaluated through the DevTools protocol, which the CSP does not govern). */
  async function accessibilityProblems(): Promise<string[]> {
    await page.evaluate(AXE);
    return page.evaluate(async () => {
      const { violations } = await (window as any).axe.run(document, { resultTypes: ['violations'] });
      return violations
        .filter((v: any) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v: any) =>
            `${v.id} (${v.impact}): ${v.nodes
              .map((n: any) => n.target.join(' '))
              .slice(0, 3)
              .join(' | ')}`,
        );
    });
  }

  async function openWith(key: string) {
    const forget = page.getByRole('button', { name: 'Forget key' });
    if (await forget.isVisible()) await forget.click();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Open' }).click();
  }

  test("a tenant's key opens its end users, usage chart, a memory's tags, metadata and history; a past version is restored", async () => {
    await page.goto(`${origin}/explorer`);
    await page.getByText('Enter one of your tenant').waitFor();
    expect(await accessibilityProblems()).toEqual([]);
    await openWith(t.tenants.acme.apiKey);

    const users = panel('End users');
    await users.getByText('ann@example.com').waitFor();
    await users.getByText('bob@example.com').waitFor();
    expect(await users.getByText('zed@globex.test').count()).toBe(0);

    // The chart shows what the database holds: the seeded calls and the conversation's own.
    const calls = await t.db.prisma.llmUsage.findMany({ where: { tenantId: t.tenants.acme.tenantId } });
    const sum = (pick: (call: (typeof calls)[number]) => number) =>
      calls.reduce((total, call) => total + pick(call), 0).toLocaleString('en-US');
    expect(calls).toHaveLength(5);
    const chart = panel('Model usage');
    await chart
      .getByText(`5 calls · ${sum((c) => c.inputTokens)} input and ${sum((c) => c.outputTokens)} output tokens`)
      .waitFor();
    const bars = chart.locator('rect.bar');
    expect(await bars.count()).toBe(14);
    expect(await bars.last().locator('title').textContent()).toMatch(/: 4 calls, /);
    expect(await bars.nth(10).locator('title').textContent()).toMatch(/: 1 call, 500 input and 40 output tokens$/);

    await users.getByText('ann@example.com').click();
    const memories = panel('Memories');
    await memories.getByText("Ann's daughter is called Mia").waitFor();
    expect(await memories.getByRole('button').filter({ hasText: /Ann/ }).count()).toBe(4);

    await memories.getByRole('button').filter({ hasText: 'Ann is learning Portuguese' }).click();
    const learned = panel('Memory').getByRole('list', { name: 'History' }).getByRole('listitem');
    await learned
      .filter({ hasText: 'CREATED' })
      .getByText(/by Claude, from conversation [0-9a-f]{8}…/)
      .waitFor();

    const allergy = memories.getByRole('button').filter({ hasText: 'Ann is allergic to peanuts and cashews' });
    await allergy.getByText('health', { exact: true }).waitFor();
    await allergy.getByText('onboarding').waitFor();

    await allergy.click();
    const history = panel('Memory').getByRole('list', { name: 'History' });
    const updated = history.getByRole('listitem').filter({ hasText: 'UPDATED' });
    await updated.getByText(`by API key “default” (${t.tenants.acme.apiKey.slice(0, 12)}…)`).waitFor();
    await updated.getByText('“She mentioned cashews too”').waitFor();
    expect(await updated.locator('del').textContent()).toBe('Ann is allergic to peanuts');
    expect(await updated.locator('ins').textContent()).toBe('Ann is allergic to peanuts and cashews');
    await history.getByRole('listitem').filter({ hasText: 'CREATED' }).waitFor();
    await page.screenshot({ path: 'artifacts/explorer-history.png' });

    await updated.getByRole('button', { name: 'Restore this version' }).click();
    await history.getByRole('listitem').filter({ hasText: 'RESTORED' }).waitFor();
    await memories
      .getByRole('button')
      .filter({ hasText: /^Ann is allergic to peanuts(?! and)/ })
      .waitFor();
    // The restore happened on the server, as acme, for Ann's memory only.
    const stored = await t.db.prisma.memory.findMany({
      where: { tenantId: t.tenants.acme.tenantId, externalUserId: 'ann@example.com' },
    });
    expect(stored.map((memory) => memory.content)).toContain('Ann is allergic to peanuts');
    expect(stored.map((memory) => memory.content)).not.toContain('Ann is allergic to peanuts and cashews');
  });

  test("a search among the user's memories shows each hit's score with its semantic and keyword parts", async () => {
    const memories = panel('Memories');
    await memories.getByLabel('Search query').fill('peanut allergy');
    await memories.getByRole('button', { name: 'Search' }).click();
    const hits = memories.getByRole('list', { name: 'Search hits' }).getByRole('button');
    await hits.first().getByText('Ann is allergic to peanuts').waitFor();
    const scores = await hits.first().locator('.scores dd').allTextContents();
    expect(scores).toHaveLength(3);
    for (const score of scores.slice(0, 2)) expect(Number(score)).toBeGreaterThan(0);
    expect(scores[2]).toMatch(/^\d\.\d{3}$/);

    await memories.getByLabel('Search mode').selectOption('KEYWORD');
    await memories.getByRole('button', { name: 'Search' }).click();
    // Keyword mode consults no embedding: the semantic part is absent.
    await hits.first().locator('.scores dd').nth(1).getByText('—').waitFor();
    await memories.getByLabel('Search mode').selectOption('HYBRID');
    await memories.getByRole('button', { name: 'Search' }).click();
    await hits.first().getByText('Ann is allergic to peanuts').waitFor();
    await page.screenshot({ path: 'artifacts/explorer-search.png' });
    if (kind === 'pglite') copyFileSync('artifacts/explorer-search.png', 'artifacts/explorer.png');
  });

  test('a memory deleted in the explorer waits under Deleted, with its history, until it is restored', async () => {
    const memories = panel('Memories');
    const detail = panel('Memory');
    const seats = () => memories.getByRole('button').filter({ hasText: 'Ann prefers window seats' });
    const storedSeats = () =>
      t.db.prisma.memory.findFirstOrThrow({
        where: { tenantId: t.tenants.acme.tenantId, content: 'Ann prefers window seats on long flights' },
      });
    await memories.getByRole('button', { name: 'All memories' }).click();
    await seats().click();
    await detail.getByRole('button', { name: 'Delete', exact: true }).click();
    const history = detail.getByRole('list', { name: 'History' });
    await history
      .getByRole('listitem')
      .filter({ hasText: 'DELETED' })
      .getByText('“Deleted in the memory explorer”')
      .waitFor();
    await seats().waitFor({ state: 'detached' });
    await panel('End users').getByText('3 memories').waitFor();
    expect((await storedSeats()).deletedAt).not.toBeNull();

    await memories.getByRole('button', { name: 'Deleted', exact: true }).click();
    await seats()
      .getByText(/· deleted /)
      .waitFor();
    expect(await memories.getByRole('list').getByRole('button').count()).toBe(1);
    await page.screenshot({ path: 'artifacts/explorer-deleted.png' });

    await detail.getByRole('button', { name: 'Restore this memory' }).click();
    await history.getByRole('listitem').filter({ hasText: 'RESTORED' }).waitFor();
    await detail.getByRole('button', { name: 'Delete', exact: true }).waitFor();
    await memories.getByRole('button', { name: 'Live', exact: true, pressed: true }).waitFor();
    await seats().waitFor();
    expect((await storedSeats()).deletedAt).toBeNull();
  });

  test("an end user's entities, and one's relations as a graph that changes with the day asked about", async () => {
    await panel('Memories').getByRole('group', { name: 'View' }).getByRole('button', { name: 'Entities' }).click();
    const entities = panel('Entities');
    const list = entities.getByRole('list', { name: 'Entity list' });
    await list.getByRole('button').filter({ hasText: 'Mia' }).waitFor();
    // The list is the API's, for Ann alone.
    const stored = (
      await t.request(
        `{ entities(externalUserId: "ann@example.com") { ... on EntityConnection { edges { node { name } } } } }`,
      )
    ).data.entities.edges.map((edge: any) => edge.node.name);
    expect(stored).toEqual(expect.arrayContaining(['Mia', 'Lisbon', 'Porto', 'user']));
    expect(await list.locator('.name').allTextContents()).toEqual(stored);

    await entities.getByLabel('Entity name').fill('lis');
    await entities.getByRole('button', { name: 'Find' }).click();
    await list.getByRole('button').filter({ hasText: 'Mia' }).waitFor({ state: 'detached' });
    await list.getByRole('button').filter({ hasText: 'Lisbon' }).waitFor();
    expect(await list.locator('.name').allTextContents()).toEqual(['Lisbon']);
    await entities.getByLabel('Entity name').fill('');
    await entities.getByRole('button', { name: 'Find' }).click();

    await list.getByRole('button').filter({ hasText: /^user/ }).click();
    const entity = panel('Entity');
    const relations = entity.getByRole('list', { name: 'Relations' });
    await entity.getByRole('group', { name: 'user and 2 related entities' }).waitFor();
    await relations.getByText('user — lives_in → Lisbon').waitFor();
    await relations.getByText('Mia — daughter_of → user').waitFor();
    expect(await relations.getByText(/Porto/).count()).toBe(0);
    await page.screenshot({ path: 'artifacts/explorer-entities.png' });

    // On 1 June 2024 she lived in Porto, and Mia's relation was not yet known to hold.
    await entity.getByLabel('As of').fill('2024-06-01');
    await entity.getByRole('group', { name: 'user and 1 related entity' }).waitFor();
    await relations.getByText('user — lives_in → Porto').waitFor();
    await relations.getByText('until 2025-06-01').waitFor();

    // Walking the graph keeps the day.
    await entity.getByRole('button', { name: 'Open Porto' }).click();
    await entity.getByRole('group', { name: 'Porto and 1 related entity' }).waitFor();
    await entity.getByRole('button', { name: 'Today' }).click();
    await entity.getByText('No relations. Relations come from', { exact: false }).waitFor();
    await list.getByRole('button').filter({ hasText: 'Mia' }).click();
    await entity.getByText('Named in 1 memory').waitFor();
    await entity.getByRole('button').filter({ hasText: "Ann's daughter is called Mia" }).click();
    // A memory opened from an entity shows in the memory list and its history.
    await panel('Memory').getByRole('list', { name: 'History' }).getByRole('listitem').first().waitFor();
    await panel('Memories').getByRole('button', { name: 'Memories', pressed: true }).waitFor();
  });

  test('the URL holds what is chosen: a reload shows it again, Back goes back', async () => {
    const memories = panel('Memories');
    const chosen = () => new URL(page.url()).searchParams;
    const before = chosen().get('memory');
    expect(before).toBeTruthy(); // the memory opened from an entity
    await memories.getByRole('button').filter({ hasText: 'Ann is learning Portuguese' }).click();
    await panel('Memory').getByText('by Claude, from conversation', { exact: false }).waitFor();
    expect(chosen().get('user')).toBe('ann@example.com');
    const portuguese = chosen().get('memory');
    expect(portuguese).not.toBe(before);
    await memories.getByLabel('Search query').fill('window seats');
    await memories.getByRole('button', { name: 'Search' }).click();
    await memories.getByRole('list', { name: 'Search hits' }).getByText('Ann prefers window seats').waitFor();
    expect(chosen().get('q')).toBe('window seats');

    await page.reload();
    const hits = panel('Memories').getByRole('list', { name: 'Search hits' });
    await hits.getByText('Ann prefers window seats').waitFor();
    expect(await panel('Memories').getByLabel('Search query').inputValue()).toBe('window seats');
    await panel('Memory').getByText('Ann is learning Portuguese').first().waitFor();

    await page.goBack();
    await hits.waitFor({ state: 'detached' });
    expect(chosen().get('q')).toBeNull();
    await panel('Memories').getByRole('button', { name: 'Live', exact: true, pressed: true }).waitFor();
    await page.goBack();
    await panel('Memory').getByText("Ann's daughter is called Mia").first().waitFor();
    expect(chosen().get('memory')).toBe(before);
  });

  test('tags, metadata and dates narrow the list and the search; a tag of the chosen memory is a filter', async () => {
    const memories = panel('Memories');
    const list = memories.getByRole('list', { name: 'Memory list' });
    const listed = () => list.locator('.content').allTextContents();
    await panel('Memory').getByRole('button', { name: 'family', exact: true }).click();
    await memories.getByRole('button', { name: 'Remove tag family' }).waitFor();
    await list.getByText('Ann prefers window seats').waitFor({ state: 'detached' });
    expect(await listed()).toEqual(["Ann's daughter is called Mia"]);
    expect(new URL(page.url()).searchParams.getAll('tag')).toEqual(['family']);
    await memories.getByRole('button', { name: 'Remove tag family' }).click();
    await memories.getByText('Ann prefers window seats').waitFor();

    await memories.getByLabel('Metadata filter').fill('source=onboarding');
    await memories.getByRole('button', { name: 'Filter', exact: true }).click();
    await list.getByText('Ann prefers window seats').waitFor({ state: 'detached' });
    await list.getByText('Ann is allergic to peanuts').waitFor();
    expect(await listed()).toEqual(['Ann is allergic to peanuts']);

    await memories.getByRole('button', { name: 'Clear filters' }).click();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await memories.getByLabel('Occurred from').fill(tomorrow);
    await memories.getByRole('button', { name: 'Filter', exact: true }).click();
    await memories.getByText('No live memories.').waitFor();
    await memories.getByRole('button', { name: 'Clear filters' }).click();

    await memories.getByLabel('Tag filter').fill('travel');
    await memories.getByRole('button', { name: 'Filter', exact: true }).click();
    await memories.getByLabel('Search query').fill('Ann');
    await memories.getByRole('button', { name: 'Search' }).click();
    const hits = memories.getByRole('list', { name: 'Search hits' });
    await hits.getByText('Ann prefers window seats').waitFor();
    expect(await hits.locator('.content').allTextContents()).toEqual(['Ann prefers window seats on long flights']);
    await memories.getByRole('button', { name: 'Clear filters' }).click();
    await memories.getByRole('button', { name: 'All memories' }).click();
  });

  test('a memory is added and edited in place; a refusal shows next to its field and stores nothing', async () => {
    const memories = panel('Memories');
    const stored = (content: string) =>
      t.db.prisma.memory.findFirst({ where: { tenantId: t.tenants.acme.tenantId, content, deletedAt: null } });
    await memories.getByRole('button', { name: 'Add a memory' }).click();
    const form = memories.getByRole('form', { name: 'New memory' });
    await form.getByRole('button', { name: 'Save' }).click();
    await form
      .getByRole('alert')
      .getByText(/content/i)
      .waitFor(); // the API's ValidationError, by its field
    await form.getByLabel('Content').fill('Ann is training for the Lisbon half marathon');
    await form.getByLabel('Tags').fill('sport, plans');
    await form.getByLabel('Metadata').fill('{"source": "explorer"}');
    await form.getByLabel('Occurred at').fill('2025-03-01T09:30');
    await form.getByRole('button', { name: 'Save' }).click();
    const detail = panel('Memory');
    await detail.locator('.content').getByText('Ann is training for the Lisbon half marathon').waitFor();
    await memories.getByRole('list', { name: 'Memory list' }).getByText('Ann is training for the Lisbon').waitFor();
    const added = (await stored('Ann is training for the Lisbon half marathon'))!;
    expect(added).toMatchObject({ tags: ['sport', 'plans'], metadata: { source: 'explorer' } });
    expect(added.occurredAt.toISOString()).toBe('2025-03-01T09:30:00.000Z');

    await detail.getByRole('button', { name: 'Edit' }).click();
    const edit = detail.getByRole('form', { name: 'Edit memory' });
    await edit.getByLabel('Tags').fill('x'.repeat(65));
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.getByRole('alert').waitFor();
    expect((await stored('Ann is training for the Lisbon half marathon'))!.tags).toEqual(['sport', 'plans']);
    await edit.getByLabel('Tags').fill('sport');
    await edit.getByLabel('Content').fill('Ann is training for the Lisbon marathon');
    await edit.getByRole('button', { name: 'Save' }).click();
    const updated = detail.getByRole('list', { name: 'History' }).getByRole('listitem').filter({ hasText: 'UPDATED' });
    await updated.getByText('“Edited in the memory explorer”').waitFor();
    expect(await stored('Ann is training for the Lisbon marathon')).toMatchObject({
      tags: ['sport'],
      metadata: { source: 'explorer' },
      occurredAt: added.occurredAt,
    });
  });

  test('search options reach the API (at most, a minimum score, when it is asked); the time the question names is shown', async () => {
    const memories = panel('Memories');
    await memories.getByLabel('Search query').fill('peanut allergy');
    await memories.getByText('Options').click();
    await memories.getByLabel('Minimum score').fill('0.5');
    await memories.getByRole('button', { name: 'Search' }).click();
    const hits = memories.getByRole('list', { name: 'Search hits' });
    await hits.getByText('Ann is allergic to peanuts').waitFor();
    const scores = (await hits.locator('.scores > div:first-child dd').allTextContents()).map(Number);
    expect(scores.length).toBeGreaterThan(0);
    for (const value of scores) expect(value).toBeGreaterThanOrEqual(0.5);
    expect(new URL(page.url()).searchParams.get('minScore')).toBe('0.5');

    await memories.getByLabel('Search query').fill('what was Ann training for yesterday?');
    await memories.getByLabel('Asked at').fill('2025-03-02T12:00');
    await memories.getByRole('button', { name: 'Search' }).click();
    await memories.getByText(/^Read “yesterday” as 2025-02-28 12:00 UTC/).waitFor();
    await hits.getByText('Ann is training for the Lisbon marathon').waitFor();
    expect(await hits.locator('.content').first().textContent()).toBe('Ann is training for the Lisbon marathon');
    expect(new URL(page.url()).searchParams.get('now')).toBe('2025-03-02T12:00');
    await memories.getByRole('button', { name: 'All memories' }).click();
  });

  test('axe-core finds no serious or critical problem: memories with one chosen, entities with a graph', async () => {
    expect(await accessibilityProblems()).toEqual([]);
    await panel('Memories').getByRole('group', { name: 'View' }).getByRole('button', { name: 'Entities' }).click();
    await panel('Entities').getByRole('button').filter({ hasText: /^user/ }).click();
    await panel('Entity')
      .getByRole('group', { name: /^user and/ })
      .waitFor();
    expect(await accessibilityProblems()).toEqual([]);
    await panel('Entities').getByRole('group', { name: 'View' }).getByRole('button', { name: 'Memories' }).click();
  });

  test('the first render for a user with 1,000 memories is timed (printed, not asserted)', async () => {
    await page.goto(`${origin}/explorer?user=thousand%40example.com`);
    await panel('Memories').getByRole('list', { name: 'Memory list' }).getByRole('button').first().waitFor();
    const ms = await page.evaluate(() => performance.now());
    const shown = await panel('Memories').getByRole('list', { name: 'Memory list' }).getByRole('button').count();
    process.stdout.write(
      `Explorer on ${kind}: first render of a user with 1,000 memories (${shown} listed) ${ms.toFixed(0)} ms after navigation\n`,
    );
    expect(shown).toBe(50);
  });

  test('at 1440 px the chosen memory stays in view beside a long list; at 390 px nothing overflows sideways', async () => {
    const inView = async () => {
      const box = (await panel('Memory').boundingBox())!;
      const height = page.viewportSize()!.height;
      return box.y < height && box.y + box.height > 0;
    };
    await page.goto(`${origin}/explorer?user=many%40example.com`);
    const last = panel('Memories').getByRole('list').getByRole('button').last();
    await panel('Memories').getByText('Note 1 of 40', { exact: false }).first().waitFor();
    const note = (await last.locator('.content').textContent())!;
    await last.click(); // scrolled far down the page to reach it
    await panel('Memory').locator('.content').getByText(note).waitFor();
    expect(await page.evaluate(() => scrollY)).toBeGreaterThan(500);
    expect(await inView()).toBe(true);

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${origin}/explorer?user=many%40example.com`);
      await panel('Memories').getByText('Note 1 of 40', { exact: false }).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: 'artifacts/explorer-phone.png' });
      const first = panel('Memories').getByRole('list').getByRole('button').first();
      const text = (await first.locator('.content').textContent())!;
      await first.click();
      // One column: the detail is below the list, and is brought into view.
      await panel('Memory').locator('.content').getByText(text).waitFor();
      await page.waitForFunction(() => {
        const box = document.querySelector('[aria-label="Memory"]')!.getBoundingClientRect();
        return box.top < innerHeight && box.bottom > 0;
      });
      expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
      await page.screenshot({ path: 'artifacts/explorer-phone-memory.png' });
      expect(await accessibilityProblems()).toEqual([]);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  test('a READ-only key reads but is offered no change; a WRITE-only key is told why it sees nothing', async () => {
    const keyWith = async (scope: string) =>
      (
        await t.request(
          `mutation { createApiKey(name: "explorer-${scope.toLowerCase()}", scopes: [${scope}]) { ... on NewApiKey { apiKey } } }`,
        )
      ).data.createApiKey.apiKey as string;
    await openWith(await keyWith('READ'));
    await page.getByText('Model usage is shown to keys with the ADMIN scope').waitFor();
    await panel('End users').getByText('ann@example.com').click();
    const memories = panel('Memories');
    await memories.getByText('This key reads only').waitFor();
    expect(await memories.getByRole('button', { name: 'Add a memory' }).count()).toBe(0);
    await memories
      .getByRole('list', { name: 'Memory list' })
      .getByRole('button')
      .filter({ hasText: 'Ann is allergic' })
      .click();
    await panel('Memory').getByRole('list', { name: 'History' }).getByRole('listitem').first().waitFor();
    expect(
      await panel('Memory')
        .getByRole('button', { name: /Edit|Delete|Restore/ })
        .count(),
    ).toBe(0);
    expect(await accessibilityProblems()).toEqual([]);

    await openWith(await keyWith('WRITE'));
    await page.getByText('This key cannot read memories').waitFor();
    expect(await page.getByText('ann@example.com').count()).toBe(0);
  });

  test("another tenant's key sees only its own end users; a wrong key and an end-user token are refused", async () => {
    await openWith(t.tenants.globex.apiKey);
    await panel('End users').getByText('zed@globex.test').waitFor();
    expect(await panel('End users').getByRole('button').filter({ hasText: '@example.com' }).count()).toBe(0);

    await openWith('mgk_not-a-key-of-anyone');
    await page
      .getByRole('alert')
      .getByText(/API key|credential|authenticat/i)
      .waitFor();
    const token = (
      await t.request(
        `mutation { createEndUserToken(externalUserId: "ann@example.com", ttlSeconds: 600) { ... on EndUserToken { token } } }`,
      )
    ).data.createEndUserToken.token;
    await openWith(token);
    await page
      .getByRole('alert')
      .getByText(/end-user token/)
      .waitFor();
    expect(await page.getByText('ann@example.com').count()).toBe(0);
  });

  test('the page asked nothing of another origin and raised no error (its CSP let its own script and style run)', () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([]);
    // The wrong key's 401 is the only error the browser logged.
    expect(problems.filter((problem) => !/401/.test(problem))).toEqual([]);
  });
});
