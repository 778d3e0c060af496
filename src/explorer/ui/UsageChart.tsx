import { expect, type Call } from './api.js';
import { count, counted } from './format.js';
import { USAGE_BY_DAY } from './operations.js';
import { useRemote } from './remote.js';
import { Status } from './Status.js';

const DAYS = 14;
const DAY_MS = 86_400_000;
const [WIDTH, HEIGHT, AXIS, LABEL] = [1200, 110, 18, 16];

/** The tenant's model calls per day over the last two weeks, as bars (the tokens in each bar's tooltip). */
export function UsageChart({ call }: { call: Call }) {
  const usage = useRemote(async () => {
    const to = new Date();
    const from = new Date(to.getTime() - (DAYS - 1) * DAY_MS);
    return expect(
      (await call(USAGE_BY_DAY, { from: from.toISOString(), to: to.toISOString() })).usageByDay,
      'DailyUsage',
    ).days;
  });
  const days = usage.data ?? [];
  const most = Math.max(1, ...days.map((day) => day.calls));
  const slot = WIDTH / Math.max(1, days.length);
  const total = (pick: (day: (typeof days)[number]) => number) => count(days.reduce((sum, day) => sum + pick(day), 0));
  const calls = days.reduce((sum, day) => sum + day.calls, 0);
  return (
    <section className="panel usage" aria-label="Model usage">
      <h2>Model usage, last {DAYS} days</h2>
      {usage.data && calls === 0 && <p className="muted">No model calls.</p>}
      {usage.data && calls > 0 && (
        <>
          <p className="muted">
            {total((day) => day.calls)} calls · {total((day) => day.inputTokens)} input and{' '}
            {total((day) => day.outputTokens)} output tokens
          </p>
          <svg
            viewBox={`0 ${-LABEL} ${WIDTH} ${LABEL + HEIGHT + AXIS}`}
            role="img"
            aria-label={`Model calls per day, at most ${most}`}
          >
            {days.map((day, i) => {
              const height = (day.calls / most) * HEIGHT;
              const date = day.day.slice(5, 10);
              return (
                <g key={day.day}>
                  <rect
                    className="bar"
                    x={i * slot + 4}
                    y={HEIGHT - height}
                    width={slot - 8}
                    height={Math.max(height, 1)}
                  >
                    <title>{`${day.day.slice(0, 10)}: ${counted(day.calls, 'call')}, ${count(day.inputTokens)} input and ${count(day.outputTokens)} output tokens`}</title>
                  </rect>
                  {day.calls > 0 && (
                    <text className="value" x={i * slot + slot / 2} y={HEIGHT - height - 4} textAnchor="middle">
                      {count(day.calls)}
                    </text>
                  )}
                  <text x={i * slot + slot / 2} y={HEIGHT + AXIS - 4} textAnchor="middle">
                    {date}
                  </text>
                </g>
              );
            })}
          </svg>
        </>
      )}
      <Status loading={usage.loading} error={usage.error} />
    </section>
  );
}
