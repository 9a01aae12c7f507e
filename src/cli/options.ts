/**
 * The command line's flags: Node's `util.parseArgs` splits them into tokens (flags, their values,
 * `--flag=value`, positionals, a `--` after which everything is a file); this module checks each
 * token in order and turns the first mistake into one short sentence naming the flag. It is
 * lenient on purpose (`strict: false`): a value that starts with a dash (`--seed -5`) is still
 * taken as that flag's value and refused in words, never as a stack trace.
 */
import { parseArgs } from 'node:util';
import { DISASTER_IDS, isDisasterId, type DisasterId } from '../sim';
import { echoed } from './terminal-text';

export const USAGE = `usage: npm run sim -- FILE_OR_URL [--seed N] [--until MS] [--json] [--trace OUT.ndjson] [--all] [--grade [--against CHALLENGE]] [--lesson]
       npm run sim -- FILE_OR_URL --seeds A..B [--workers N] [--json]
       npm run sim -- --merge SUMMARY.json SUMMARY.json … [--json]
       npm run sim -- --compare [${DISASTER_IDS.join('|')}] [--json]

  FILE_OR_URL   a scenario file, a playground link (…#s=… or …#preset=id) or an http(s) URL of a JSON file
  --seed N      run with this seed instead of the scenario's (uint32)
  --until MS    stop at this simulated time instead of the scenario's durationMs
  --json        print only the JSON report
  --trace FILE  also write the trace, one JSON object per line
  --all         the timeline shows every event, not only the notable ones
  --seeds A..B  runs the scenario once per seed from A to B and prints the distributions of its figures
                (RTO, time without a primary, RPO, lost writes, failovers, first leader, replacements) and the
                seeds that broke an invariant, each with a link: exit 1 when one broke under safe settings
  --workers N   with --seeds: how many worker threads run seeds side by side (default: the machine's cores)
  --merge       merges sweep summaries (--seeds … --json) of disjoint seeds into the summary of one sweep
  --compare     runs one disaster (default disk) against every protection strategy and prints RPO and RTO
  --grade       judges the run against the scenario's challenge: exit 0 when every check passes, 1 when not
  --against F   with --grade: judge against the challenge of F (the teacher's file); FILE may change only
                what that challenge makes editable
  --lesson      follows the scenario's lesson as written (its steps' actions when each step becomes
                current) and prints whether each step's claims held: exit 0 when all did, 1 when not`;

export interface Options {
  /** The scenario file or link; empty with --compare. */
  readonly source: string;
  /** Set by --compare: no scenario file, the strategy comparison for this disaster. */
  readonly compare?: DisasterId;
  readonly seed?: number;
  readonly untilMs?: number;
  readonly json: boolean;
  readonly tracePath?: string;
  readonly all: boolean;
  readonly grade: boolean;
  readonly against?: string;
  /** Set by --lesson: follow the lesson's steps and judge their claims instead of printing the timeline. */
  readonly lesson: boolean;
  /** Set by --seeds: run once per seed, first to last inclusive. */
  readonly seeds?: { readonly first: number; readonly last: number };
  readonly workers?: number;
  /** Set by --merge: the summaries to merge; no scenario. */
  readonly merge?: readonly string[];
}

/** Bad flags, in words; an empty message asks for the usage alone (`--help`). */
export class UsageError extends Error {}

const FLAGS = {
  seed: { type: 'string' },
  until: { type: 'string' },
  json: { type: 'boolean' },
  trace: { type: 'string' },
  all: { type: 'boolean' },
  grade: { type: 'boolean' },
  against: { type: 'string' },
  lesson: { type: 'boolean' },
  compare: { type: 'boolean' },
  seeds: { type: 'string' },
  workers: { type: 'string' },
  merge: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = keyof typeof FLAGS;

const isFlag = (name: string): name is Flag => Object.hasOwn(FLAGS, name);

const SEED_MAX = 0xffff_ffff;
const UNTIL_MAX = 7 * 24 * 3600 * 1000;
/** A sweep may run at most this many seeds in one go; bigger ones split and merge (--merge). */
export const SWEEP_MAX_RUNS = 1_000_000;
const WORKERS_MAX = 256;

function seedRange(text: string | undefined): { first: number; last: number } {
  const match = text === undefined ? null : /^(\d+)\.\.(\d+)$/.exec(text);
  const first = match ? Number(match[1]) : NaN;
  const last = match ? Number(match[2]) : NaN;
  if (!match || first > SEED_MAX || last > SEED_MAX) {
    throw new UsageError(`--seeds expects a range of seeds A..B (whole numbers from 0 to ${SEED_MAX}), got ${text === undefined ? 'nothing' : echoed(text)}`);
  }
  if (last < first) throw new UsageError(`--seeds ${first}..${last} is empty: the last seed comes before the first`);
  if (last - first + 1 > SWEEP_MAX_RUNS) throw new UsageError(`--seeds asks for ${last - first + 1} runs; at most ${SWEEP_MAX_RUNS} at a time (split the range and --merge the summaries)`);
  return { first, last };
}

function wholeNumber(flag: string, text: string | undefined, max: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) > max) {
    throw new UsageError(`${flag} expects a whole number from 0 to ${max}, got ${text === undefined ? 'nothing' : echoed(text)}`);
  }
  return Number(text);
}

