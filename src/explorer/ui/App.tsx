import { useState } from 'react';
import type { Call } from './api.js';
import { EndUsers } from './EndUsers.js';
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

function Tenant({ call }: { call: Call }) {
  const [user, setUser] = useState<string>();
  const [memoryId, setMemoryId] = useState<string>();
  // Bumped when a memory is deleted or restored: the lists show it where it now belongs, and the counts.
  const [revision, setRevision] = useState(0);
  const selectUser = (externalUserId: string) => {
    setUser(externalUserId);
    setMemoryId(undefined);
  };
  return (
    <main>
      <UsageChart call={call} />
      <div className="columns">
        <EndUsers key={revision} call={call} selected={user} onSelect={selectUser} />
        {user ? (
          <Memories
            key={`${user}:${revision}`}
            call={call}
            externalUserId={user}
            selected={memoryId}
            onSelect={setMemoryId}
          />
        ) : (
          <section className="panel empty">Choose an end user.</section>
        )}
        {user && memoryId ? (
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
