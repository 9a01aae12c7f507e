/**
 * The safety-invariant checker. It reads a run's trace, event by event, never the machines'
 * internals, and says in words when a safety property broke: the six every report promises
 * (src/sim/report/README.md), the further checks of the literature, and `single-leader`
 * (leadership-checks.ts), which tells a Bully split brain from Raft's one leader.
 *
 * It is incremental so that the page can show a violation the moment it happens, and cheap
 * per event (logs are mirrored entry by entry, never copied) so that it can watch every event
 * of a long run.
 */
import { DEFAULT_TOPOLOGY } from '../scenario/defaults';
import type { Topology } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';
import { ConsensusChecks } from './consensus-checks';
import { DatabaseChecks } from './database-checks';
import { LeadershipChecks } from './leadership-checks';
import {
  CONTRACT_INVARIANTS,
  EXTRA_INVARIANTS,
  type InvariantName,
  type InvariantResult,
  type Violation,
  VIOLATIONS_KEPT,
  ViolationTally,
} from './violations';

export { CONTRACT_INVARIANTS, EXTRA_INVARIANTS };
export type { InvariantName, InvariantResult, Violation };

const ALL_INVARIANTS: readonly InvariantName[] = [...CONTRACT_INVARIANTS, ...EXTRA_INVARIANTS];

export class InvariantChecker {
  private readonly tallies = new Map<InvariantName, ViolationTally>(
    ALL_INVARIANTS.map((name) => [name, new ViolationTally()]),
  );
  private readonly consensus = new ConsensusChecks((name, violation) => this.record(name, violation));
  private readonly database = new DatabaseChecks((name, violation) => this.record(name, violation));
  private readonly leadership: LeadershipChecks;
  private lastAtMs = 0;

  /**
   * `topology` says how the orchestrators elect (`single-leader` judges a Raft leader and a Bully
   * coordinator differently) and which of them form Raft's first configuration. The kernel
   * passes its scenario's; a hand-written trace may rely on the default (three Raft orchestrators).
   */
  constructor(topology: Topology = DEFAULT_TOPOLOGY) {
    this.leadership = new LeadershipChecks((name, violation) => this.record(name, violation), topology);
  }

  observe(event: TraceEvent): void {
    this.lastAtMs = Math.max(this.lastAtMs, event.atMs);
    switch (event.type) {
      case 'leader':
      case 'role':
      case 'vote':
      case 'log':
        this.consensus.observe(event);
        return this.leadership.observe(event);
      case 'commit':
      case 'apply':
      case 'snapshot':
        return this.consensus.observe(event);
      case 'install-snapshot':
        this.consensus.observe(event);
        return this.leadership.observe(event);
      case 'writable':
      case 'write-ack':
      case 'sync':
      case 'promoted':
      case 'restore':
        return this.database.observe(event);
      case 'down':
        this.leadership.observe(event);
        this.consensus.observe(event);
        return this.database.observe(event);
      case 'up':
        this.consensus.observe(event);
        return this.database.observe(event);
    }
  }

  /**
   * Every invariant, the six every report promises first, in their order. An overlap still open (two writers,
   * two leaders) is judged against `nowMs`: the run's end for a report, the moment on screen for
   * the page. Without it, against the latest event seen, which may be the very moment the
   * overlap began and so no overlap at all.
   */
  results(nowMs?: number): InvariantResult[] {
    const open = this.openViolations(nowMs);
    return ALL_INVARIANTS.map((name) => {
      const tally = this.tallyOf(name);
      const extra = open.get(name) ?? [];
      const violations = [...tally.kept, ...extra].slice(0, VIOLATIONS_KEPT);
      const violationCount = tally.count + extra.length;
      return { name, ok: violationCount === 0, violations, violationCount };
    });
  }

  /** The earliest violation in simulated time; on a tie, the one listed first in `results()`. */
  firstViolation(nowMs?: number): (Violation & { name: string }) | null {
    let first: (Violation & { name: string }) | null = null;
    const consider = (name: InvariantName, violation: Violation | null): void => {
      if (violation !== null && (first === null || violation.atMs < first.atMs)) first = { ...violation, name };
    };
    for (const name of ALL_INVARIANTS) consider(name, this.tallyOf(name).earliest);
    for (const [name, violations] of this.openViolations(nowMs)) for (const violation of violations) consider(name, violation);
    return first;
  }

  /** Overlaps still going on at `nowMs` (never before the latest event): two writers, two leaders. */
  private openViolations(nowMs: number | undefined): Map<InvariantName, Violation[]> {
    const atMs = Math.max(this.lastAtMs, nowMs ?? 0);
    return new Map<InvariantName, Violation[]>([
      ['single-writer', this.database.openViolations(atMs)],
      ['single-leader', this.leadership.openViolations(atMs)],
    ]);
  }

  private record(name: InvariantName, violation: Violation): void {
    this.tallyOf(name).add(violation);
  }

  private tallyOf(name: InvariantName): ViolationTally {
    const tally = this.tallies.get(name);
    if (tally === undefined) throw new Error(`InvariantChecker: unknown invariant ${name}`);
    return tally;
  }
}
