/**
 * The invariants' names, the shape of a violation, and the tally that keeps the first few of
 * each kind. Shared by the consensus and the database checks.
 */

/** The names every report promises (README, "The report"), in report order. */
export const CONTRACT_INVARIANTS = [
  'election-safety',
  'log-matching',
  'leader-completeness',
  'state-machine-safety',
  'single-writer',
  'no-acknowledged-write-lost',
] as const;

/** Further checks (the safety properties of the literature, and `single-leader` for comparing Raft and Bully), reported after those six. */
export const EXTRA_INVARIANTS = [
  'single-leader',
  'leader-append-only',
  'current-term-commit',
  'monotonic-terms',
  'epochs',
  'apply-order',
] as const;

export type InvariantName = (typeof CONTRACT_INVARIANTS)[number] | (typeof EXTRA_INVARIANTS)[number];

export interface Violation {
  readonly atMs: number;
  /** A whole sentence for a learner: what happened, when, on which nodes. */
  readonly message: string;
  readonly nodes: string[];
}

export interface InvariantResult {
  readonly name: string;
  readonly ok: boolean;
  /** The first `VIOLATIONS_KEPT`. */
  readonly violations: Violation[];
  readonly violationCount: number;
}

export const VIOLATIONS_KEPT = 20;

/** How the checks hand a violation to whoever keeps the tally. */
export type ReportViolation = (name: InvariantName, violation: Violation) => void;

/** The violations of one invariant: the first few in full, a count of all, and the earliest. */
export class ViolationTally {
  readonly kept: Violation[] = [];
  count = 0;
  earliest: Violation | null = null;

  add(violation: Violation): void {
    this.count++;
    if (this.kept.length < VIOLATIONS_KEPT) this.kept.push(violation);
    if (this.earliest === null || violation.atMs < this.earliest.atMs) this.earliest = violation;
  }
}

/** "12.35 s": how messages name a moment. */
export function seconds(atMs: number): string {
  return `${(atMs / 1000).toFixed(2)} s`;
}

/** "orch-1 and orch-3", "db-1, db-2 and db-3". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
