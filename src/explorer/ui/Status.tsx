/** What a panel says while it loads, when it failed, or when there is nothing to show. */
export function Status({ loading, error, empty }: { loading?: boolean; error?: string; empty?: string }) {
  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (loading) return <p className="muted">Loading…</p>;
  return empty ? <p className="muted">{empty}</p> : null;
}
