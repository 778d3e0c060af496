import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { unmask, type FragmentType } from '../gql/index.js';
import { MemoryChanges, MemoryFields, Recall, RecentMemories, Remember } from './operations.js';

const PAGE = 5;

function MemoryItem(props: { memory: FragmentType<typeof MemoryFields> }) {
  const memory = unmask(MemoryFields, props.memory);
  return (
    <li data-testid="memory">
      {memory.content}
      {memory.tags.length > 0 && <small> [{memory.tags.join(', ')}]</small>}
    </li>
  );
}

/** Adds a memory; a refused one shows its typed error (code and message). */
function RememberForm() {
  const [content, setContent] = useState('');
  const [remember, { data, loading }] = useMutation(Remember);
  const result = data?.addMemory;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { data } = await remember({ variables: { content } });
    if (data?.addMemory.__typename === 'AddedMemory') setContent('');
  };
  return (
    <form onSubmit={submit}>
      <input
        aria-label="New memory"
        value={content}
        onChange={(event) => setContent(event.target.value)}
        placeholder="Something to remember"
      />
      <button disabled={loading}>Remember</button>
      {result && 'code' in result && (
        <p role="alert">
          {result.code}: {result.message}
        </p>
      )}
    </form>
  );
}

function RecallBox() {
  const [query, setQuery] = useState('');
  const [asked, setAsked] = useState('');
  const { data } = useQuery(Recall, { variables: { query: asked }, skip: asked === '' });
  const search = data?.searchMemories;
  return (
    <section>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setAsked(query);
        }}
      >
        <input
          aria-label="Search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Ask your memories"
        />
        <button>Search</button>
      </form>
      {search?.__typename === 'MemorySearch' && (
        <ol aria-label="Search results">
          {search.hits.map((hit, i) => (
            <MemoryItem key={i} memory={hit.memory} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The most recent memories, a page at a time, kept current by the memoryEvents subscription. */
function RecentList() {
  const { data, fetchMore, refetch } = useQuery(RecentMemories, { variables: { first: PAGE } });
  useSubscription(MemoryChanges, {
    // UPDATED memories arrive normalized into the cache; new and deleted ones change the list.
    onData: ({ data: event }) => {
      if (event.data?.memoryEvents.kind !== 'UPDATED') void refetch({ first: PAGE });
    },
  });
  const memories = data?.memories;
  if (memories?.__typename !== 'MemoryConnection')
    return memories && 'message' in memories ? <p role="alert">{memories.message}</p> : null;
  const loadMore = () =>
    fetchMore({
      variables: { first: PAGE, after: memories.pageInfo.endCursor },
      updateQuery: (previous, { fetchMoreResult }) => {
        const [before, more] = [previous.memories, fetchMoreResult.memories];
        if (before.__typename !== 'MemoryConnection' || more.__typename !== 'MemoryConnection') return previous;
        return { memories: { ...more, edges: [...before.edges, ...more.edges] } };
      },
    });
  return (
    <section>
      <h2>
        Remembered (<span data-testid="total">{memories.totalCount}</span>)
      </h2>
      <ul aria-label="Recent memories">
        {memories.edges.map((edge, i) => (
          <MemoryItem key={i} memory={edge.node} />
        ))}
      </ul>
      {memories.pageInfo.hasNextPage && <button onClick={() => void loadMore()}>Load more</button>}
    </section>
  );
}

export function App(props: { user: string }) {
  return (
    <main>
      <h1>Memories of {props.user}</h1>
      <RememberForm />
      <RecallBox />
      <RecentList />
    </main>
  );
}
