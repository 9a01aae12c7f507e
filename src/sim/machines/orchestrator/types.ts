/**
 * The orchestrator agent: what runs beside each Raft member to watch the database and fail it
 * over, as a Patroni agent runs beside its etcd member. It keeps nothing on disk: what it must
 * remember across a crash (which node is primary, in which epoch, a failover decided but not
 * finished) is in the Raft log, and it reads it back as the member applies it again.
 */
import type { Effect, NodeId } from '../protocol';
import type { HealthCheck, HealthReply, Promote } from '../database/types';
import type { Settings, Topology } from '../../scenario/types';

export type AgentMessage = HealthCheck | HealthReply | Promote;

export type AgentEffect = Effect<AgentMessage>;

/**
 * Where a failover stands. `confirming`: proposed to the log, waiting for a majority to commit it;
 * `resuming`: taken over from an earlier leader, waiting for one health check of the target to
 * see whether it is already done; `fencing`: waiting for the kernel to power the old primary off;
 * `fence-failed`: the fence could not be done, so nothing is promoted (retried every interval);
 * `lease-wait`: fencing is off, so it waits until the old primary's lease has surely run out;
 * `promoting`: Promote sent, waiting for a health reply that shows the target writable; `done`.
 */
export type PlanStep = 'confirming' | 'resuming' | 'fencing' | 'fence-failed' | 'lease-wait' | 'promoting' | 'done';

export interface FailoverPlan {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly epoch: number;
  readonly step: PlanStep;
}

export interface AgentContext {
  readonly id: NodeId;
  readonly settings: Settings;
  readonly topology: Topology;
  /** The database nodes it watches, db-1 first. */
  readonly databases: readonly NodeId[];
  /** False without a database (or without orchestrators): the agent then does nothing at all. */
  readonly active: boolean;
  /** Its Raft member leads (with quorum off every agent acts on its own, leader or not). */
  readonly leading: boolean;
  /** The Raft term in which its member leads (0 before it first leads). */
  readonly term: number;
  /** The database node it believes is primary, and that primary's epoch. */
  readonly primary: NodeId;
  readonly epoch: number;
  /** The highest epoch seen anywhere (log or health replies): a new failover takes the next one. */
  readonly highestEpoch: number;
  /** Numbers the health-check rounds this agent started; a lease entry names its round. */
  readonly round: number;
  readonly seq: number;
  /** Node → the sequence number of its health check not yet answered. */
  readonly awaiting: Readonly<Record<NodeId, number>>;
  /** Node → failed checks in a row. */
  readonly failures: Readonly<Record<NodeId, number>>;
  /** Node → its latest health reply. */
  readonly replies: Readonly<Record<NodeId, HealthReply>>;
  /** The old primary's lease has surely run out: no renewal was sent for leaseMs + timeoutMs. */
  readonly leaseOver: boolean;
  readonly plan: FailoverPlan | null;
  /** A failover was detected but no standby could take over (said once, not every interval). */
  readonly stalled: boolean;
}
