import type { ReactNode } from 'react';
import type { ExplorerMemoryFragment } from './gql/graphql.js';
import { when } from './format.js';

/**
 * One memory as a card: its text, tags, metadata, thread and when it happened. Given `onTag` and
 * `onThread` (never inside a button: controls do not nest), its tags and thread narrow the list.
 */
export function MemoryCard({
  memory,
  onTag,
  onThread,
  children,
}: {
  memory: ExplorerMemoryFragment;
  onTag?: (tag: string) => void;
  onThread?: (thread: string) => void;
  children?: ReactNode;
}) {
  const metadata = Object.entries(memory.metadata);
  return (
    <div className="memory">
      <p className="content">{memory.content}</p>
      {memory.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {memory.tags.map((tag) => (
            <li key={tag}>
              {onTag ? (
                <button type="button" title={`Only memories tagged ${tag}`} onClick={() => onTag(tag)}>
                  {tag}
                </button>
              ) : (
                tag
              )}
            </li>
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
      {onThread && memory.threadId && (
        <p>
          <button type="button" className="link" onClick={() => onThread(memory.threadId!)}>
            Only its thread ({memory.threadId})
          </button>
        </p>
      )}
      <small className="muted">
        occurred {when(memory.occurredAt)}
        {memory.deletedAt && <> · deleted {when(memory.deletedAt)}</>}
      </small>
      {children}
    </div>
  );
}
