import { useState } from 'react';
import type { Call } from './api.js';
import { EndUsers } from './EndUsers.js';
import { Entities } from './Entities.js';
import { EntityDetail } from './EntityDetail.js';
import { KeyBar, type Session } from './KeyBar.js';
import { MemoryDetail } from './MemoryDetail.js';
import { Memories } from './Memories.js';
import { UsageChart } from './UsageChart.js';

/** The explorer: a key, then the tenant's usage, its end users, one user's memories, one memory's history. */
export function App() {
  const [session, setSession] = useState<Session>();
  return (
    <>
      <KeyBar session={session} onSession={setSession} />
      {session ? <Tenant key={session.viewer.keyPrefix} call={session.call} /> : <Welcome />}
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

type View = 'memories' | 'entities';

function Tenant({ call }: { call: Call }) {
  const [user, setUser] = useState<string>();
  const [view, setView] = useState<View>('memories');
  const [memoryId, setMemoryId] = useState<string>();
  const [entityId, setEntityId] = useState<string>();
  // Bumped when a memory is deleted or restored: the lists show it where it now belongs, and the counts.
  const [revision, setRevision] = useState(0);
  const selectUser = (externalUserId: string) => {
    setUser(externalUserId);
    setMemoryId(undefined);
    setEntityId(undefined);
  };
  const openMemory = (id: string) => {
    setView('memories');
    setMemoryId(id);
  };
  const views = <Views view={view} onView={setView} />;
  return (
    <main>
      <UsageChart call={call} />
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
            selected={entityId}
            onSelect={setEntityId}
          />
        ) : (
          <Memories
            key={`${user}:${revision}`}
            call={call}
            externalUserId={user}
            views={views}
            selected={memoryId}
            onSelect={setMemoryId}
          />
        )}
        {user && view === 'entities' ? (
          entityId ? (
            <EntityDetail
              key={user}
              call={call}
              externalUserId={user}
              id={entityId}
              onSelectEntity={setEntityId}
              onSelectMemory={openMemory}
            />
          ) : (
            <section className="panel empty">Choose an entity to see its relations and memories.</section>
          )
        ) : user && memoryId ? (
          <MemoryDetail
            key={memoryId}
            call={call}
            externalUserId={user}
            id={memoryId}
            onChanged={() => setRevision((r) => r + 1)}
          />
        ) : (
          <section className="panel empty">Choose a memory to see its history.</section>
        )}
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
