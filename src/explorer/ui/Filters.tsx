import { useState, type FormEvent } from 'react';
import type { ListFilter } from './selection.js';

/** Drops what is empty: no filter at all when nothing narrows. */
function cleaned(filter: ListFilter): ListFilter | undefined {
  const kept: ListFilter = {
    tags: filter.tags?.length ? [...new Set(filter.tags)] : undefined,
    thread: filter.thread || undefined,
    from: filter.from || undefined,
    to: filter.to || undefined,
    meta: filter.meta?.trim() || undefined,
  };
  return Object.values(kept).some((value) => value !== undefined) ? kept : undefined;
}

/** What narrows the memory list and the search: tags, a metadata value, when they occurred, a thread. */
export function Filters({ filter = {}, onFilter }: { filter?: ListFilter; onFilter: (filter?: ListFilter) => void }) {
  const [draft, setDraft] = useState(filter);
  const [tag, setTag] = useState('');
  const apply = (next: ListFilter) => onFilter(cleaned(next));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply({ ...draft, tags: tag.trim() ? [...(filter.tags ?? []), tag.trim()] : filter.tags });
  };
  const field = (name: 'from' | 'to' | 'meta') => ({
    value: draft[name] ?? '',
    onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }),
  });
  return (
    <form className="filters" aria-label="Filters" onSubmit={submit}>
      <input aria-label="Tag filter" placeholder="tag" value={tag} onChange={(event) => setTag(event.target.value)} />
      <input aria-label="Metadata filter" placeholder="key=value" {...field('meta')} />
      <label>
        from <input type="date" aria-label="Occurred from" {...field('from')} />
      </label>
      <label>
        to <input type="date" aria-label="Occurred to" {...field('to')} />
      </label>
      <button type="submit">Filter</button>
      {(filter.tags?.length || filter.thread) && (
        <ul className="chips" aria-label="Active filters">
          {filter.tags?.map((name) => (
            <li key={name}>
              <button
                type="button"
                aria-label={`Remove tag ${name}`}
                onClick={() => apply({ ...filter, tags: filter.tags!.filter((t) => t !== name) })}
              >
                {name} ×
              </button>
            </li>
          ))}
          {filter.thread && (
            <li>
              <button type="button" aria-label="Remove thread" onClick={() => apply({ ...filter, thread: undefined })}>
                thread {filter.thread} ×
              </button>
            </li>
          )}
        </ul>
      )}
      {cleaned(filter) && (
        <button type="button" onClick={() => onFilter(undefined)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
