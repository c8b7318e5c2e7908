/**
 * Output of the AWS-CLI-style verbs: `--output json` prints the API's shape as the AWS CLI does
 * (4-space indent); `table` (the default) prints the rows a person looks for.
 */

export type OutputFormat = 'json' | 'table';

type Row = Record<string, unknown>;

const cell = (v: unknown): string => (v === undefined || v === null ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** A plain text table: a header line, a rule, one line per row. */
export function table(rows: readonly Row[], columns: readonly string[]): string {
  const data = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...data.map((d) => d[i].length)));
  const line = (cells: readonly string[]) => cells.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...data.map(line)].join('\n');
}

export function print(format: OutputFormat, json: unknown, rows: readonly Row[], columns: readonly string[]): void {
  if (format === 'json') {
    process.stdout.write(JSON.stringify(json, null, 4) + '\n');
  } else {
    process.stdout.write((rows.length > 0 ? table(rows, columns) : '(none)') + '\n');
  }
}