/** The options of `npm run sim -- …`, or a UsageError naming the first thing wrong. */
export function parseOptions(argv: readonly string[]): Options {
  const { tokens } = parseArgs({ args: [...argv], options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  let compare: DisasterId | undefined;
  let seed: number | undefined;
  let untilMs: number | undefined;
  let tracePath: string | undefined;
  let against: string | undefined;
  let json = false;
  let all = false;
  let grade = false;
  let lesson = false;
  let merge = false;
  let seeds: { first: number; last: number } | undefined;
  let workers: number | undefined;
  const positionals: string[] = [];
  /** The index of a positional that --compare took as its disaster. */
  let disasterAt = -1;

  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      if (token.index === disasterAt) continue;
      positionals.push(token.value);
      continue;
    }
    const name = token.name;
    const value = token.value;
    const written = token.inlineValue ? `${token.rawName}=${value}` : token.rawName;
    if (!isFlag(name)) throw new UsageError(`unknown option ${echoed(written)}`);
    const flag = `--${name}`;
    if (FLAGS[name].type === 'boolean' && value !== undefined && name !== 'compare') throw new UsageError(`${flag} takes no value; got ${echoed(written)}`);
    switch (name) {
      case 'help':
        throw new UsageError('');
      case 'json':
        json = true;
        break;
      case 'all':
        all = true;
        break;
      case 'grade':
        grade = true;
        break;
      case 'lesson':
        lesson = true;
        break;
      case 'seed':
        seed = wholeNumber(flag, value, SEED_MAX);
        break;
      case 'seeds':
        seeds = seedRange(value);
        break;
      case 'workers':
        workers = wholeNumber(flag, value, WORKERS_MAX);
        if (workers === 0) throw new UsageError('--workers expects at least 1');
        break;
      case 'merge':
        merge = true;
        break;
      case 'until':
        untilMs = wholeNumber(flag, value, UNTIL_MAX);
        break;
      case 'trace':
        if (!value) throw new UsageError('--trace expects a file name');
        tracePath = value;
        break;
      case 'against':
        if (!value) throw new UsageError('--against expects the challenge file');
        against = value;
        break;
      case 'compare': {
        // An optional value: `--compare=region`, `--compare region`, or nothing (the disk).
        const next = tokens[i + 1];
        const named = value ?? (next?.kind === 'positional' && next.index === token.index + 1 ? next.value : undefined);
        if (named === undefined) compare = 'disk';
        else if (isDisasterId(named)) compare = named;
        else throw new UsageError(`--compare takes a disaster, one of ${DISASTER_IDS.join(', ')}; got ${echoed(named)}`);
        if (value === undefined && named !== undefined) disasterAt = token.index + 1;
        break;
      }
    }
  }

  if (merge) {
    if (positionals.length === 0) throw new UsageError('--merge expects the sweep summaries to merge (files written by --seeds … --json)');
    if (compare !== undefined || seeds !== undefined || workers !== undefined || seed !== undefined || untilMs !== undefined || tracePath !== undefined || grade || lesson || all) {
      throw new UsageError('--merge reads summaries; of the other options it takes only --json');
    }
    return { source: '', merge: positionals, json, all, grade, lesson };
  }
  if (positionals.length > 1) throw new UsageError(`one scenario at a time; got ${echoed(positionals[0]!)} and ${echoed(positionals[1]!)}`);
  const source = positionals[0];
  if (compare !== undefined) {
    if (source !== undefined) throw new UsageError(`--compare builds its own scenarios; drop ${echoed(source)}`);
    if (seed !== undefined || untilMs !== undefined || tracePath !== undefined || all) {
      throw new UsageError('--compare runs fixed scenarios with one seed; of the other options it takes only --json');
    }
    if (lesson) throw new UsageError('--lesson follows a scenario file; --compare has none');
    return { source: '', compare, json, all, grade, lesson };
  }
  if (source === undefined) throw new UsageError('which scenario? give a file or a link');
  if (against !== undefined && !grade) throw new UsageError('--against goes with --grade');
  if (workers !== undefined && seeds === undefined) throw new UsageError('--workers goes with --seeds');
  if (seeds !== undefined) {
    if (seed !== undefined) throw new UsageError('--seeds runs many seeds; drop --seed');
    if (grade || lesson || tracePath !== undefined || all) throw new UsageError('--seeds sums many runs up; drop --grade, --lesson, --trace and --all');
  }
  if (lesson && (grade || tracePath !== undefined || untilMs !== undefined)) throw new UsageError('--lesson decides how long the run lasts and what it does; drop --grade, --trace and --until');
  return {
    source,
    json,
    all,
    grade,
    lesson,
    ...(seed === undefined ? {} : { seed }),
    ...(untilMs === undefined ? {} : { untilMs }),
    ...(tracePath === undefined ? {} : { tracePath }),
    ...(against === undefined ? {} : { against }),
    ...(seeds === undefined ? {} : { seeds }),
    ...(workers === undefined ? {} : { workers }),
  };
}
