import { useState, type FormEvent } from 'react';
import type { SearchMode } from './gql/graphql.js';
import type { Search } from './selection.js';

const LIMITS = [5, 10, 20, 50];

/** A search among one user's memories: the query, its mode, and the API's options (limit, minScore, now). */
export function SearchForm({ search, onSearch }: { search?: Search; onSearch: (search?: Search) => void }) {
  const [draft, setDraft] = useState<Search>(search ?? { query: '', mode: 'HYBRID' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(draft.query.trim() ? { ...draft, query: draft.query.trim() } : undefined);
  };
  return (
    <form className="search" onSubmit={submit} role="search">
      <input
        aria-label="Search query"
        placeholder="Search this user's memories"
        value={draft.query}
        onChange={(e) => setDraft({ ...draft, query: e.target.value })}
      />
      <select
        aria-label="Search mode"
        value={draft.mode}
        onChange={(e) => setDraft({ ...draft, mode: e.target.value as SearchMode })}
      >
        <option value="HYBRID">Hybrid</option>
        <option value="SEMANTIC">Semantic</option>
        <option value="KEYWORD">Keyword</option>
      </select>
      <button type="submit">Search</button>
      {search && (
        <button type="button" onClick={() => onSearch(undefined)}>
          All memories
        </button>
      )}
      <details className="options" open={Boolean(search?.limit || search?.minScore !== undefined || search?.now)}>
        <summary>Options</summary>
        <label>
          at most{' '}
          <select
            aria-label="Limit"
            value={draft.limit ?? 10}
            onChange={(e) => setDraft({ ...draft, limit: Number(e.target.value) })}
          >
            {LIMITS.map((limit) => (
              <option key={limit}>{limit}</option>
            ))}
          </select>
        </label>
        <label>
          min score{' '}
          <input
            aria-label="Minimum score"
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={draft.minScore ?? ''}
            onChange={(e) =>
              setDraft({ ...draft, minScore: e.target.value === '' ? undefined : Number(e.target.value) })
            }
          />
        </label>
        <label>
          asked at (UTC){' '}
          <input
            aria-label="Asked at"
            type="datetime-local"
            value={draft.now ?? ''}
            onChange={(e) => setDraft({ ...draft, now: e.target.value || undefined })}
          />
        </label>
      </details>
    </form>
  );
}
