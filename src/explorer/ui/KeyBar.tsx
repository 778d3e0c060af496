import { useEffect, useState, type FormEvent } from 'react';
import { callerWith, type Call } from './api.js';
import type { ExplorerViewerQuery } from './gql/graphql.js';
import { VIEWER } from './operations.js';
import { clearSelection } from './selection.js';

export interface Session {
  call: Call;
  viewer: ExplorerViewerQuery['viewer'];
}

/** Shared with GraphiQL's key bar: a key entered in either is there in the other (this tab only). */
const STORED_KEY = 'memgate-key';

async function open(key: string): Promise<Session> {
  const call = callerWith(key);
  const { viewer } = await call(VIEWER, {});
  if (viewer.credential !== 'API_KEY')
    throw new Error('This is an end-user token, which sees only its own user: use an API key of the tenant.');
  return { call, viewer };
}

export function KeyBar({ session, onSession }: { session?: Session; onSession: (session?: Session) => void }) {
  const [key, setKey] = useState(() => sessionStorage.getItem(STORED_KEY) ?? '');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const connect = async (candidate: string) => {
    setBusy(true);
    setError(undefined);
    try {
      onSession(await open(candidate));
      sessionStorage.setItem(STORED_KEY, candidate);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (key) void connect(key);
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (key.trim()) void connect(key.trim());
  };
  const forget = () => {
    sessionStorage.removeItem(STORED_KEY);
    clearSelection();
    setKey('');
    onSession(undefined);
  };

  return (
    <header className="keybar">
      <strong className="brand">Memgate</strong>
      {session ? (
        <>
          <span className="tenant" aria-label="Tenant">
            {session.viewer.tenant.name}
          </span>
          <code>{session.viewer.keyPrefix}…</code>
          <span className="scopes">{session.viewer.scopes.join(' · ')}</span>
          <button type="button" onClick={forget}>
            Forget key
          </button>
        </>
      ) : (
        <form onSubmit={submit}>
          <input
            type="password"
            aria-label="API key"
            placeholder="mgk_… (an API key of your tenant)"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
          <button type="submit" disabled={busy}>
            Open
          </button>
          {error && (
            <span role="alert" className="error">
              {error}
            </span>
          )}
        </form>
      )}
    </header>
  );
}
