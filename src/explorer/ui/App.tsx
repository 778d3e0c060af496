import { useEffect, useRef, useState } from 'react';
import type { Call } from './api.js';
import { EndUsers } from './EndUsers.js';
import { Entities } from './Entities.js';
import { EntityDetail } from './EntityDetail.js';
import { KeyBar, type Session } from './KeyBar.js';
import { MemoryDetail } from './MemoryDetail.js';
import { Memories } from './Memories.js';
import { useSelection, type ListFilter, type Selection } from './selection.js';
import { UsageChart } from './UsageChart.js';

/** The explorer: a key, then the tenant's usage, its end users, one user's memories, one memory's history. */
export function App() {
  const [session, setSession] = useState<Session>();
  return (
    <>
      <KeyBar session={session} onSession={setSession} />
      {!session ? (
        <Welcome />
      ) : session.viewer.scopes.includes('READ') ? (
        <Tenant key={session.viewer.keyPrefix} call={session.call} scopes={session.viewer.scopes} />
      ) : (
        <NoRead scopes={session.viewer.scopes} />
      )}
    </>
  );
}

function Welcome() {
  return (
    <main className="welcome">
      <h1>Memory explorer</h1>
      <p>
        Enter one of your tenant's API keys above to browse what Memgate remembers about your end users: their memories
        with tags and metadata, every change to each, searches with their scores, and your model usage. The key stays in
        this browser tab.
      </p>
    </main>
  );
}

/** A key without READ: the explorer can show nothing it stores, and says why. */
function NoRead({ scopes }: { scopes: string[] }) {
  return (
    <main className="welcome">
      <h1>This key cannot read memories</h1>
      <p>
        Its scopes are {scopes.join(' and ')}. The explorer shows only what the key entered may read: open it with a key
        that has the READ scope. (A key with WRITE alone adds and changes memories through the API, without reading
        them.)
      </p>
    </main>
  );
}

type View = Selection['view'];

function Tenant({ call, scopes }: { call: Call; scopes: string[] }) {
  const canWrite = scopes.includes('WRITE');
  const [selection, select] = useSelection();
  const { user, view, memory, entity } = selection;
  // Bumped when a memory is deleted or restored: the lists show it where it now belongs, and the counts.
  const [revision, setRevision] = useState(0);
  const detail = useRef<HTMLDivElement>(null);
  // On a narrow screen the detail is below the lists: bring it into view when something is chosen.
  useEffect(() => {
    const box = detail.current?.getBoundingClientRect();
    if ((memory || entity) && box && (box.top > innerHeight || box.bottom < 0)) detail.current!.scrollIntoView();
  }, [memory, entity]);
  const selectUser = (externalUserId: string) =>
    select({
      user: externalUserId,
      memory: undefined,
      entity: undefined,
      deleted: undefined,
      search: undefined,
      filter: undefined,
    });
  const narrow = (change: ListFilter) =>
    select({
      filter: { ...selection.filter, ...change, tags: [...new Set(change.tags ?? selection.filter?.tags ?? [])] },
    });
  const views = <Views view={view} onView={(next) => select({ view: next })} />;
  return (
    <main>
      {scopes.includes('ADMIN') ? (
        <UsageChart call={call} />
      ) : (
        <p className="muted">Model usage is shown to keys with the ADMIN scope; this one has {scopes.join(' and ')}.</p>
      )}
      <div className="columns">
        <EndUsers key={revision} call={call} selected={user} onSelect={selectUser} />
        {!user ? (
          <section className="panel empty">Choose an end user.</section>
        ) : view === 'entities' ? (
          <Entities
            key={user}
            call={call}
            externalUserId={user}
            views={views}
            selected={entity}
            onSelect={(id) => select({ entity: id })}
          />
        ) : (
          <Memories
            key={`${user}:${revision}`}
            call={call}
            externalUserId={user}
            views={views}
            deleted={selection.deleted ?? false}
            onDeleted={(deleted) => select({ deleted: deleted || undefined })}
            search={selection.search}
            onSearch={(search) => select({ search })}
            filter={selection.filter}
            onFilter={(filter) => select({ filter })}
            canWrite={canWrite}
            onAdded={(id) => {
              setRevision((r) => r + 1);
              select({ memory: id, deleted: undefined, search: undefined });
            }}
            selected={memory}
            onSelect={(id) => select({ memory: id })}
          />
        )}
        <div className={memory || entity ? 'detail chosen' : 'detail'} ref={detail}>
          {user && view === 'entities' ? (
            entity ? (
              <EntityDetail
                key={user}
                call={call}
                externalUserId={user}
                id={entity}
                onSelectEntity={(id) => select({ entity: id })}
                onSelectMemory={(id) => select({ view: 'memories', memory: id })}
              />
            ) : (
              <section className="panel empty">Choose an entity to see its relations and memories.</section>
            )
          ) : user && memory ? (
            <MemoryDetail
              key={memory}
              call={call}
              externalUserId={user}
              id={memory}
              canWrite={canWrite}
              onTag={(tag) => narrow({ tags: [...(selection.filter?.tags ?? []), tag] })}
              onThread={(thread) => narrow({ thread })}
              onChanged={() => {
                setRevision((r) => r + 1);
                // A memory deleted or brought back is listed where it now belongs: restored ones are live.
                select({ deleted: undefined });
              }}
            />
          ) : (
            <section className="panel empty">Choose a memory to see its history.</section>
          )}
        </div>
      </div>
    </main>
  );
}

/** Whether the middle column lists the user's memories or the people, places and things they name. */
function Views({ view, onView }: { view: View; onView: (view: View) => void }) {
  return (
    <div className="toggle" role="group" aria-label="View">
      <button type="button" aria-pressed={view === 'memories'} onClick={() => onView('memories')}>
        Memories
      </button>
      <button type="button" aria-pressed={view === 'entities'} onClick={() => onView('entities')}>
        Entities
      </button>
    </div>
  );
}
