/**
 * `npm run sim -- FILE_OR_URL [--seed N] [--until MS] [--json] [--trace OUT.ndjson] [--all]`
 * (CONTRACT.md section 4). Runs a scenario headless and prints a readable timeline, or with
 * `--json` the report alone. Exit 0 on a completed run, 2 on bad input (the reason on stderr).
 */
import { createWriteStream } from 'node:fs';
import v8 from 'node:v8';
import { reportText, runScenario } from '../sim/run';
import { SimulationError } from '../sim/kernel/simulation';
import { runComparison } from '../sim/compare/compare';
import { DISASTER_IDS, isDisasterId, type DisasterId } from '../sim/compare/scenarios';
import { comparisonTable } from './compare';
import { formatErrors } from '../sim/scenario/parse';
import { describe, formatMs } from '../sim/trace/describe';
import type { TraceEvent } from '../sim/trace/trace';
import { loadScenario } from './load-scenario';
import { outOfBounds } from '../sim/challenge/grade';
import type { ChallengeResult } from '../sim/challenge/types';

// The engine's per-event objects are short-lived, but V8's allocation-site pretenuring guesses
// otherwise and a third of a long run goes to garbage collection; see src/bench/bench.ts.
v8.setFlagsFromString('--no-allocation-site-pretenuring');

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
    if (text === undefined || !/^\d+$/.test(text) || Number(text) > max) throw new UsageError(`${flag} expects a whole number from 0 to ${max}, got ${text ?? 'nothing'}`);
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
      else throw new UsageError(`--compare takes a disaster, one of ${DISASTER_IDS.join(', ')}; got ${next}`);
    }
    else if (arg === '--trace') {
      const path = argv[++i];
      if (!path) throw new UsageError('--trace expects a file name');
      options.tracePath = path;
    } else if (arg === '--help' || arg === '-h') throw new UsageError('');
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else if (options.source === undefined) options.source = arg;
    else throw new UsageError(`one scenario at a time; got ${options.source} and ${arg}`);
  }
  if (options.compare !== undefined) {
    if (options.source !== undefined) throw new UsageError(`--compare builds its own scenarios; drop ${options.source}`);
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

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`sim: ${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return error.message ? 2 : 0;
  }
  if (options.compare !== undefined) {
    const comparison = runComparison(options.compare);
    process.stdout.write(options.json ? `${JSON.stringify(comparison, null, 2)}\n` : comparisonTable(comparison));
    return 0;
  }
  const loaded = await loadScenario(options.source);
  if (!loaded.ok) {
    process.stderr.write(`sim: ${options.source} is not a valid scenario:\n${formatErrors(loaded.errors)}\n`);
    return 2;
  }
  let scenario = options.seed === undefined ? loaded.scenario : { ...loaded.scenario, seed: options.seed };
  let outside: string[] = [];
  if (options.against !== undefined) {
    const reference = await loadScenario(options.against);
    if (!reference.ok) {
      process.stderr.write(`sim: ${options.against} is not a valid scenario:\n${formatErrors(reference.errors)}\n`);
      return 2;
    }
    if (!reference.scenario.challenge) {
      process.stderr.write(`sim: ${options.against} has no "challenge" to grade against\n`);
      return 2;
    }
    outside = outOfBounds(reference.scenario, scenario);
    // The reference's challenge is the one judged, whatever the handed-in file says.
    scenario = { ...scenario, challenge: reference.scenario.challenge };
  } else if (options.grade && !scenario.challenge) {
    process.stderr.write(`sim: ${options.source} has no "challenge" to grade\n`);
    return 2;
  }
  const trace = options.tracePath ? createWriteStream(options.tracePath) : null;
  const onTrace = (event: TraceEvent) => {
    trace?.write(`${JSON.stringify(event)}\n`);
    if (!options.json) {
      const line = timelineLine(event, options.all);
      if (line) process.stdout.write(`${line}\n`);
    }
  };
  if (!options.json) process.stdout.write(`${scenario.title} (seed ${scenario.seed})\n`);
  const { report } = runScenario(scenario, { onTrace, keepTrace: false, ...(options.untilMs === undefined ? {} : { untilMs: options.untilMs }) });
  if (trace) await new Promise<void>((resolve, reject) => trace.end((error?: Error | null) => (error ? reject(error) : resolve())));
  const verdict = options.grade ? gradeVerdict(report.challenge!, outside) : null;
  if (options.json) {
    process.stdout.write(reportText(report));
    for (const rule of outside) process.stderr.write(`sim: ${rule}\n`);
    return verdict?.passed === false ? 1 : 0;
  }
  const broken = report.invariants.filter((i) => !i.ok);
  process.stdout.write(`\nEnded at ${formatMs(report.durationMs)}: ${report.leaders.length} leader elections, ${report.stats.messages} messages (${report.stats.dropped} lost), ${report.stats.events} events.\n`);
  if (broken.length === 0) process.stdout.write(`Safety: all ${report.invariants.length} invariants held.\n`);
  for (const inv of broken) {
    process.stdout.write(`Safety: ${inv.name} BROKEN\n`);
    for (const v of inv.violations) process.stdout.write(`  ${formatMs(v.atMs)}  ${v.message}\n`);
  }
  if (verdict) {
    process.stdout.write(verdict.text);
    return verdict.passed ? 0 : 1;
  }
  return 0;
}

/** The grade in words: the goal, PASS or FAIL, and each check (and each rule broken by the handed-in file). */
function gradeVerdict(result: ChallengeResult, outside: readonly string[]): { passed: boolean; text: string } {
  const passed = result.passed && outside.length === 0;
  const lines = [`\nChallenge: ${result.goal}`, `Result: ${passed ? 'PASS' : 'FAIL'}`];
  for (const rule of outside) lines.push(`  ✗ ${rule}`);
  for (const check of result.checks) lines.push(`  ${check.ok ? '✓' : '✗'} ${check.text}`);
  return { passed, text: `${lines.join('\n')}\n` };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof SimulationError) {
      process.stderr.write(`sim: the simulation failed at ${formatMs(error.atMs)}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  },
);
