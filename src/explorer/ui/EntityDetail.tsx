import { useState } from 'react';
import { expect, type Call } from './api.js';
import { counted } from './format.js';
import { SelectableMemory } from './Memories.js';
import { ENTITY } from './operations.js';
import { RelationGraph } from './RelationGraph.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

interface Props {
  call: Call;
  externalUserId: string;
  id: string;
  onSelectEntity: (id: string) => void;
  onSelectMemory: (id: string) => void;
}

/** The end of a day picked in the date field: what was true then. */
const endOf = (day: string) => `${day}T23:59:59.999Z`;
const dayOf = (iso: string) => iso.slice(0, 10);

/**
 * One entity: its names, its relations as a small graph at a day (today by default: a relation a
 * newer one replaced shows on the days it held) and the memories that name it. The day stays while
 * the graph is walked from entity to entity.
 */
export function EntityDetail({ call, externalUserId, id, onSelectEntity, onSelectMemory }: Props) {
  const [day, setDay] = useState('');
  return (
    <section className="panel" aria-label="Entity">
      <h2>Entity</h2>
      <label className="as-of">
        As of <input type="date" aria-label="As of" value={day} onChange={(event) => setDay(event.target.value)} />
        {day && (
          <button type="button" onClick={() => setDay('')}>
            Today
          </button>
        )}
      </label>
      <EntityAt
        key={`${id}:${day}`}
        {...{ call, externalUserId, id, onSelectEntity, onSelectMemory }}
        asOf={day || undefined}
      />
    </section>
  );
}

function EntityAt({ call, externalUserId, id, asOf, onSelectEntity, onSelectMemory }: Props & { asOf?: string }) {
  const entity = useRemote(async () =>
    expect((await call(ENTITY, { externalUserId, id, asOf: asOf && endOf(asOf) })).entity, 'Entity'),
  );
  const data = entity.data;
  const aliases = data?.aliases.filter((alias) => alias.toLowerCase() !== data.name.toLowerCase()) ?? [];
  return (
    <>
      {data && (
        <>
          <p className="entity-name">
            <strong>{data.name}</strong> <small className="muted">{data.type.toLowerCase()}</small>
          </p>
          {aliases.length > 0 && <p className="muted">Also written: {aliases.join(', ')}</p>}
          <h3>Relations{asOf ? ` on ${asOf}` : ''}</h3>
          {data.relations.length > 0 ? (
            <>
              <RelationGraph center={data} relations={data.relations} onSelect={onSelectEntity} />
              <ul className="relations" aria-label="Relations">
                {data.relations.map((relation) => (
                  <li key={relation.id}>
                    {relation.subject.name} — {relation.predicate} → {relation.object.name}{' '}
                    <small className="muted">
                      since {dayOf(relation.validFrom)}
                      {relation.validTo && ` until ${dayOf(relation.validTo)}`}
                    </small>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">
              No relations{asOf ? ' on that day' : ''}. Relations come from Claude's reading of conversations.
            </p>
          )}
          <h3>Named in {counted(data.memoryCount, 'memory', 'memories')}</h3>
          <ul className="list" aria-label="Memories naming it">
            {data.memories.map((memory) => (
              <SelectableMemory key={memory.id} memory={memory} selected={false} onSelect={onSelectMemory} />
            ))}
          </ul>
        </>
      )}
      <Status loading={entity.loading} error={entity.error} />
    </>
  );
}
