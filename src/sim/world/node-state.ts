/**
 * What the world shows of itself: each node as the page, the worker and the report see it (and,
 * from the kernel, each message on the wire). Plain data, computed by the simulation on request.
 */
import type { NodeFacts, NodeKind } from '../machines/program';
import type { NodeId, NodeView } from '../machines/protocol';
import type { RegionRole } from '../scenario/types';
import type { AgentWatch } from './agent-watch';
import type { LiveStatechart } from '../machines/statechart';

export type { InFlightMessage } from './in-flight';

export interface NodeState {
  readonly id: NodeId;
  readonly kind: NodeKind;
  readonly region: RegionRole;
  readonly up: boolean;
  readonly view: NodeView;
  /** For a node clients write to (a database node): whether it takes writes, and its epoch. */
  readonly service?: NodeFacts['service'];
  /** For an orchestrator with a failover agent beside it: what the agent watches (the page's inspector). */
  readonly watch?: AgentWatch;
  /**
   * The nodes this one health-checks right now, for the page's "who watches whom" edges: the load
   * balancer its servers, a worker the API servers assigned to it, the orchestrator leader the
   * workers. Absent or empty when it watches nobody.
   */
  readonly watches?: readonly NodeId[];
  /** For a load balancer: its servers in its own order, each in or out of rotation (as it last knew them, while it is down). */
  readonly backends?: NodeFacts['backends'];
  /** A node started during the run as the replacement of `replaces` (an API server or an orchestrator). */
  readonly replaces?: NodeId;
  /** A dead node that was replaced by `replacedBy`: it will never come back into service. */
  readonly replacedBy?: NodeId;
  /**
   * While an operator's restore from a backup store is under way onto this database node (down
   * until it is done): the store, the last WAL position the backups hold, and when it will be up.
   */
  readonly restoring?: { readonly from: NodeId; readonly readyAtMs: number; readonly upToLsn: string };
  /** While the cloud is still starting this machine (`view.role` is `provisioning`): when it will boot. */
  readonly readyAtMs?: number;
  /**
   * The timer whose running out changes this node's role, while one is armed: a Raft follower's or
   * candidate's election timer, a Bully node's wait for its coordinator. Set at `fromMs`, fires at
   * `atMs` (simulated ms) unless a heartbeat re-arms it first; absent for a leader.
   */
  readonly countdown?: { readonly name: string; readonly fromMs: number; readonly atMs: number };
  /**
   * While up: the state of each XState machine it runs (its program, then a companion agent's),
   * with the latest change and the event that caused it; drawn against the outlines the worker
   * sends once per run (`statechartsFor`).
   */
  readonly statecharts?: readonly LiveStatechart[];
}
