import { expect, type Call } from './api.js';
import { counted, when } from './format.js';
import { END_USERS } from './operations.js';
import { usePages } from './remote.js';
import { Status } from './Status.js';

export function EndUsers({
  call,
  selected,
  onSelect,
}: {
  call: Call;
  selected?: string;
  onSelect: (externalUserId: string) => void;
}) {
  const users = usePages(async (after) => {
    const page = expect((await call(END_USERS, { after })).endUsers, 'EndUserConnection');
    return {
      items: page.edges.map((edge) => edge.node),
      next: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? undefined) : undefined,
    };
  });
  return (
    <section className="panel" aria-label="End users">
      <h2>End users</h2>
      <ul className="list">
        {users.items.map((user) => (
          <li key={user.externalUserId}>
            <button
              type="button"
              aria-current={user.externalUserId === selected}
              onClick={() => onSelect(user.externalUserId)}
            >
              <span className="name">{user.externalUserId}</span>
              <small>
                {counted(user.memoryCount, 'memory', 'memories')} · last active {when(user.lastActivityAt)}
              </small>
            </button>
          </li>
        ))}
      </ul>
      <Status
        loading={users.loading}
        error={users.error}
        empty={!users.loading && users.items.length === 0 ? 'No end users yet.' : undefined}
      />
      {users.more && (
        <button type="button" className="more" onClick={users.more}>
          More end users
        </button>
      )}
    </section>
  );
}
