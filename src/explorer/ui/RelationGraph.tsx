import type { ExplorerEntityQuery } from './gql/graphql.js';

type Relation = Extract<ExplorerEntityQuery['entity'], { __typename: 'Entity' }>['relations'][number];

const WIDTH = 360;
const HEIGHT = 260;
const RADIUS = 100;
const NODE = 26;

/**
 * One entity in the middle and the entities its relations lead to around it, each edge an arrow
 * from subject to object labelled with its predicate. A neighbour is a button: it opens that entity.
 */
export function RelationGraph({
  center,
  relations,
  onSelect,
}: {
  center: { id: string; name: string };
  relations: Relation[];
  onSelect: (id: string) => void;
}) {
  const others = new Map<string, string>();
  for (const { subject, object } of relations)
    for (const end of [subject, object]) if (end.id !== center.id) others.set(end.id, end.name);
  const ids = [...others.keys()];
  const mid = { x: WIDTH / 2, y: HEIGHT / 2 };
  const at = (id: string) => {
    const i = ids.indexOf(id);
    if (i < 0) return mid;
    const angle = (2 * Math.PI * i) / ids.length - Math.PI / 2;
    return { x: mid.x + RADIUS * Math.cos(angle), y: mid.y + RADIUS * Math.sin(angle) };
  };
  return (
    <svg
      className="graph"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="group"
      aria-label={`${center.name} and ${ids.length === 1 ? '1 related entity' : `${ids.length} related entities`}`}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" />
        </marker>
      </defs>
      {relations.map((relation) => {
        const from = at(relation.subject.id);
        const to = at(relation.object.id);
        const length = Math.hypot(to.x - from.x, to.y - from.y) || 1;
        const trim = (point: { x: number; y: number }, sign: number) => ({
          x: point.x + (sign * NODE * (to.x - from.x)) / length,
          y: point.y + (sign * NODE * (to.y - from.y)) / length,
        });
        const [start, end] = [trim(from, 1), trim(to, -1)];
        return (
          <g key={relation.id} className="edge">
            <line x1={start.x} y1={start.y} x2={end.x} y2={end.y} markerEnd="url(#arrow)" />
            <text x={(from.x + to.x) / 2} y={(from.y + to.y) / 2 - 4}>
              {relation.predicate}
            </text>
          </g>
        );
      })}
      <Node point={mid} name={center.name} current />
      {ids.map((id) => (
        <Node key={id} point={at(id)} name={others.get(id)!} onOpen={() => onSelect(id)} />
      ))}
    </svg>
  );
}

function Node({
  point,
  name,
  current,
  onOpen,
}: {
  point: { x: number; y: number };
  name: string;
  current?: boolean;
  onOpen?: () => void;
}) {
  const label = name.length > 14 ? `${name.slice(0, 13)}…` : name;
  return (
    <g
      className={current ? 'node current' : 'node'}
      role={onOpen ? 'button' : undefined}
      tabIndex={onOpen ? 0 : undefined}
      aria-label={onOpen ? `Open ${name}` : undefined}
      onClick={onOpen}
      onKeyDown={(event) => onOpen && (event.key === 'Enter' || event.key === ' ') && onOpen()}
    >
      <title>{name}</title>
      <circle cx={point.x} cy={point.y} r={NODE} />
      <text x={point.x} y={point.y + 4}>
        {label}
      </text>
    </g>
  );
}
