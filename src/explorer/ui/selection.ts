import { useEffect, useState } from 'react';
import type { SearchMode } from './gql/graphql.js';

/** What the explorer shows, kept in the page's URL: a view can be shared, and Back goes back. */
export interface Selection {
  user?: string;
  view: 'memories' | 'entities';
  memory?: string;
  entity?: string;
  /** The deleted memories instead of the live ones. */
  deleted?: boolean;
  search?: { query: string; mode: SearchMode };
}

const MODES: readonly string[] = ['HYBRID', 'SEMANTIC', 'KEYWORD'];

function fromUrl(): Selection {
  const params = new URLSearchParams(location.search);
  const text = (name: string) => params.get(name) || undefined;
  const query = text('q');
  const mode = params.get('mode') ?? 'HYBRID';
  return {
    user: text('user'),
    view: params.get('view') === 'entities' ? 'entities' : 'memories',
    memory: text('memory'),
    entity: text('entity'),
    deleted: params.get('deleted') === '1' || undefined,
    search: query ? { query, mode: (MODES.includes(mode) ? mode : 'HYBRID') as SearchMode } : undefined,
  };
}

function toUrl({ user, view, memory, entity, deleted, search }: Selection): string {
  const params = new URLSearchParams();
  const put = (name: string, value: string | undefined) => value && params.set(name, value);
  put('user', user);
  put('view', view === 'entities' ? view : undefined);
  put('memory', memory);
  put('entity', entity);
  put('deleted', deleted ? '1' : undefined);
  put('q', search?.query);
  put('mode', search && search.mode !== 'HYBRID' ? search.mode : undefined);
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
