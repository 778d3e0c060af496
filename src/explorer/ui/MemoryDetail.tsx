import { useState } from 'react';
import { expect, type Call } from './api.js';
import { when } from './format.js';
import type { ExplorerHistoryQuery } from './gql/graphql.js';
import { MemoryCard } from './MemoryCard.js';
import { HISTORY, RESTORE } from './operations.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

type HistoryEvent = Extract<ExplorerHistoryQuery['memory'], { __typename: 'Memory' }>['history'][number];

interface Props {
  call: Call;
  externalUserId: string;
  id: string;
  onRestored: () => void;
}

/** One memory and every change to it, newest first, each UPDATED one restorable. */
export function MemoryDetail({ call, externalUserId, id, onRestored }: Props) {
  const memory = useRemote(async () => expect((await call(HISTORY, { externalUserId, id })).memory, 'Memory'));
  const [restoreError, setRestoreError] = useState<string>();
  const restore = async (event: HistoryEvent) => {
    setRestoreError(undefined);
    try {
      expect((await call(RESTORE, { input: { externalUserId, id, eventId: event.id, reason: 'Restored in the memory explorer' } })).restoreMemory, 'Memory');
      memory.reload();
      onRestored();
    } catch (failure) {
      setRestoreError((failure as Error).message);
    }
  };
  return (
    <section className="panel" aria-label="Memory">
      <h2>Memory</h2>
      {memory.data && (
        <>
          <MemoryCard memory={memory.data} />
          <h3>History</h3>
          {restoreError && (
            <p role="alert" className="error">
              {restoreError}
            </p>
          )}
          <ol className="timeline" aria-label="History">
            {[...memory.data.history].reverse().map((event) => (
              <Change key={event.id} event={event} onRestore={() => void restore(event)} />
            ))}
          </ol>
        </>
      )}
      <Status loading={memory.loading} error={memory.error} />
    </section>
  );
}

function Change({ event, onRestore }: { event: HistoryEvent; onRestore: () => void }) {
  const by = event.conversationId ? `Claude, from conversation ${event.conversationId.slice(0, 8)}…` : 'the API';
  return (
    <li className={`event ${event.kind.toLowerCase()}`}>
      <div>
        <span className="kind">{event.kind}</span> <span className="muted">{when(event.createdAt)}</span> <span className="by">by {by}</span>
      </div>
      {event.reason && <p className="reason">“{event.reason}”</p>}
      {event.kind === 'UPDATED' && event.oldContent != null && (
        <p className="change">
          <del>{event.oldContent}</del> → <ins>{event.newContent}</ins>
        </p>
      )}
      {event.kind !== 'UPDATED' && event.newContent && <p className="change">{event.newContent}</p>}
      {event.changedFields.length > 0 && <small className="muted">changed: {event.changedFields.join(', ')}</small>}
      {event.kind === 'UPDATED' && event.oldContent != null && (
        <button type="button" onClick={onRestore}>
          Restore this version
        </button>
      )}
    </li>
  );
}
