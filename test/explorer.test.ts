import { gunzipSync } from 'node:zlib';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/** The memory explorer's files as the gateway serves them; test/explorerBrowser.test.ts clicks through it. */
describe('the memory explorer at /explorer', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway('pglite');
  });
  afterAll(() => t.close());

  const get = (gateway: TestGateway, path: string, headers: Record<string, string> = {}) =>
    gateway.gateway.fetch(`http://memgate.test${path}`, { headers: { accept: 'text/html', ...headers } });

  test('the page, its script and its style are served without a key, only from this origin, under a strict CSP', async () => {
    const page = await get(t, '/explorer');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="explorer/app.js"></script>');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // Neither a key nor any tenant's data is in what is served.
    expect(html).not.toContain(t.tenants.acme.apiKey);

    const script = await get(t, '/explorer/app.js', { accept: '*/*' });
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await script.text();
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).toContain('ExplorerMemories');
    expect(code).not.toMatch(/\bimport\s*\(?\s*["']https?:/);
    expect((await get(t, '/explorer/app.css', { accept: 'text/css' })).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
  });

  test('the script is sent gzipped and revalidated by ETag', async () => {
    const plain = await (await get(t, '/explorer/app.js')).text();
    const compressed = await get(t, '/explorer/app.js', { 'accept-encoding': 'gzip' });
    expect(compressed.headers.get('content-encoding')).toBe('gzip');
    const bytes = Buffer.from(await compressed.arrayBuffer());
    expect(bytes.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(bytes).toString()).toBe(plain);
    const again = await get(t, '/explorer/app.js', { 'if-none-match': compressed.headers.get('etag')! });
    expect(again.status).toBe(304);
  });

  test('/explorer/ leads to /explorer; anything but GET and HEAD is refused', async () => {
    const slash = await get(t, '/explorer/');
    expect(slash.status).toBe(308);
    expect(new URL(slash.headers.get('location')!, 'http://memgate.test/explorer/').pathname).toBe('/explorer');
    const post = await t.gateway.fetch('http://memgate.test/explorer', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
  });

  test('when it is off (production unless MEMGATE_EXPLORER=true) nothing of it is served, and a page says how to turn it on', async () => {
    const off = await startTestGateway('pglite', { extra: { explorer: false } });
    try {
      for (const path of ['/explorer', '/explorer/app.js']) {
        const response = await get(off, path);
        expect(response.status).toBe(404);
        expect(await response.text()).toMatch(/explorer is off[\s\S]*MEMGATE_EXPLORER=true/);
      }
      expect((await off.request('{ viewer { keyPrefix } }')).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
