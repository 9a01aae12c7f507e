/**
 * A sweep: one scenario run once per seed, summed up as distributions. Each run is boiled down to
 * a `SweepRun` (its figures and the invariants it broke); the summary keeps every run's figures,
 * sorted by seed, so that two summaries of disjoint seed ranges merge into exactly the summary of
 * one sweep over both, whatever machine or number of workers computed each part.
 */
import type { Report } from '../report/types';
import type { Scenario } from '../scenario/types';

/** The figures a sweep distributes, in the order they are printed. */
export const SWEEP_FIGURES = ['rtoMs', 'noPrimaryMs', 'rpoMs', 'lostWrites', 'failovers', 'firstLeaderMs', 'replacements'] as const;
export type SweepFigure = (typeof SWEEP_FIGURES)[number];

/** What each figure is, in words (the CLI's help and the page's histograms). */
export const SWEEP_FIGURE_WORDS: Record<SweepFigure, string> = {
  rtoMs: 'RTO: time clients saw no write succeed',
  noPrimaryMs: 'time without a primary taking writes',
  rpoMs: 'RPO: span of acknowledged writes lost',
  lostWrites: 'acknowledged writes lost',
  failovers: 'failovers',
  firstLeaderMs: 'time to the first leader',
  replacements: 'nodes replaced (servers, orchestrators, databases)',
};

export interface SweepRun {
  readonly seed: number;
  /** null: the run has no such figure (no leader was ever elected). */
  readonly figures: Record<SweepFigure, number | null>;
  /** The invariants this run broke, by name. */
  readonly broken: readonly string[];
  /** For a run that broke something: the `#s=` link of the exact run. */
  readonly link?: string;
}

export interface FigureStats {
  /** Runs that have the figure. */
  readonly runs: number;
  readonly min: number | null;
  readonly median: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly max: number | null;
}

export interface SweepSummary {
  readonly version: 1;
  readonly title: string;
  /** A fingerprint of the scenario apart from its seed: only summaries of the same scenario merge. */
  readonly scenarioHash: string;
  /** What makes the scenario's settings unsafe (empty: the safe defaults hold). */
  readonly unsafe: readonly string[];
  readonly runs: number;
  /** The seeds run, as inclusive ranges `[first, last]`, ascending. */
  readonly seeds: readonly (readonly [number, number])[];
  readonly figures: Record<SweepFigure, FigureStats>;
  /** Per invariant broken in some run: how many runs broke it and their seeds, each with its link. */
  readonly invariants: Record<string, { readonly runs: number; readonly seeds: readonly { readonly seed: number; readonly link: string }[] }>;
  /** Every run, by seed: what `merge` needs to be exact. */
  readonly perSeed: readonly SweepRun[];
}

/** A run's figures, read off its report. */
export function sweepRun(seed: number, report: Report, link: () => string): SweepRun {
  const broken = report.invariants.filter((i) => !i.ok).map((i) => i.name);
  const figures: Record<SweepFigure, number | null> = {
    rtoMs: report.rto.unavailableMs,
    noPrimaryMs: report.rto.noPrimaryMs,
    rpoMs: report.rpo.lostMs,
    lostWrites: report.writes.lost,
    failovers: report.failovers.length,
    firstLeaderMs: report.leaders[0]?.atMs ?? null,
    replacements: report.servers.replacements + report.orchestrators.replacements + report.databases.replacements,
  };
  return broken.length === 0 ? { seed, figures, broken } : { seed, figures, broken, link: link() };
}

/**
 * Why a scenario's settings are not the safe defaults, in words: the settings and operator events
 * under which losing an acknowledged write or two writers is the lesson rather than a bug.
 */
