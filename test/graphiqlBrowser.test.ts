import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { browserSuite, chromiumPath } from './support/chromium.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

export const screenshotPath = 'artifacts/graphiql-search.png';

browserSuite('GraphiQL in headless Chromium', () => {
  let t: TestGateway;
  let server: Server;
  let url: string;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    server = createServer(t.gateway);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  afterEach(async () => {
    // What the browser showed when a step failed (or at the end): an artifact to look at.
    mkdirSync('artifacts', { recursive: true });
    await page?.screenshot({ path: 'artifacts/graphiql-last.png' });
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  /** Types the key into the bar above GraphiQL, once, as a person pastes it. */
  async function setKey(key: string) {
    await page.getByLabel('API key or end-user token').fill(key);
  }

  async function run() {
    await page.locator('.graphiql-execute-button').click();
  }

  const response = () => page.locator('.graphiql-response');

  test('opens with the key bar and example tabs; the key entered once runs every tab; its docs explorer works', async () => {
    // Everything the page runs is allowed by its content security policy.
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(url);
    await page.waitForSelector('.graphiql-query-editor .monaco-editor');
    for (const tab of ['Remember', 'Recall', 'Memories', 'TokenForAlice'])
      await page.getByRole('tab', { name: tab }).waitFor();
    await page.getByText('Paste your API key in the bar at the top').first().waitFor();

    // Without a key the answer says what is missing.
    await run();
    await response().getByText('UNAUTHENTICATED').waitFor();

    await setKey(t.tenants.acme.apiKey);
    await run();
    await response().getByText('AddedMemory').waitFor();

    await page.locator('button.graphiql-tab-button[title="Recall"]').dispatchEvent('click');
    await page.locator('.graphiql-tab-active', { hasText: 'Recall' }).waitFor();
    await page.locator('.graphiql-query-editor').getByText('searchMemories').waitFor();
    // GraphiQL settles the tab's operation name just after switching (a debounce).
    await page.waitForTimeout(500);
    await run();
    await response().getByText('Alice is allergic to peanuts').waitFor();
    await response().getByText('MemorySearch').waitFor();
    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: screenshotPath });

    // The docs explorer loaded the schema (introspection needs no key in development).
    await page.getByRole('button', { name: /documentation explorer/i }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer').getByText('searchMemories').first().waitFor();

    // The search really ran as acme's key: the memory is acme's, globex has none.
    expect(
      await t.db.prisma.memory.count({
        where: { tenantId: t.tenants.acme.tenantId, externalUserId: 'alice@example.com' },
      }),
    ).toBe(1);
    expect(await t.db.prisma.memory.count({ where: { tenantId: t.tenants.globex.tenantId } })).toBe(0);
    expect(violations).toEqual([]);
  });
});
