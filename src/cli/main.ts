/**
 * `npm run sim -- FILE_OR_URL [--seed N] [--until MS] [--json] [--trace OUT.ndjson] [--all]`
 * (flags: options.ts), or a sweep over seeds (sweep/). Runs a scenario headless and prints a readable timeline, or with
 * `--json` the report alone. Exit 0 on a completed run, 2 on bad input (one short message on
 * stderr naming the field), 1 when the simulation itself failed or a graded run did not pass.
 *
 * `runCli` does it all but exit, writing through `io`, so that tests can call it in-process;
 * sim.ts is the command. Everything it prints goes through `terminalText`: a scenario's title
 * or a mistyped option can hold escape sequences, and a terminal must never obey them.
 */
import { closeSync, createWriteStream, openSync } from 'node:fs';
import {
  describe,
  formatErrors,
  formatMs,
  loadComparison,
  outOfBounds,
  reportText,
  runScenario,
  SimulationError,
  type ChallengeResult,
  type Report,
  type ScenarioError,
  type TraceEvent,
} from '../sim';
import { comparisonTable } from './compare';
import { followLesson } from './lesson';
import { mergeCommand, sweepCommand } from './sweep/command';
import { parseOptions, USAGE, UsageError, type Options } from './options';
import { loadScenario } from './load-scenario';
import { echoed, terminalText } from './terminal-text';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

function timelineLine(event: TraceEvent, all: boolean): string | null {
  const { text, notable } = describe(event);
  return notable || all ? `${formatMs(event.atMs).padStart(12)}  ${text}` : null;
}

/** Runs the command line `argv`; returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const out = (text: string) => io.out(terminalText(text));
  const err = (text: string) => io.err(terminalText(text));
  try {
    return await run(argv, out, err, io.out);
  } catch (error) {
    if (!(error instanceof SimulationError)) throw error;
    err(`sim: the simulation failed at ${formatMs(error.atMs)}: ${error.message}\n`);
    return 1;
  }
}

type Print = (text: string) => void;

async function run(argv: readonly string[], out: Print, err: Print, json: Print): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) err(`sim: ${error.message}\n`);
    err(`${USAGE}\n`);
    return error.message ? 2 : 0;
  }
  if (options.merge !== undefined) return mergeCommand(options.merge, options.json, out, err, json);
  if (options.compare !== undefined) {
    const { runComparison } = await loadComparison();
    const comparison = runComparison(options.compare);
    if (options.json) json(`${JSON.stringify(comparison, null, 2)}\n`);
    else out(comparisonTable(comparison));
    return 0;
  }
  const loaded = await loadScenario(options.source);
  if (!loaded.ok) {
    err(`sim: ${echoed(options.source)} is not a valid scenario:\n${formatErrors(loaded.errors.map(shortError))}\n`);
    return 2;
  }
  let scenario = options.seed === undefined ? loaded.scenario : { ...loaded.scenario, seed: options.seed };
  if (options.seeds !== undefined) return sweepCommand(scenario, options.seeds, options.workers, options.json, out, err, json);
  if (options.lesson) return followLesson(scenario, options.json ? json : out, options.json, err);
  let outside: string[] = [];
  if (options.against !== undefined) {
    const reference = await loadScenario(options.against);
    if (!reference.ok) {
      err(`sim: ${echoed(options.against)} is not a valid scenario:\n${formatErrors(reference.errors.map(shortError))}\n`);
      return 2;
    }
    if (!reference.scenario.challenge) {
      err(`sim: ${echoed(options.against)} has no "challenge" to grade against\n`);
      return 2;
    }
    outside = outOfBounds(reference.scenario, scenario);
    // The reference's challenge is the one judged, whatever the handed-in file says.
    scenario = { ...scenario, challenge: reference.scenario.challenge };
  } else if (options.grade && !scenario.challenge) {
    err(`sim: ${echoed(options.source)} has no "challenge" to grade\n`);
    return 2;
  }
  // Refused before the run starts: a trace that cannot be written is bad input, not a crash at the end.
  let traceFd: number | null = null;
  if (options.tracePath !== undefined) {
    try {
      traceFd = openSync(options.tracePath, 'w');
    } catch (error) {
      err(`sim: --trace: cannot write ${echoed(options.tracePath)}: ${whyNotWritable(error)}\n`);
      return 2;
    }
  }
  const trace = traceFd === null ? null : createWriteStream('', { fd: traceFd });
  let traceError: Error | null = null;
  trace?.on('error', (error) => (traceError ??= error));
  const onTrace = (event: TraceEvent) => {
    if (trace && traceError === null) trace.write(`${JSON.stringify(event)}\n`);
    if (!options.json) {
      const line = timelineLine(event, options.all);
      if (line) out(`${line}\n`);
    }
  };
  if (!options.json) out(`${scenario.title} (seed ${scenario.seed})\n`);
  let report: Report;
  try {
    report = runScenario(scenario, { onTrace, keepTrace: false, ...(options.untilMs === undefined ? {} : { untilMs: options.untilMs }) }).report;
  } finally {
    if (trace) await new Promise<void>((resolve) => trace.end(() => resolve()));
    else if (traceFd !== null) closeSync(traceFd);
  }
  if (traceError !== null) {
    err(`sim: --trace: writing ${echoed(options.tracePath ?? '')} failed: ${whyNotWritable(traceError)}\n`);
    return 2;
  }
  const verdict = options.grade ? gradeVerdict(report.challenge!, outside) : null;
  if (options.json) {
    json(reportText(report));
    for (const rule of outside) err(`sim: ${rule}\n`);
    return verdict?.passed === false ? 1 : 0;
  }
  const broken = report.invariants.filter((i) => !i.ok);
  out(`\nEnded at ${formatMs(report.durationMs)}: ${report.leaders.length} leader elections, ${report.stats.messages} messages (${report.stats.dropped} lost), ${report.stats.events} events.\n`);
  if (broken.length === 0) out(`Safety: all ${report.invariants.length} invariants held.\n`);
  for (const inv of broken) {
    out(`Safety: ${inv.name} BROKEN\n`);
    for (const v of inv.violations) out(`  ${formatMs(v.atMs)}  ${v.message}\n`);
  }
  if (verdict) {
    out(verdict.text);
    return verdict.passed ? 0 : 1;
  }
  return 0;
}

/** An error's path and message, each short enough to read on one line. */
function shortError(error: ScenarioError): ScenarioError {
  return { path: echoed(error.path), message: echoed(error.message, 400) };
}

/** Why a file cannot be written, in words: a missing folder, a folder, no permission. */
function whyNotWritable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'its folder does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** The grade in words: the goal, PASS or FAIL, and each check (and each rule broken by the handed-in file). */
function gradeVerdict(result: ChallengeResult, outside: readonly string[]): { passed: boolean; text: string } {
  const passed = result.passed && outside.length === 0;
  const lines = [`\nChallenge: ${result.goal}`, `Result: ${passed ? 'PASS' : 'FAIL'}`];
  for (const rule of outside) lines.push(`  ✗ ${rule}`);
  for (const check of result.checks) lines.push(`  ${check.ok ? '✓' : '✗'} ${check.text}`);
  return { passed, text: `${lines.join('\n')}\n` };
}
