/** Human-readable output of a command's results (`--json` prints one JSON line per result instead). */

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (isWordList(value)) return value.join(',');
  return JSON.stringify(value) ?? '-';
}

/** A list of words (scopes): one cell, comma-separated; other lists are not shown as fields. */
function isWordList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function table(rows: Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => value.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

function fields(record: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(record).map((key) => key.length));
  return Object.entries(record)
    .filter(([, value]) => !Array.isArray(value) || isWordList(value))
    .map(([key, value]) => `${key.padEnd(width)}  ${cell(value)}`)
    .join('\n');
}

export function formatHuman(command: string, results: unknown[]): string {
  const records = results as Record<string, unknown>[];
  if (command === 'users export') return JSON.stringify(records[0], null, 2);
  if (command === 'doctor') {
    return records
      .map(
        (finding) =>
          `${finding.ok ? (finding.warning ? 'warn' : 'ok  ') : 'FAIL'}  ${String(finding.check)}: ${String(finding.detail)}`,
      )
      .join('\n');
  }
  if (command === 'import') {
    const summary = records[0];
    const rejections = (summary.rejections as { line: number; reason: string }[]).map(
      (r) => `  line ${r.line}: ${r.reason}`,
    );
    const more = Number(summary.rejected) - rejections.length;
    return [
      fields(summary),
      ...(rejections.length ? ['rejected lines:', ...rejections] : []),
      ...(more > 0 ? [`  … and ${more} more`] : []),
    ].join('\n');
  }
  if (command.endsWith(' list')) return records.length === 0 ? '(none)' : table(records);
  const text = records.map(fields).join('\n\n');
  return records.some((record) => 'apiKey' in record)
    ? `${text}\n\nThe API key is shown only this once: store it now.`
    : text;
}
