import type { ReactNode } from 'react';
import type { ExplorerMemoryFragment } from './gql/graphql.js';
import { when } from './format.js';

/** One memory as a card: its text, tags, metadata and when it happened. */
export function MemoryCard({ memory, children }: { memory: ExplorerMemoryFragment; children?: ReactNode }) {
  const metadata = Object.entries(memory.metadata);
  return (
    <div className="memory">
      <p className="content">{memory.content}</p>
      {memory.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {memory.tags.map((tag) => (
            <li key={tag}>{tag}</li>
          ))}
        </ul>
      )}
      {metadata.length > 0 && (
        <dl className="metadata" aria-label="Metadata">
          {metadata.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      <small className="muted">
        occurred {when(memory.occurredAt)}
        {memory.deletedAt && <> · deleted {when(memory.deletedAt)}</>}
      </small>
      {children}
    </div>
  );
}
