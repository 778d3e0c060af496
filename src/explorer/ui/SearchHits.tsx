import { expect, type Call } from './api.js';
import { SelectableMemory } from './Memories.js';
import { when } from './format.js';
import { SEARCH } from './operations.js';
import { memoryFilter, type ListFilter, type Search } from './selection.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

const score = (value: number | null | undefined) => (value == null ? '—' : value.toFixed(3));

interface Props {
  call: Call;
  externalUserId: string;
  search: Search;
  filter?: ListFilter;
  selected?: string;
  onSelect: (id: string) => void;
}

/** A search's hits, best first, each with its final score and the semantic and keyword scores behind it. */
export function SearchHits({ call, externalUserId, search: asked, filter, selected, onSelect }: Props) {
  const search = useRemote(async () => {
    const { query, mode, limit, minScore, now } = asked;
    const variables = {
      externalUserId,
      query,
      mode,
      limit,
      minScore,
      now: now && `${now}:00Z`,
      filter: memoryFilter(filter),
    };
    return expect((await call(SEARCH, variables)).searchMemories, 'MemorySearch');
  });
  const window = search.data?.timeWindow;
  const hits = search.data?.hits ?? [];
  return (
    <>
      {window && (
        <p className="muted time-window">
          Read “{window.text}” as {when(window.from)} to {when(window.to)}: memories that occurred then come first.
        </p>
      )}
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
              {hit.entityScore != null && (
                <div>
                  <dt>entity</dt>
                  <dd>{score(hit.entityScore)}</dd>
                </div>
              )}
              {hit.questionScore != null && (
                <div>
                  <dt>its question</dt>
                  <dd>{score(hit.questionScore)}</dd>
                </div>
              )}
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