export function unsafeSettings(scenario: Scenario): string[] {
  const reasons: string[] = [];
  const { settings, topology } = scenario;
  if (!settings.fencing) reasons.push('fencing off');
  if (!settings.quorum) reasons.push('quorum off');
  if (topology.orchestrators > 0 && topology.election === 'bully') reasons.push('Bully election');
  const standbys = topology.database?.standbys ?? [];
  if (standbys.length > 0 && !standbys.some((s) => s.replication === 'sync')) reasons.push('no synchronous standby');
  if (scenario.events.some((e) => e.do === 'promote')) reasons.push('an operator promotes a standby');
  return reasons;
}

/** A scenario's fingerprint apart from its seed and its lesson text (FNV-1a over its JSON, 32 bits, hex). */
export function scenarioHash(scenario: Scenario): string {
  const { seed: _seed, steps: _steps, lessonSummary: _summary, ...rest } = scenario;
  const text = JSON.stringify(rest);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** The nearest-rank percentile of ascending `values` (p in 0…100). */
function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(values: number[]): FigureStats {
  const sorted = values.sort((a, b) => a - b);
  return {
    runs: sorted.length,
    min: sorted[0] ?? null,
    median: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? null,
  };
}

function seedRanges(seeds: readonly number[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const seed of seeds) {
    const last = ranges.at(-1);
    if (last && seed === last[1] + 1) last[1] = seed;
    else ranges.push([seed, seed]);
  }
  return ranges;
}

/** The summary of `runs` (in any order; each seed once). */
export function summarize(title: string, hash: string, unsafe: readonly string[], runs: readonly SweepRun[]): SweepSummary {
  const perSeed = [...runs].sort((a, b) => a.seed - b.seed);
  for (let i = 1; i < perSeed.length; i++) {
    if (perSeed[i]!.seed === perSeed[i - 1]!.seed) throw new SweepError(`seed ${perSeed[i]!.seed} was run twice`);
  }
  const figures = Object.fromEntries(
    SWEEP_FIGURES.map((name) => [name, stats(perSeed.flatMap((r) => (r.figures[name] === null ? [] : [r.figures[name]])))]),
  ) as Record<SweepFigure, FigureStats>;
  const invariants: Record<string, { runs: number; seeds: { seed: number; link: string }[] }> = {};
  for (const run of perSeed) {
    for (const name of run.broken) {
      const entry = (invariants[name] ??= { runs: 0, seeds: [] });
      entry.runs++;
      entry.seeds.push({ seed: run.seed, link: run.link ?? '' });
    }
  }
  return {
    version: 1,
    title,
    scenarioHash: hash,
    unsafe: [...unsafe],
    runs: perSeed.length,
    seeds: seedRanges(perSeed.map((r) => r.seed)),
    figures,
    invariants,
    perSeed,
  };
}

/** The summary of a sweep of `scenario` (its title, fingerprint and unsafe settings with the runs). */
export function summarizeScenario(scenario: Scenario, runs: readonly SweepRun[]): SweepSummary {
  return summarize(scenario.title, scenarioHash(scenario), unsafeSettings(scenario), runs);
}

/** Summaries that cannot be merged, or a malformed one, in words. */
export class SweepError extends Error {}

/** One summary of all the runs of `parts`, equal to the summary of one sweep over all their seeds. */
export function mergeSummaries(parts: readonly SweepSummary[]): SweepSummary {
  const first = parts[0];
  if (first === undefined) throw new SweepError('nothing to merge');
  for (const part of parts) {
    if (part.version !== 1 || !Array.isArray(part.perSeed)) throw new SweepError('not a sweep summary (version 1 with perSeed)');
    if (part.scenarioHash !== first.scenarioHash) {
      throw new SweepError(`summaries of different scenarios: "${first.title}" (${first.scenarioHash}) and "${part.title}" (${part.scenarioHash})`);
    }
  }
  return summarize(first.title, first.scenarioHash, first.unsafe, parts.flatMap((p) => p.perSeed));
}

/** The safety invariants broken under safe settings (the sweep's exit status is 1 when any is). */
export function brokenUnderSafeSettings(summary: SweepSummary): string[] {
  return summary.unsafe.length > 0 ? [] : Object.keys(summary.invariants);
}
