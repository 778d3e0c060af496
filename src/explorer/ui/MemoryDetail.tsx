import { useState } from 'react';
import { expect, type Call } from './api.js';
import { when } from './format.js';
import type { ExplorerHistoryQuery } from './gql/graphql.js';
import { MemoryCard } from './MemoryCard.js';
import { MemoryForm, refusalOf, type MemoryFields, type Refusal } from './MemoryForm.js';
import { DELETE, HISTORY, RESTORE, UPDATE_MEMORY } from './operations.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

type HistoryEvent = Extract<ExplorerHistoryQuery['memory'], { __typename: 'Memory' }>['history'][number];

interface Props {
  call: Call;
  externalUserId: string;
  id: string;
  /** The memory was deleted, restored or changed back: lists showing it are stale. */
  onChanged: () => void;
  /** Edit, delete and restore: shown to keys with the WRITE scope only. */
  canWrite: boolean;
  /** Narrow the list to a tag or a thread of this memory. */
  onTag: (tag: string) => void;
  onThread: (thread: string) => void;
}

const REASON = 'in the memory explorer';

/**
 * One memory, live or deleted, and every change to it, newest first: a past version (UPDATED) can
 * be restored, a live memory deleted, a deleted one brought back (deleting is undone by restoring).
 */
export function MemoryDetail({ call, externalUserId, id, canWrite, onChanged, onTag, onThread }: Props) {
  const memory = useRemote(async () => expect((await call(HISTORY, { externalUserId, id })).memory, 'Memory'));
  const [changeError, setChangeError] = useState<string>();
  const [editing, setEditing] = useState(false);
  const save = async (fields: MemoryFields): Promise<Refusal | undefined> => {
    const input = { externalUserId, id, ...fields, reason: `Edited ${REASON}` };
    const result = (await call(UPDATE_MEMORY, { input })).updateMemory;
    if (result.__typename !== 'Memory') return refusalOf(result);
    setEditing(false);
    memory.reload();
    onChanged();
    return undefined;
  };
  const change = async (work: () => Promise<unknown>) => {
    setChangeError(undefined);
    try {
      await work();
      memory.reload();
      onChanged();
    } catch (failure) {
      setChangeError((failure as Error).message);
    }
  };
  const restore = (event?: HistoryEvent) =>
    change(async () =>
      expect(
        (await call(RESTORE, { input: { externalUserId, id, eventId: event?.id, reason: `Restored ${REASON}` } }))
          .restoreMemory,
        'Memory',
      ),
    );
  const remove = () =>
    change(async () =>
      expect(
        (await call(DELETE, { input: { externalUserId, id, reason: `Deleted ${REASON}` } })).deleteMemory,
        'DeletedMemory',
      ),
    );
  return (
    <section className="panel" aria-label="Memory">
      <h2>Memory</h2>
      {memory.data && (
        <>
          {editing ? (
            <MemoryForm memory={memory.data} label="Edit memory" save={save} onCancel={() => setEditing(false)} />
          ) : (
            <>
              <MemoryCard memory={memory.data} onTag={onTag} onThread={onThread} />
              <div className="actions">
                {!canWrite ? null : memory.data.deletedAt ? (
                  <button type="button" onClick={() => void restore()}>
                    Restore this memory
                  </button>
                ) : (
                  <>
                    <button type="button" onClick={() => setEditing(true)}>
                      Edit
                    </button>{' '}
                    <button type="button" onClick={() => void remove()}>
                      Delete
                    </button>
                  </>
                )}
              </div>
            </>
          )}
          <h3>History</h3>
          {changeError && (
            <p role="alert" className="error">
              {changeError}
            </p>
          )}
          <ol className="timeline" aria-label="History">
            {[...memory.data.history].reverse().map((event) => (
              <Change key={event.id} event={event} onRestore={canWrite ? () => void restore(event) : undefined} />
            ))}
          </ol>
        </>
      )}
      <Status loading={memory.loading} error={memory.error} />
    </section>
  );
}

/** The start of the UUID inside a global id (base64 of `Type:uuid`): what the CLI and exports show. */
function shortId(globalId: string): string {
  try {
    return atob(globalId).split(':')[1].slice(0, 8);
  } catch {
    return globalId.slice(0, 8);
  }
}

/** Who made a change, as far as this key may know (an API key's name and prefix need ADMIN). */
function changedBy({ conversationId, actor }: HistoryEvent): string {
  if (conversationId) return `Claude, from conversation ${shortId(conversationId)}…`;
  switch (actor?.kind) {
    case 'API_KEY':
      return actor.keyName ? `API key “${actor.keyName}” (${actor.keyPrefix}…)` : 'an API key';
    case 'END_USER_TOKEN':
      return "the end user's token";
    case 'OPERATOR':
      return 'an operator (memgate import)';
    default:
      return 'the API';
  }
}

function Change({ event, onRestore }: { event: HistoryEvent; onRestore?: () => void }) {
  const by = changedBy(event);
  return (
    <li className={`event ${event.kind.toLowerCase()}`}>
      <div>
        <span className="kind">{event.kind}</span> <span className="muted">{when(event.createdAt)}</span>{' '}
        <span className="by">by {by}</span>
      </div>
      {event.reason && <p className="reason">“{event.reason}”</p>}
      {event.kind === 'UPDATED' && event.oldContent != null && (
        <p className="change">
          <del>{event.oldContent}</del> → <ins>{event.newContent}</ins>
        </p>
      )}
      {event.kind !== 'UPDATED' && event.newContent && <p className="change">{event.newContent}</p>}
      {event.changedFields.length > 0 && <small className="muted">changed: {event.changedFields.join(', ')}</small>}
      {onRestore && event.kind === 'UPDATED' && event.oldContent != null && (
        <button type="button" onClick={onRestore}>
          Restore this version
        </button>
      )}
    </li>
  );
}
