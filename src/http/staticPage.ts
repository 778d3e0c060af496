import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** A file the gateway serves to browsers, compressed once and revalidated by ETag. */
export interface StaticFile {
  body: string;
  gzipped: Buffer;
  etag: string;
  contentType: string;
}

export async function prepareStaticFile(body: string, contentType: string): Promise<StaticFile> {
  return {
    body,
    contentType,
    gzipped: await promisify(gzip)(body, { level: 9 }),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

/** 304 when the browser holds this version; otherwise the file, gzipped when the browser takes it. */
export function staticResponse(
  fetchAPI: { Response: typeof Response },
  request: Request,
  file: StaticFile,
  headers: Record<string, string> = {},
): Response {
  const caching = { etag: file.etag, 'cache-control': 'no-cache', vary: 'accept-encoding', ...headers };
  if (request.headers.get('if-none-match') === file.etag)
    return new fetchAPI.Response(null, { status: 304, headers: caching });
  const compressed = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
  const { gzipped } = file;
  return new fetchAPI.Response(
    compressed ? new Uint8Array(gzipped.buffer as ArrayBuffer, gzipped.byteOffset, gzipped.byteLength) : file.body,
    {
      headers: { 'content-type': file.contentType, ...(compressed ? { 'content-encoding': 'gzip' } : {}), ...caching },
    },
  );
}
