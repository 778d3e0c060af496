import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { browserSuite, chromiumPath } from './support/chromium.js';
import { startExample } from '../examples/apollo-react/server.js';
import { serveGraphQLOverWebSocket } from '../src/http/websocket.js';
import type { GatewayOptions } from '../src/yoga.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

export const exampleScreenshot = 'artifacts/apollo-react.png';

/** examples/apollo-react (React, Apollo Client 4, codegen) from another origin than the gateway, in headless Chromium. */
browserSuite('the Apollo + React example in headless Chromium', () => {
  let t: TestGateway;
  let gateway: Server;
  let closeSockets: () => Promise<void>;
  let example: { server: Server; url: string };
  let browser: Browser;
  let page: Page;
  const TOKEN_TTL_SECONDS = 3;

  beforeAll(async () => {
    t = await startTestGateway('pglite');
    gateway = createServer(t.gateway);
    closeSockets = serveGraphQLOverWebSocket(gateway, t.gateway, t.services as GatewayOptions).close;
    gateway.listen(0, '127.0.0.1');
    await once(gateway, 'listening');
    const gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql`;
    example = await startExample({
      gatewayUrl,
      apiKey: t.tenants.acme.apiKey,
      user: 'ines@example.com',
      tokenTtlSeconds: TOKEN_TTL_SECONDS,
    });
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  });
  afterEach(async () => {
    mkdirSync('artifacts', { recursive: true });
    await page?.screenshot({ path: 'artifacts/apollo-react-last.png' });
  });
  afterAll(async () => {
    await browser?.close();
    example?.server.close();
    await closeSockets?.();
    gateway?.close();
    await t?.close();
  });

  const total = () => page.getByTestId('total');
  const listed = () => page.getByRole('list', { name: 'Recent memories' }).getByTestId('memory');
  const backendAdds = (user: string, content: string) =>
    t.request(
      `mutation($user: String!, $content: String!) { addMemory(input: { externalUserId: $user, content: $content }) { __typename } }`,
      {
        user,
        content,
      },
    );

  test('adds, lists a page at a time, searches, shows typed errors, updates live, and refreshes its expired token', async () => {
    await page.goto(example.url);
    await page.getByRole('heading', { name: 'Memories of ines@example.com' }).waitFor();
    await page.getByText('Remembered (0)').waitFor();

    await page.getByLabel('New memory').fill('I keep bees on my balcony');
    await page.getByRole('button', { name: 'Remember' }).click();
    await listed().filter({ hasText: 'I keep bees on my balcony' }).waitFor();

    // Live: a memory the app's backend adds shows up through the subscription, another user's never does.
    await backendAdds('ivo@example.com', 'Ivo is not Ines');
    await backendAdds('ines@example.com', 'My favourite composer is Satie');
    await listed().filter({ hasText: 'Satie' }).waitFor();
    expect(await total().textContent()).toBe('2');

    // A refused input arrives as a typed error with its code and message (possibleTypes at work).
    await page.getByLabel('New memory').fill('   ');
    await page.getByRole('button', { name: 'Remember' }).click();
    await page.getByRole('alert').filter({ hasText: 'VALIDATION_FAILED' }).waitFor();

    await page.getByLabel('Search').fill('insects I look after at home');
    await page.getByRole('button', { name: 'Search' }).click();
    await page
      .getByRole('list', { name: 'Search results' })
      .getByTestId('memory')
      .first()
      .filter({ hasText: 'bees' })
      .waitFor();

    for (let i = 1; i <= 5; i++) await backendAdds('ines@example.com', `Reading list item ${i}`);
    await page.getByText('Remembered (7)').waitFor();
    expect(await listed().count()).toBe(5);
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[aria-label="Recent memories"] [data-testid="memory"]').length === 7,
    );
    expect(await listed().allTextContents()).not.toContain('Ivo is not Ines');
    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: exampleScreenshot });

    // The token has expired meanwhile: the error links mint a new one; the write goes through and
    // the subscription, ended by the expiry, is back.
    await page.waitForTimeout((TOKEN_TTL_SECONDS + 1) * 1000);
    await page.getByLabel('New memory').fill('Written with a refreshed token');
    await page.getByRole('button', { name: 'Remember' }).click();
    await page.waitForFunction(
      () => (document.querySelector('input[aria-label="New memory"]') as HTMLInputElement).value === '',
    );
    expect(
      await t.db.prisma.memory.count({
        where: { externalUserId: 'ines@example.com', content: 'Written with a refreshed token' },
      }),
    ).toBe(1);
    // On screen once the subscription is back (its event, or the catch-up read after reconnecting).
    await listed().filter({ hasText: 'Written with a refreshed token' }).waitFor();
    await backendAdds('ines@example.com', 'Still live after the token expired');
    await listed().filter({ hasText: 'Still live after the token expired' }).waitFor();
  });
});
