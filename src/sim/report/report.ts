/**
 * The report of a run (CONTRACT.md section 4): what `npm run sim --json` prints and what the page
 * downloads. Built from the trace and the final state only, so the CLI and the page, running
 * the same scenario and seed, produce the same bytes.
 */
import type { InvariantResult } from '../check/invariants';
import type { NodeId } from '../machines/protocol';
import type { NodeKind } from '../machines/program';
import type { Scenario } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';

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
  readonly rto: { unavailableMs: number };
  readonly servers: { replacements: number };
  readonly invariants: { name: string; ok: boolean; violations: { atMs: number; message: string }[] }[];
  readonly nodes: { id: NodeId; kind: NodeKind; region: string; up: boolean; role: string; term: number | null }[];
  readonly stats: { events: number; messages: number; dropped: number };
}

export interface ReportEnd {
  readonly scenario: Scenario;
  readonly endMs: number;
  readonly invariants: readonly InvariantResult[];
  readonly nodes: Report['nodes'];
  readonly stats: Report['stats'];
  readonly writes: Report['writes'];
  readonly rpo: Report['rpo'];
  readonly rto: Report['rto'];
  readonly failovers: Report['failovers'];
}

/**
 * Gathers the report's figures while the run goes, one trace event at a time, so a long run
 * need not keep its whole trace in memory to be reported.
 */
export class ReportBuilder {
  private readonly leaders: Report['leaders'] = [];
  private readonly primaries: Report['primaries'] = [];

  observe(event: TraceEvent): void {
    if (event.type === 'leader') this.leaders.push({ atMs: event.atMs, term: event.term, node: event.node });
    else if (event.type === 'writable' && event.on) this.primaries.push({ atMs: event.atMs, node: event.node });
  }

  build({ scenario, endMs, invariants, nodes, stats, writes, rpo, rto, failovers }: ReportEnd): Report {
    return {
      version: 1,
      title: scenario.title,
      seed: scenario.seed,
      durationMs: endMs,
      leaders: [...this.leaders],
      primaries: [...this.primaries],
      failovers,
      writes,
      rpo,
      rto,
      servers: { replacements: 0 },
      invariants: invariants.map((r) => ({ name: r.name, ok: r.ok, violations: r.violations.map((v) => ({ atMs: v.atMs, message: v.message })) })),
      nodes,
      stats,
    };
  }
}
