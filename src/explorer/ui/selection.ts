import { useEffect, useState } from 'react';
import type { MemoryFilter, SearchMode } from './gql/graphql.js';

/** What the explorer shows, kept in the page's URL: a view can be shared, and Back goes back. */
export interface Selection {
  user?: string;
  view: 'memories' | 'entities';
  memory?: string;
  entity?: string;
  /** The deleted memories instead of the live ones. */
  deleted?: boolean;
  search?: Search;
  filter?: ListFilter;
}

/** A search and its options (absent: the API's defaults). */
export interface Search {
  query: string;
  mode: SearchMode;
  limit?: number;
  minScore?: number;
  /** When the question is asked (`YYYY-MM-DDTHH:mm`, UTC): what "last month" is read against. */
  now?: string;
}

/** What narrows a user's memories: every tag, one thread, occurred from/to (days, inclusive), one metadata value. */
export interface ListFilter {
  tags?: string[];
  thread?: string;
  from?: string;
  to?: string;
  /** `key=value`. */
  meta?: string;
}

/** The filter as the API takes it (days as UTC days). */
export function memoryFilter(filter?: ListFilter): MemoryFilter | undefined {
  if (!filter) return undefined;
  const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  const [key, ...value] = filter.meta?.split('=') ?? [];
  return {
    tags: filter.tags?.length ? filter.tags : undefined,
    threadId: filter.thread,
    occurredAfter: filter.from ? `${filter.from}T00:00:00Z` : undefined,
    occurredBefore: filter.to ? dayAfter(filter.to) : undefined,
    metadata: key && value.length > 0 ? { [key.trim()]: value.join('=').trim() } : undefined,
  };
}

const MODES: readonly string[] = ['HYBRID', 'SEMANTIC', 'KEYWORD'];

function fromUrl(): Selection {
  const params = new URLSearchParams(location.search);
  const text = (name: string) => params.get(name) || undefined;
  const number = (name: string) =>
    params.get(name) && Number.isFinite(Number(params.get(name))) ? Number(params.get(name)) : undefined;
  const query = text('q');
  const mode = params.get('mode') ?? 'HYBRID';
  const filter: ListFilter = {
    tags: params.getAll('tag').filter(Boolean),
    thread: text('thread'),
    from: text('from'),
    to: text('to'),
    meta: text('meta'),
  };
  return {
    filter: filter.tags!.length || filter.thread || filter.from || filter.to || filter.meta ? filter : undefined,
    user: text('user'),
    view: params.get('view') === 'entities' ? 'entities' : 'memories',
    memory: text('memory'),
    entity: text('entity'),
    deleted: params.get('deleted') === '1' || undefined,
    search: query
      ? {
          query,
          mode: (MODES.includes(mode) ? mode : 'HYBRID') as SearchMode,
          limit: number('limit'),
          minScore: number('minScore'),
          now: text('now'),
        }
      : undefined,
  };
}

function toUrl({ user, view, memory, entity, deleted, search, filter }: Selection): string {
  const params = new URLSearchParams();
  const put = (name: string, value: string | undefined) => value && params.set(name, value);
  put('user', user);
  put('view', view === 'entities' ? view : undefined);
  put('memory', memory);
  put('entity', entity);
  put('deleted', deleted ? '1' : undefined);
  put('q', search?.query);
  put('mode', search && search.mode !== 'HYBRID' ? search.mode : undefined);
  put('limit', search?.limit?.toString());
  put('minScore', search?.minScore?.toString());
  put('now', search?.now);
  for (const tag of filter?.tags ?? []) params.append('tag', tag);
  put('thread', filter?.thread);
  put('from', filter?.from);
  put('to', filter?.to);
  put('meta', filter?.meta);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

/** The selection, read from the URL and written back to it as a new history entry on every change. */
export function useSelection(): [Selection, (change: Partial<Selection>) => void] {
  const [selection, setSelection] = useState(fromUrl);
  useEffect(() => {
    const back = () => setSelection(fromUrl());
    window.addEventListener('popstate', back);
    return () => window.removeEventListener('popstate', back);
  }, []);
  const select = (change: Partial<Selection>) => {
    const next = { ...selection, ...change };
    const url = toUrl(next);
    if (url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
    setSelection(next);
  };
  return [selection, select];
}

/** Forgets the selection (another key: the URL's end user may not be its tenant's). */
export function clearSelection(): void {
  history.replaceState(null, '', location.pathname);
}
