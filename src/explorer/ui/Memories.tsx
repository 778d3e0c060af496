import { useState, type ReactNode } from 'react';
import { expect, type Call } from './api.js';
import type { ExplorerMemoryFragment } from './gql/graphql.js';
import { Filters } from './Filters.js';
import { MemoryCard } from './MemoryCard.js';
import { memoryFilter, type ListFilter, type Search } from './selection.js';
import { SearchForm } from './SearchForm.js';
import { MemoryForm, refusalOf, type MemoryFields, type Refusal } from './MemoryForm.js';
import { ADD_MEMORY, MEMORIES } from './operations.js';
import { usePages } from './remote.js';
import { SearchHits } from './SearchHits.js';
import { Status } from './Status.js';

interface Props {
  call: Call;
  externalUserId: string;
  selected?: string;
  onSelect: (id: string) => void;
}

/** One end user's memories (live or deleted), newest first, or the hits of a search among the live ones. */
export function Memories({
  call,
  externalUserId,
  views,
  deleted,
  onDeleted,
  search,
  onSearch,
  filter,
  onFilter,
  onAdded,
  canWrite,
  selected,
  onSelect,
}: Props & {
  views: ReactNode;
  deleted: boolean;
  onDeleted: (deleted: boolean) => void;
  search?: Search;
  onSearch: (search?: Search) => void;
  filter?: ListFilter;
  onFilter: (filter?: ListFilter) => void;
  /** A memory was added here: the lists are stale, and it is the one to show. */
  onAdded: (id: string) => void;
  canWrite: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const add = async (fields: MemoryFields): Promise<Refusal | undefined> => {
    const result = (await call(ADD_MEMORY, { input: { externalUserId, ...fields } })).addMemory;
    if (result.__typename !== 'AddedMemory') return refusalOf(result);
    onAdded(result.memory.id);
    return undefined;
  };
  return (
    <section className="panel" aria-label="Memories">
      <h2>{externalUserId}</h2>
      {views}
      {!canWrite ? (
        <p className="muted">This key reads only: adding, editing, deleting and restoring need the WRITE scope.</p>
      ) : adding ? (
        <MemoryForm label="New memory" save={add} onCancel={() => setAdding(false)} />
      ) : (
        <button type="button" className="add" onClick={() => setAdding(true)}>
          Add a memory
        </button>
      )}
      <SearchForm key={`search:${JSON.stringify(search ?? {})}`} search={search} onSearch={onSearch} />
      <Filters key={`filter:${JSON.stringify(filter ?? {})}`} filter={filter} onFilter={onFilter} />
      {search ? (
        <SearchHits
          key={JSON.stringify([search, filter ?? {}])}
          call={call}
          externalUserId={externalUserId}
          search={search}
          filter={filter}
          selected={selected}
          onSelect={onSelect}
        />
      ) : (
        <>
          <div className="toggle" role="group" aria-label="Which memories">
            <button type="button" aria-pressed={!deleted} onClick={() => onDeleted(false)}>
              Live
            </button>
            <button type="button" aria-pressed={deleted} onClick={() => onDeleted(true)}>
              Deleted
            </button>
          </div>
          <MemoryList
            key={`${deleted}:${JSON.stringify(filter ?? {})}`}
            call={call}
            externalUserId={externalUserId}
            deleted={deleted}
            filter={filter}
            selected={selected}
            onSelect={onSelect}
          />
        </>
      )}
    </section>
  );
}

function MemoryList({
  call,
  externalUserId,
  deleted,
  filter,
  selected,
  onSelect,
}: Props & { deleted: boolean; filter?: ListFilter }) {
  const memories = usePages(async (after) => {
    const variables = { externalUserId, deleted, after, filter: memoryFilter(filter) };
    const page = expect((await call(MEMORIES, variables)).memories, 'MemoryConnection');
    return {
      items: page.edges.map((edge) => edge.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  return (
    <>
      <ul className="list" aria-label="Memory list">
        {memories.items.map((memory) => (
          <SelectableMemory key={memory.id} memory={memory} selected={memory.id === selected} onSelect={onSelect} />
        ))}
      </ul>
      <Status
        loading={memories.loading}
        error={memories.error}
        empty={
          !memories.loading && memories.items.length === 0 ? `No ${deleted ? 'deleted' : 'live'} memories.` : undefined
        }
      />
      {memories.more && (
        <button type="button" className="more" onClick={memories.more}>
          More memories
        </button>
      )}
    </>
  );
}

export function SelectableMemory({
  memory,
  selected,
  onSelect,
  children,
}: {
  memory: ExplorerMemoryFragment;
  selected: boolean;
  onSelect: (id: string) => void;
  children?: ReactNode;
}) {
  // The button inside the item: a list holds list items only (a role on the <li> would replace its own).
  return (
    <li>
      <div
        className="selectable"
        role="button"
        tabIndex={0}
        aria-current={selected}
        onClick={() => onSelect(memory.id)}
        onKeyDown={(event) => (event.key === 'Enter' || event.key === ' ') && onSelect(memory.id)}
      >
        <MemoryCard memory={memory}>{children}</MemoryCard>
      </div>
    </li>
  );
}
