/**
 * `npm run sim -- FILE --seeds A..B [--workers N] [--json]` and `npm run sim -- --merge A.json B.json …`:
 * a sweep's summary as JSON (`--json`) or as a table, and the exit status: 1 when a safety invariant
 * broke under safe settings, 2 on bad input.
 */
import { readFileSync } from 'node:fs';
import { brokenUnderSafeSettings, formatMs, mergeSummaries, summarizeScenario, SWEEP_FIGURE_WORDS, SWEEP_FIGURES, SweepError } from '../../sim';
import type { Scenario, SweepSummary } from '../../sim';
import { echoed } from '../terminal-text';
import { defaultWorkers, runSeeds } from './pool';

type Print = (text: string) => void;

export async function sweepCommand(
  scenario: Scenario,
  seeds: { first: number; last: number },
  workers: number | undefined,
  asJson: boolean,
  out: Print,
  err: Print,
  json: Print,
): Promise<number> {
  const list = Array.from({ length: seeds.last - seeds.first + 1 }, (_, i) => seeds.first + i);
  const pool = workers ?? defaultWorkers();
  let reported = 0;
  err(`sim: sweeping "${scenario.title}" over ${list.length} seeds (${seeds.first}..${seeds.last}) on ${Math.min(pool, list.length)} worker${pool === 1 ? '' : 's'}\n`);
  const runs = await runSeeds(scenario, list, pool, (done) => {
    // Progress in tenths, on stderr, so that --json's output stays one JSON document.
    const tenth = Math.floor((done * 10) / list.length);
    if (tenth > reported) {
      reported = tenth;
      err(`sim: ${done} of ${list.length} runs\n`);
    }
  });
  const summary = summarizeScenario(scenario, runs);
  return finish(summary, asJson, out, json);
}

export function mergeCommand(files: readonly string[], asJson: boolean, out: Print, err: Print, json: Print): number {
  const parts: SweepSummary[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      err(`sim: --merge: cannot read ${echoed(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
      return 2;
    }
    try {
      parts.push(JSON.parse(text) as SweepSummary);
    } catch {
      err(`sim: --merge: ${echoed(file)} is not JSON (write summaries with --seeds … --json)\n`);
      return 2;
    }
  }
  let summary: SweepSummary;
  try {
    summary = mergeSummaries(parts);
  } catch (error) {
    if (!(error instanceof SweepError) && !(error instanceof TypeError)) throw error;
    err(`sim: --merge: ${error instanceof SweepError ? error.message : 'not a sweep summary (write summaries with --seeds … --json)'}\n`);
    return 2;
  }
  return finish(summary, asJson, out, json);
}

function finish(summary: SweepSummary, asJson: boolean, out: Print, json: Print): number {
  if (asJson) json(`${JSON.stringify(summary, null, 2)}\n`);
  else out(summaryTable(summary));
  return brokenUnderSafeSettings(summary).length > 0 ? 1 : 0;
}

const isTime = (name: string) => name.endsWith('Ms');
const cell = (name: string, value: number | null) => (value === null ? '–' : isTime(name) ? formatMs(value) : String(value));

/** The summary for a person: one row per figure, then the invariants broken and their seeds. */
export function summaryTable(summary: SweepSummary): string {
  const seeds = summary.seeds.map(([a, b]) => (a === b ? `${a}` : `${a}..${b}`)).join(', ');
  const lines = [`${summary.title}: ${summary.runs} runs, seeds ${seeds}`];
  lines.push(summary.unsafe.length === 0 ? 'Settings: the safe defaults.' : `Settings: not the safe defaults (${summary.unsafe.join(', ')}).`);
  const head = ['figure', 'min', 'median', 'p90', 'p99', 'max'];
  const rows = SWEEP_FIGURES.map((name) => {
    const s = summary.figures[name];
    return [SWEEP_FIGURE_WORDS[name], cell(name, s.min), cell(name, s.median), cell(name, s.p90), cell(name, s.p99), cell(name, s.max)];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [head, ...rows]) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  const broken = Object.entries(summary.invariants);
  if (broken.length === 0) lines.push(`Safety: every invariant held in every run.`);
  for (const [name, { runs, seeds: which }] of broken) {
    lines.push(`Safety: ${name} broke in ${runs} run${runs === 1 ? '' : 's'}: seeds ${which.slice(0, 20).map((s) => s.seed).join(', ')}${which.length > 20 ? ', …' : ''}`);
  }
  if (broken.length > 0) lines.push('Each broken seed opens as `npm run sim -- FILE --seed N`, or in the page by its link (--json lists them).');
  return `${lines.join('\n')}\n`;
}
