import { readFile } from 'node:fs/promises';
import type { Plugin } from 'graphql-yoga';
import { prepareStaticFile, staticResponse, type StaticFile } from '../http/staticPage.js';

/** Where scripts/build.mjs puts the bundled page (the same path from src/ and from dist/). */
const ASSETS = new URL('../../dist/explorer/assets/', import.meta.url);

const FILES: Record<string, { file: string; contentType: string }> = {
  '/explorer': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/explorer/app.js': { file: 'app.js', contentType: 'text/javascript; charset=utf-8' },
  '/explorer/app.css': { file: 'app.css', contentType: 'text/css; charset=utf-8' },
};

/** Only this origin's own script, style and API: the page holds a tenant's key and end users' data. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em">
<h1>${title}</h1>
${body}
</body></html>
`;

const DISABLED = page(
  'The memory explorer is off on this gateway',
  `<p>It is off in every production deployment unless <code>MEMGATE_EXPLORER=true</code> is set.</p>`,
);

const NOT_BUILT = page(
  'The memory explorer is not built',
  `<p>Its bundle is missing from <code>dist/explorer/</code>: run <code>npm run build</code> (it needs the development dependencies).</p>`,
);

/**
 * The memory explorer at GET /explorer: a page bundled from src/explorer/ui that talks to this
 * gateway's /graphql with the key its user enters. Off in production unless enabled, like GraphiQL.
 */
export function explorerPage(enabled: boolean): Plugin {
  const loaded = new Map<string, Promise<StaticFile | undefined>>();
  const load = ({ file, contentType }: { file: string; contentType: string }) =>
    readFile(new URL(file, ASSETS), 'utf8').then(
      (body) => prepareStaticFile(body, contentType),
      () => undefined,
    );
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/explorer/') {
        endResponse(new fetchAPI.Response(null, { status: 308, headers: { location: '../explorer' } }));
        return;
      }
      const wanted = FILES[url.pathname];
      if (!wanted) return;
      const html = { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS };
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      if (!enabled) {
        endResponse(new fetchAPI.Response(DISABLED, { status: 404, headers: html }));
        return;
      }
      if (!loaded.has(wanted.file)) loaded.set(wanted.file, load(wanted));
      const file = await loaded.get(wanted.file);
      if (!file) loaded.delete(wanted.file); // built later: served without a restart
      endResponse(
        file
          ? staticResponse(fetchAPI, request, file, SECURITY_HEADERS)
          : new fetchAPI.Response(NOT_BUILT, { status: 503, headers: html }),
      );
    },
  };
}
