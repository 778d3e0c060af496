import { useEffect, useState } from 'react';

export interface Remote<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload: () => void;
}

/** Loads once per mount and on `reload()`; a component that shows something else gets a new `key`. */
export function useRemote<T>(load: () => Promise<T>): Remote<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState((previous) => ({ ...previous, error: error.message, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [version]);
  return { ...state, reload: () => setVersion((v) => v + 1) };
}

export interface Page<T> {
  items: T[];
  next?: string;
}

export interface Pages<T> {
  items: T[];
  error?: string;
  loading: boolean;
  /** Appends the next page; absent on the last one. */
  more?: () => void;
  reload: () => void;
}

/** A Relay list loaded page by page, from the first page again on `reload()`. */
export function usePages<T>(loadPage: (after?: string) => Promise<Page<T>>): Pages<T> {
  const [state, setState] = useState<{ items: T[]; next?: string; error?: string; loading: boolean }>({
    items: [],
    loading: true,
  });
  const [request, setRequest] = useState<{ after?: string; version: number }>({ version: 0 });
  useEffect(() => {
    let current = true;
    const { after } = request;
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    loadPage(after).then(
      (page) =>
        current &&
        setState((previous) => ({
          items: after ? [...previous.items, ...page.items] : page.items,
          next: page.next,
          loading: false,
        })),
      (error: Error) => current && setState((previous) => ({ ...previous, error: error.message, loading: false })),
    );
    return () => {
      current = false;
    };
  }, [request]);
  const { items, next, error, loading } = state;
  return {
    items,
    error,
    loading,
    more: next ? () => setRequest(({ version }) => ({ after: next, version })) : undefined,
    reload: () => setRequest(({ version }) => ({ version: version + 1 })),
  };
}
