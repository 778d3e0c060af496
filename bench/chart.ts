import type { BenchReport } from './report.js';

/** One SVG: throughput at concurrency 32 per contender, and search latency as the table grows. */
export function renderChart(report: BenchReport): string {
  const rows = report.postgres.sideBySide.filter((row) => row.c32);
  const maxRps = Math.max(...rows.map((row) => row.c32!.rps));
  const barHeight = 22;
  const left = 300;
  const width = 1000;
  const bars = rows
    .map((row, i) => {
      const y = 50 + i * (barHeight + 8);
      const length = ((width - left - 180) * row.c32!.rps) / maxRps;
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escape(row.name)}</text>
  <rect x="${left}" y="${y}" width="${length.toFixed(1)}" height="${barHeight}" fill="${row.name.startsWith('gateway') ? '#3b6fd8' : '#9aa5b1'}"/>
  <text x="${(left + length + 6).toFixed(1)}" y="${y + 15}">${Math.round(row.c32!.rps)} rps · p50 ${row.c1.p50.toFixed(2)} ms</text>`;
    })
    .join('\n  ');

  const scaling = report.postgres.scaling;
  const top = 80 + rows.length * (barHeight + 8);
  const plotWidth = width - left - 180;
  const plotHeight = 160;
  const maxMs = Math.max(...scaling.flatMap((point) => [point.gatewayP50, point.floorP50])) * 1.2;
  const x = (i: number) => left + (scaling.length === 1 ? 0 : (plotWidth * i) / (scaling.length - 1));
  const y = (ms: number) => top + 30 + plotHeight - (plotHeight * ms) / maxMs;
  const line = (pick: (point: (typeof scaling)[number]) => number, color: string) =>
    `<polyline fill="none" stroke="${color}" stroke-width="2" points="${scaling.map((point, i) => `${x(i).toFixed(1)},${y(pick(point)).toFixed(1)}`).join(' ')}"/>` +
    scaling
      .map((point, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(pick(point)).toFixed(1)}" r="3" fill="${color}"/>`)
      .join('');
  const labels = scaling
    .map(
      (point, i) =>
        `<text x="${x(i).toFixed(1)}" y="${top + plotHeight + 50}" text-anchor="middle">${point.tableMemories.toLocaleString('en')} memories</text>`,
    )
    .join('');
  const height = top + plotHeight + 70;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
  <rect width="100%" height="100%" fill="white"/>
  <text x="10" y="25" font-size="15" font-weight="bold">Memgate bench (${escape(report.machine)}, ${report.at.slice(0, 10)}): requests/s at concurrency 32 on PostgreSQL</text>
  ${bars}
  <text x="10" y="${top + 15}" font-size="15" font-weight="bold">Search p50 (ms) for one user with 100 memories as the table grows</text>
  ${line((point) => point.gatewayP50, '#3b6fd8')}
  ${line((point) => point.floorP50, '#9aa5b1')}
  <text x="${left - 8}" y="${y(scaling[0]?.gatewayP50 ?? 0) + 4}" text-anchor="end" fill="#3b6fd8">gateway</text>
  <text x="${left - 8}" y="${y(scaling[0]?.floorP50 ?? 0) + 4}" text-anchor="end" fill="#6b7680">pg floor</text>
  ${labels}
</svg>
`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
