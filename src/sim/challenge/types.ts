/**
 * A challenge: a goal a learner must reach by changing a scenario (its settings, say), checked
 * against the report of the run. The same check runs in the page and in `npm run sim --grade`, so
 * a teacher can grade the scenario files a class hands in.
 */

/** The report figures a check may read: counts and times, each a number in the report. */
export const REPORT_FIGURES = [
  'writes.attempted',
  'writes.acknowledged',
  'writes.rejected',
  'writes.lost',
  'rpo.lostWrites',
  'rpo.lostMs',
  'rto.unavailableMs',
  'rto.noPrimaryMs',
  'servers.replacements',
  'orchestrators.replacements',
  'databases.replacements',
  'requests.attempted',
  'requests.served',
  'requests.failed',
  'requests.retried',
  'leaders.count',
  'primaries.count',
  'failovers.count',
] as const;

export type ReportFigure = (typeof REPORT_FIGURES)[number];

/** The parts of a scenario a learner may change to meet the goal; everything else must stay as the teacher wrote it. */
export const EDITABLE_PARTS = ['topology', 'settings', 'workload'] as const;
export type EditablePart = (typeof EDITABLE_PARTS)[number];

export type ChallengeCheck =
  /** A report figure within bounds: `atMost`, `atLeast`, or exactly `equals`. */
  | { readonly figure: ReportFigure; readonly atMost?: number; readonly atLeast?: number; readonly equals?: number }
  /** A safety property held (`ok: true`) or, to show a lesson, broke (`ok: false`). */
  | { readonly invariant: string; readonly ok: boolean };

export interface Challenge {
  /** The goal in words, shown to the learner ("lose no acknowledged write when the primary's disk fails"). */
  readonly goal: string;
  readonly checks: readonly ChallengeCheck[];
  /** What the learner may change (default: settings only). */
  readonly editable: readonly EditablePart[];
}

export interface CheckResult {
  readonly ok: boolean;
  /** In words: "writes.lost is 12; the goal is at most 0". */
  readonly text: string;
}

export interface ChallengeResult {
  readonly goal: string;
  readonly passed: boolean;
  readonly checks: readonly CheckResult[];
}
