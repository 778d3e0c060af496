import { useState, type FormEvent, type ReactNode } from 'react';
import { expect, type Call } from './api.js';
import { counted } from './format.js';
import { ENTITIES } from './operations.js';
import { usePages } from './remote.js';
import { Status } from './Status.js';

interface Props {
  call: Call;
  externalUserId: string;
  /** The switch between this user's memories and entities. */
  views: ReactNode;
  selected?: string;
  onSelect: (id: string) => void;
}

/** The people, places and things one end user's memories name, by name, narrowed by part of one. */
export function Entities({ call, externalUserId, views, selected, onSelect }: Props) {
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(draft.trim() || undefined);
  };
  return (
    <section className="panel" aria-label="Entities">
      <h2>{externalUserId}</h2>
      {views}
      <form className="search" onSubmit={submit} role="search">
        <input
          aria-label="Entity name"
          placeholder="Find a person, place or thing"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">Find</button>
      </form>
      <EntityList
        key={query ?? ''}
        call={call}
        externalUserId={externalUserId}
        query={query}
        {...{ selected, onSelect }}
      />
    </section>
  );
}

function EntityList({ call, externalUserId, query, selected, onSelect }: Omit<Props, 'views'> & { query?: string }) {
  const entities = usePages(async (after) => {
    const page = expect((await call(ENTITIES, { externalUserId, query, after })).entities, 'EntityConnection');
    return {
      items: page.edges.map((edge) => edge.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  return (
    <>
      <ul className="list" aria-label="Entity list">
        {entities.items.map((entity) => (
          <li key={entity.id}>
            <button type="button" aria-current={entity.id === selected} onClick={() => onSelect(entity.id)}>
              <span className="name">{entity.name}</span>
              <small>
                {entity.type.toLowerCase()} · {counted(entity.memoryCount, 'memory', 'memories')}
              </small>
            </button>
          </li>
        ))}
      </ul>
      <Status
        loading={entities.loading}
        error={entities.error}
        empty={!entities.loading && entities.items.length === 0 ? 'No entities found.' : undefined}
      />
      {entities.more && (
        <button type="button" className="more" onClick={entities.more}>
          More entities
        </button>
      )}
    </>
  );
}
