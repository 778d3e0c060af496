import { createHash } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';
import { prepareStaticFile, staticResponse, type StaticFile } from './staticPage.js';

/** What GraphiQL opens with (development, or MEMGATE_GRAPHIQL=true): one tab per task. */

const remember = `# 1. Paste your API key in the bar at the top (npm start printed
#    one on first run): it is sent with every tab's requests.
# 2. Run (Ctrl-Enter). Then the other tabs.
# The Docs button (top left) lists every field.
mutation Remember {
  addMemory(
    input: { externalUserId: "alice@example.com", content: "Alice is allergic to peanuts" }
  ) {
    __typename
    ... on AddedMemory {
      created
      memory { id content createdAt }
    }
    ... on Error { code message }
  }
}
`;

const recall = `# score is 0-1 in every mode: minScore 0.5 keeps what probably answers
# the question. A date in the question ("last month") becomes timeWindow.
query Recall {
  searchMemories(
    externalUserId: "alice@example.com"
    query: "is she allergic to anything?"
    limit: 5
    minScore: 0.5
  ) {
    __typename
    ... on MemorySearch {
      mode
      timeWindow { from to text }
      hits {
        score
        semanticScore
        keywordScore
        memory { id content occurredAt }
      }
    }
    ... on Error { code message }
  }
}
`;

const list = `query Memories {
  memories(externalUserId: "alice@example.com", first: 10) {
    __typename
    ... on MemoryConnection {
      totalCount
      edges {
        node { id content tags createdAt }
      }
      pageInfo { hasNextPage endCursor }
    }
    ... on Error { code message }
  }
}
`;

const token = `# A short-lived token for one end user's browser: send it instead
# of the API key (paste it in the bar to act as that end user).
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
  isHeadersEditorEnabled: true,
  defaultTabs: [remember, recall, list, token].map((query) => ({ query })),
};

/**
 * One credential for every tab: a bar above GraphiQL, kept in this browser tab's session storage.
 * It wraps `fetch` before GraphiQL loads, adding the Authorization header to this page's own
 * endpoint unless a tab's Headers set one.
 */
const KEY_BAR = `
<style>
  body { margin: 0; height: 100vh; display: flex; flex-direction: column; }
  #root { flex: 1; min-height: 0; height: auto !important; }
  #memgate-key { flex: none; display: flex; gap: 12px; align-items: center; padding: 8px 16px;
    font: 14px system-ui, sans-serif; border-bottom: 1px solid #8884; }
  #memgate-key input { width: 420px; max-width: 50vw; padding: 4px 8px; font: 13px ui-monospace, monospace; }
  #memgate-key small { opacity: 0.7; }
</style>
<form id="memgate-key">
  <label>API key <input name="key" type="password" autocomplete="off" spellcheck="false"
    placeholder="mgk_… or an end-user token" aria-label="API key or end-user token"></label>
  <small>Sent with every tab's requests (a tab's own Authorization header wins). Kept in this browser tab only.</small>
</form>
<script>
  (() => {
    document.querySelector('#memgate-key').addEventListener('submit', (event) => event.preventDefault());
    const input = document.querySelector('#memgate-key input');
    input.value = sessionStorage.getItem('memgate-key') || '';
    input.addEventListener('input', () => sessionStorage.setItem('memgate-key', input.value.trim()));
    const send = window.fetch.bind(window);
    window.fetch = (resource, init = {}) => {
      const key = input.value.trim();
      const url = new URL(resource instanceof Request ? resource.url : String(resource), location.href);
      if (!key || url.origin !== location.origin || url.pathname !== location.pathname) return send(resource, init);
      const headers = new Headers(init.headers || (resource instanceof Request ? resource.headers : undefined));
      if (!headers.has('authorization')) headers.set('authorization', /^Bearer /i.test(key) ? key : 'Bearer ' + key);
      return send(resource, { ...init, headers });
    };
  })();
</script>`;

const DISABLED = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Memgate: GraphiQL is off</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em">
<h1>GraphiQL is off on this gateway</h1>
<p>This is a Memgate GraphQL endpoint. Its in-browser explorer is off, as in every production
deployment unless <code>MEMGATE_GRAPHIQL=true</code> is set.</p>
<p>Send GraphQL with any client: <code>POST</code> this URL with <code>Content-Type: application/json</code>
and <code>Authorization: Bearer &lt;API key or end-user token&gt;</code>.</p>
</body></html>
`;

/**
 * The page's own inline scripts (GraphiQL's bundle, its start, the key bar) by hash and nothing else:
 * the page holds a tenant's key. Its editor starts workers from blob: URLs and styles itself inline.
 */
function contentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
    ([, code]) => `'sha256-${createHash('sha256').update(code).digest('base64')}'`,
  );
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function renderPage(): Promise<{ file: StaticFile; headers: Record<string, string> }> {
  const html = renderGraphiQL(graphiqlOptions).replace(/(<body[^>]*>)/, `$1${KEY_BAR}`);
  return {
    file: await prepareStaticFile(html, 'text/html; charset=utf-8'),
    headers: {
      'content-security-policy': contentSecurityPolicy(html),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  };
}

const wantsHtml = (request: Request) => (request.headers.get('accept') ?? '').includes('text/html');

/**
 * GraphiQL at GET /graphql for browsers: rendered and compressed once (the page holds the whole
 * editor, ~9 MB; ~2 MB gzipped), revalidated by ETag, never needing another origin. When it is
 * off, browsers get a page saying so instead of a bare 406.
 */
export function graphiqlPage(enabled: boolean): Plugin {
  let page: ReturnType<typeof renderPage> | undefined;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (
        request.method !== 'GET' ||
        url.pathname !== '/graphql' ||
        url.searchParams.has('query') ||
        !wantsHtml(request)
      )
        return;
      if (!enabled) {
        endResponse(
          new fetchAPI.Response(DISABLED, { status: 404, headers: { 'content-type': 'text/html; charset=utf-8' } }),
        );
        return;
      }
      page ??= renderPage();
      const { file, headers } = await page;
      endResponse(staticResponse(fetchAPI, request, file, headers));
    },
  };
}
