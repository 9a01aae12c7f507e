/**
 * The moment a lesson's claims and live values are judged on: what the page shows at one
 * simulated time (each node's kind, role, term and whether it takes writes; the meters; the
 * safety checks; the nodes last crashed and restarted). The worker builds it from its Simulation
 * for each frame and the command line from its own, with this one function, so a claim judged on
 * screen and by `npm run sim --lesson` reads the same facts.
 */
import type { NodeId } from '../machines/protocol';
import type { NodeKind } from '../machines/program';
import type { Simulation } from '../world/simulation';
import type { ClaimMeter } from '../scenario/types';

export interface MomentNode {
  readonly id: NodeId;
  readonly kind: NodeKind;
  readonly up: boolean;
  /** The role word on its card: `leader`, `follower`, `candidate`, `primary`, `standby`, … */
  readonly role: string;
  readonly term: number | null;
  /** A database node that takes client writes now. */
  readonly writable: boolean;
  /** A dead node replaced by this one: it never comes back. */
  readonly replacedBy?: NodeId;
}

export interface LessonMoment {
  readonly nowMs: number;
  readonly nodes: readonly MomentNode[];
  /** Each figure a `meter` claim reads; absent when the scenario has no such meter. */
  readonly meters: Readonly<Partial<Record<ClaimMeter, number>>>;
  /** Since when clients' writes have been failing with none acknowledged since; null while they succeed (or none are sent). */
  readonly writesFailingSinceMs: number | null;
  /** Each safety check: whether it holds so far. */
  readonly invariants: readonly { readonly name: string; readonly ok: boolean }[];
  readonly lastCrashed: NodeId | null;
  readonly lastRestarted: NodeId | null;
  /** The settings a claim's "why" may cite: a Raft leader steps down without a majority only with CheckQuorum. */
  readonly checkQuorum: boolean;
  /** How many orchestrators the cluster counts (its majority is half of these, plus one). */
  readonly orchestrators: number;
}

/** The moment a Simulation stands at. */
export function lessonMoment(sim: Simulation): LessonMoment {
  const nodes = sim.nodes().map((n): MomentNode => {
    const node: MomentNode = { id: n.id, kind: n.kind, up: n.up, role: n.view.role, term: n.view.term, writable: n.up && n.service?.writable === true };
    return n.replacedBy === undefined ? node : { ...node, replacedBy: n.replacedBy };
  });
  const m = sim.meters();
  const term = Math.max(0, ...nodes.filter((n) => n.kind === 'orchestrator' && n.up).map((n) => n.term ?? 0));
  const hasWrites = sim.scenario.topology.database !== null;
  const hasRequests = sim.scenario.topology.servers > 0;
  const meters: Partial<Record<ClaimMeter, number>> = {
    term,
    ...(hasWrites
      ? {
          attemptedWrites: m.writes.attempted,
          acknowledgedWrites: m.writes.acknowledged,
          rejectedWrites: m.writes.rejected,
          lostWrites: m.writes.lost,
          rpoWrites: m.rpo.lostWrites,
          rpoMs: m.rpo.lostMs,
          unavailableMs: m.unavailableMs,
          noPrimaryMs: m.noPrimaryMs,
        }
      : {}),
    ...(hasRequests
      ? {
          requestsAttempted: m.requests.attempted,
          requestsServed: m.requests.served,
          requestsFailed: m.requests.failed,
          requestsRetried: m.requests.retried,
        }
      : {}),
  };
  const hands = sim.hands();
  return {
    nowMs: sim.nowMs,
    nodes,
    meters,
    writesFailingSinceMs: m.writesFailingSinceMs,
    invariants: sim.invariants().map((r) => ({ name: r.name, ok: r.ok })),
    lastCrashed: hands.lastCrashed,
    lastRestarted: hands.lastRestarted,
    checkQuorum: sim.currentSettings().checkQuorum,
    orchestrators: nodes.filter((n) => n.kind === 'orchestrator' && n.replacedBy === undefined && n.role !== 'provisioning').length,
  };
}

/** The orchestrator that leads now (the highest term, if a stale leader lingers), or null. */
export function leaderOf(moment: LessonMoment): MomentNode | null {
  let best: MomentNode | null = null;
  for (const n of moment.nodes) {
    if (n.up && n.kind === 'orchestrator' && n.role === 'leader' && (best === null || (n.term ?? 0) > (best.term ?? 0))) best = n;
  }
  return best;
}

/** The database nodes taking writes now. */
export function writersOf(moment: LessonMoment): MomentNode[] {
  return moment.nodes.filter((n) => n.kind === 'database' && n.writable);
}
