import { useState, type FormEvent } from 'react';
import type { ExplorerMemoryFragment } from './gql/graphql.js';

/** What the form sends: the fields of addMemory and updateMemory it edits. */
export interface MemoryFields {
  content: string;
  tags: string[];
  metadata: Record<string, unknown>;
  occurredAt?: string;
}

/** A refusal to show in place: the API's message, and the field it names (ValidationError). */
export interface Refusal {
  message: string;
  field?: string;
}

/** An error member of a result union as the form shows it (a ValidationError names its field). */
export function refusalOf(error: { __typename: string; message?: string; field?: string }): Refusal {
  return { message: error.message ?? `Unexpected ${error.__typename}.`, field: error.field };
}

const local = (iso: string) => iso.slice(0, 16);

/**
 * A memory's content, tags, metadata (a JSON object) and when it occurred, to add or to change.
 * `save` answers a refusal to show next to the field it names, or nothing when it was saved.
 */
export function MemoryForm({
  memory,
  label,
  save,
  onCancel,
}: {
  memory?: ExplorerMemoryFragment;
  label: string;
  save: (fields: MemoryFields) => Promise<Refusal | undefined>;
  onCancel: () => void;
}) {
  const [content, setContent] = useState(memory?.content ?? '');
  const [tags, setTags] = useState(memory?.tags.join(', ') ?? '');
  const [metadata, setMetadata] = useState(memory ? JSON.stringify(memory.metadata) : '{}');
  const [occurredAt, setOccurredAt] = useState(memory ? local(memory.occurredAt) : '');
  const [refusal, setRefusal] = useState<Refusal>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let parsed: unknown;
    try {
      parsed = JSON.parse(metadata || '{}');
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setRefusal({ field: 'metadata', message: 'Metadata must be a JSON object, e.g. {"source": "chat"}.' });
      return;
    }
    setBusy(true);
    const fields = {
      content,
      tags: tags
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
      metadata: parsed as Record<string, unknown>,
      // Minutes only in the field: an unchanged one is not sent (its seconds would be lost).
      occurredAt:
        occurredAt && occurredAt !== (memory && local(memory.occurredAt))
          ? new Date(`${occurredAt}:00Z`).toISOString()
          : undefined,
    };
    setRefusal(await save(fields).catch((failure: Error) => ({ message: failure.message })));
    setBusy(false);
  };
  // The API names a field as the input does ("tags", "tags.2", "metadata").
  const names = (field: string) => refusal?.field?.split(/[.[\]]/).includes(field) ?? false;
  const error = (field: string) =>
    names(field) ? (
      <span role="alert" className="error">
        {refusal!.message}
      </span>
    ) : null;
  return (
    <form className="memory-form" aria-label={label} onSubmit={(event) => void submit(event)}>
      <label>
        Content
        <textarea value={content} rows={3} onChange={(event) => setContent(event.target.value)} />
      </label>
      {error('content')}
      <label>
        Tags <small className="muted">(comma-separated)</small>
        <input value={tags} onChange={(event) => setTags(event.target.value)} />
      </label>
      {error('tags')}
      <label>
        Metadata <small className="muted">(JSON object)</small>
        <input value={metadata} onChange={(event) => setMetadata(event.target.value)} />
      </label>
      {error('metadata')}
      <label>
        Occurred at <small className="muted">(UTC; empty: now)</small>
        <input type="datetime-local" value={occurredAt} onChange={(event) => setOccurredAt(event.target.value)} />
      </label>
      {error('occurredAt')}
      {refusal && !['content', 'tags', 'metadata', 'occurredAt'].some(names) && (
        <p role="alert" className="error">
          {refusal.message}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>{' '}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
