/**
 * `npm run sim -- FILE_OR_URL [--seed N] [--until MS] [--json] [--trace OUT.ndjson] [--all]`
 *. Runs a scenario headless and prints a readable timeline, or with
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
  DISASTER_IDS,
  formatErrors,
  formatMs,
  isDisasterId,
  loadComparison,
  outOfBounds,
  reportText,
  runScenario,
  SimulationError,
  type ChallengeResult,
  type DisasterId,
  type Report,
  type ScenarioError,
  type TraceEvent,
} from '../sim';
import { comparisonTable } from './compare';
import { loadScenario } from './load-scenario';
import { echoed, terminalText } from './terminal-text';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
const USAGE = `usage: npm run sim -- FILE_OR_URL [--seed N] [--until MS] [--json] [--trace OUT.ndjson] [--all] [--grade [--against CHALLENGE]]
       npm run sim -- --compare [${DISASTER_IDS.join('|')}] [--json]

  FILE_OR_URL   a scenario file, a playground link (…#s=… or …#preset=id) or an http(s) URL of a JSON file
  --seed N      run with this seed instead of the scenario's (uint32)
  --until MS    stop at this simulated time instead of the scenario's durationMs
  --json        print only the JSON report
  --trace FILE  also write the trace, one JSON object per line
  --all         the timeline shows every event, not only the notable ones
  --compare     runs one disaster (default disk) against every protection strategy and prints RPO and RTO
  --grade       judges the run against the scenario's challenge: exit 0 when every check passes, 1 when not
  --against F   with --grade: judge against the challenge of F (the teacher's file); FILE may change only
                what that challenge makes editable`;

interface Options {
  source: string;
  /** Set by --compare: no scenario file, the strategy comparison for this disaster. */
  compare?: DisasterId;
  seed?: number;
  untilMs?: number;
  json: boolean;
  tracePath?: string;
  all: boolean;
  grade: boolean;
  against?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const options: Partial<Options> & { json: boolean; all: boolean; grade: boolean } = { json: false, all: false, grade: false };
  const integer = (flag: string, text: string | undefined, max: number): number => {
    if (text === undefined || !/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`${flag} expects a whole number from 0 to ${max}, got ${text === undefined ? 'nothing' : echoed(text)}`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '--all') options.all = true;
    else if (arg === '--grade') options.grade = true;
    else if (arg === '--against') {
      const path = argv[++i];
      if (!path) throw new UsageError('--against expects the challenge file');
      options.against = path;
    }
    else if (arg === '--seed') options.seed = integer('--seed', argv[++i], 0xffff_ffff);
    else if (arg === '--until') options.untilMs = integer('--until', argv[++i], 7 * 24 * 3600 * 1000);
    else if (arg === '--compare') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) options.compare = 'disk';
      else if (isDisasterId(next)) options.compare = argv[++i] as DisasterId;
      else throw new UsageError(`--compare takes a disaster, one of ${DISASTER_IDS.join(', ')}; got ${echoed(next)}`);
    }
    else if (arg === '--trace') {
      const path = argv[++i];
      if (!path) throw new UsageError('--trace expects a file name');
      options.tracePath = path;
    } else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${echoed(arg)}`);
    else if (options.source === undefined) options.source = arg;
    else throw new UsageError(`one scenario at a time; got ${echoed(options.source)} and ${echoed(arg)}`);
  }
  if (options.compare !== undefined) {
    if (options.source !== undefined) throw new UsageError(`--compare builds its own scenarios; drop ${echoed(options.source)}`);
    if (options.seed !== undefined || options.untilMs !== undefined || options.tracePath !== undefined || options.all) {
      throw new UsageError('--compare runs fixed scenarios with one seed; of the other options it takes only --json');
    }
    return { ...options, source: '' } as Options;
  }
  if (options.source === undefined) throw new UsageError('which scenario? give a file or a link');
  if (options.against !== undefined && !options.grade) throw new UsageError('--against goes with --grade');
  return options as Options;
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
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) err(`sim: ${error.message}\n`);
    err(`${USAGE}\n`);
    return error.message ? 2 : 0;
  }
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
