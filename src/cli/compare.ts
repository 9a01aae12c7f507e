/**
 * `npm run sim -- --compare [disk|region]`: the strategy comparison as a table in the terminal,
 * the same figures the page shows, measured by running each strategy's scenario.
 */
import type { Comparison, ComparisonRow } from '../sim';

/** Seconds with two decimals, right-aligned in a column. */
function secondsCell(ms: number | null): string {
  return ms === null ? 'never' : `${(ms / 1000).toFixed(2)} s`;
}

const COLUMNS: readonly { readonly title: string; readonly cell: (row: ComparisonRow) => string }[] = [
  { title: 'lost writes', cell: (row) => String(row.rpoWrites) },
  { title: 'data lost', cell: (row) => secondsCell(row.rpoMs) },
  { title: 'writes failing', cell: (row) => `${secondsCell(row.rtoMs)}${row.recovered ? '' : '+'}` },
  { title: 'writes again', cell: (row) => secondsCell(row.resumedAfterMs) },
];

export function comparisonTable(comparison: Comparison): string {
  const { rows, scale } = comparison;
  const labelWidth = Math.max(8, ...rows.map((row) => row.label.length));
  const widths = COLUMNS.map((column) => Math.max(column.title.length, ...rows.map((row) => column.cell(row).length)));
  const line = (label: string, cells: readonly string[]) => [label.padEnd(labelWidth), ...cells.map((cell, i) => cell.padStart(widths[i]!))].join('  ');
  const out = [
    `${comparison.disasterLabel}: ${rows.length} strategies, ${scale.writesPerSec} writes a second, the same seed.`,
    `Time is compressed: an "hour" of a real schedule is ${scale.hourMs / 1000} s of simulated time and a "day" ${scale.dayMs / 1000} s. ` +
      `The disaster strikes at ${scale.disasterAtMs / 1000} s; an operator acts ${scale.operatorDelayMs / 1000} s later.`,
    '',
    line('strategy', COLUMNS.map((column) => column.title)),
    ...rows.map((row) => line(row.label, COLUMNS.map((column) => column.cell(row)))),
    '',
    'lost writes, data lost: the RPO (acknowledged writes gone, and the time they span); writes failing: the RTO',
    '(time clients tried to write and none was acknowledged; + if no database accepted writes at the end);',
    'writes again: from the disaster to the first confirmed write.',
    '',
    ...rows.map((row) => `${row.label}: ${row.notes}`),
    '',
    comparison.reading,
  ];
  return `${out.join('\n')}\n`;
}
