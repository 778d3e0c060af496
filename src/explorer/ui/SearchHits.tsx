import { expect, type Call } from './api.js';
import type { SearchMode } from './gql/graphql.js';
import { SelectableMemory } from './Memories.js';
import { SEARCH } from './operations.js';
import { memoryFilter, type ListFilter } from './selection.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

const score = (value: number | null | undefined) => (value == null ? '—' : value.toFixed(3));

interface Props {
  call: Call;
  externalUserId: string;
  query: string;
  mode: SearchMode;
  filter?: ListFilter;
  selected?: string;
  onSelect: (id: string) => void;
}

/** A search's hits, best first, each with its final score and the semantic and keyword scores behind it. */
export function SearchHits({ call, externalUserId, query, mode, filter, selected, onSelect }: Props) {
  const search = useRemote(async () =>
    expect(
      (await call(SEARCH, { externalUserId, query, mode, filter: memoryFilter(filter) })).searchMemories,
      'MemorySearch',
    ),
  );
  const hits = search.data?.hits ?? [];
  return (
    <>
      <ol className="list" aria-label="Search hits">
        {hits.map((hit) => (
          <SelectableMemory
            key={hit.memory.id}
            memory={hit.memory}
            selected={hit.memory.id === selected}
            onSelect={onSelect}
          >
            <dl className="scores">
              <div>
                <dt>score</dt>
                <dd>{score(hit.score)}</dd>
              </div>
              <div>
                <dt>semantic</dt>
                <dd>{score(hit.semanticScore)}</dd>
              </div>
              <div>
                <dt>keyword</dt>
                <dd>{score(hit.keywordScore)}</dd>
              </div>
            </dl>
          </SelectableMemory>
        ))}
      </ol>
      <Status
        loading={search.loading}
        error={search.error}
        empty={search.data && hits.length === 0 ? 'Nothing matches.' : undefined}
      />
    </>
  );
}
