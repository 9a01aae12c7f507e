/**
 * The report's format: what `npm run sim --json` prints and the page downloads (README.md beside
 * this file says what each figure means). Types only, so the challenge grader, the comparison and
 * the report builder can all read a report without importing each other.
 */
import type { ChallengeResult } from '../challenge/types';
import type { NodeKind } from '../machines/program';
import type { NodeId } from '../machines/protocol';

export interface Report {
  readonly version: 1;
  readonly title: string;
  readonly seed: number;
  readonly durationMs: number;
  readonly leaders: { atMs: number; term: number; node: NodeId }[];
  readonly primaries: { atMs: number; node: NodeId }[];
  readonly failovers: { detectedAtMs: number; completedAtMs: number; from: NodeId; to: NodeId; lostWrites: number }[];
  readonly writes: { attempted: number; acknowledged: number; rejected: number; lost: number };
  readonly rpo: { lostWrites: number; lostMs: number };
  /**
   * `unavailableMs`: the time during which clients attempted writes and none was acknowledged
   * (precisely: client-downtime.ts); `noPrimaryMs`: the time during which no database node
   * accepted writes, after the first one did.
   */
  readonly rto: { unavailableMs: number; noPrimaryMs: number };
  /** Extension: `recoveries` tells each replacement, from the death of a node to its replacement in service. */
  readonly servers: { replacements: number; recoveries: Recovery[] };
  /** Extension: orchestrators replaced by the leader (a new member joined through the log). */
  readonly orchestrators: { replacements: number; recoveries: Recovery[] };
  /** Extension: lost database nodes the orchestrators replaced (a new db-K, in service once caught up as a standby). */
  readonly databases: { replacements: number; recoveries: Recovery[] };
  /** Extension: client requests through the load balancer (reads, and writes when there are API servers); `retried` counts second attempts. */
  readonly requests: { attempted: number; served: number; failed: number; retried: number };
  /**
   * Extension: synchronous replication running degraded (`synchronousModeStrict` off, no
   * synchronous standby: a `sync` trace event with no standbys). `degradedMs`: the time during
   * which a primary acknowledged writes on its own flush alone; `acknowledgedDegraded`: the writes
   * it acknowledged so (only these may be lost with that primary's disk); `lostDegraded`: of
   * `writes.lost`, those acknowledged while degraded; `degradedSinceMs`: when the degraded spell
   * still going at the end began (null: none is).
   */
  readonly durability: { degradedMs: number; acknowledgedDegraded: number; lostDegraded: number; degradedSinceMs: number | null };
  readonly invariants: { name: string; ok: boolean; violations: { atMs: number; message: string }[] }[];
  readonly nodes: { id: NodeId; kind: NodeKind; region: string; up: boolean; role: string; term: number | null }[];
  readonly stats: { events: number; messages: number; dropped: number };
  /** Extension: the scenario's challenge judged on this report, when it has one. */
  readonly challenge?: ChallengeResult;
}

/** One dead node and its replacement: when it died, when its watcher noticed, when the replacement took over. */
export interface Recovery {
  readonly node: NodeId;
  readonly replacement: NodeId;
  readonly downAtMs: number | null;
  readonly detectedAtMs: number | null;
  readonly inServiceAtMs: number | null;
  /** From its death to the replacement in service; null while it is not. */
  readonly recoveryMs: number | null;
}
