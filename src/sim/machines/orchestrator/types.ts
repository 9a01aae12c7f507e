/**
 * The orchestrator agent: what runs beside each Raft member to watch the database and fail it
 * over, as a Patroni agent runs beside its etcd member. It keeps nothing on disk: what it must
 * remember across a crash (which node is primary, in which epoch, a failover decided but not
 * finished) is in the Raft log, and it reads it back as the member applies it again.
 */
import type { Effect, NodeId } from '../protocol';
import type { Demote, Drain, HealthCheck, HealthReply, Promote } from '../database/types';
import type { LbAck, LbAdd, LbRemove, ServerCheck, ServerOk } from '../server/types';
import type { Settings, Topology } from '../../scenario/types';

/** A worker asks whichever agent leads to put `cmd` in the log (a follower's Raft member refuses client commands). */
export interface DutyPropose {
  readonly type: 'DutyPropose';
  readonly cmd: string;
}

/**
 * An operator's promotion or switchover of database node `node`, handed to the agent that leads
 * (as `patronictl failover` and `switchover` go through Patroni's store): it becomes a failover
 * plan in the log, so it never races an automatic one, and it is refused, with the reason, while one
 * is under way.
 */
export interface OperatorRequest {
  readonly type: 'OperatorRequest';
  readonly action: 'promote' | 'switchover';
  readonly node: NodeId;
}

export type AgentMessage = HealthCheck | HealthReply | Promote | Drain | Demote | ServerCheck | ServerOk | LbAdd | LbRemove | LbAck | DutyPropose | OperatorRequest;

/**
 * Health checks a watcher numbers, sends and times out: the database agent's (AgentContext) and the
 * servers' workers' (DutyState) alike.
 */
export interface HealthChecks {
  /** Numbers the checks, across every node watched. */
  readonly seq: number;
  /** Node → the sequence number of its health check not yet answered. */
  readonly awaiting: Readonly<Record<NodeId, number>>;
  /** Node → failed checks in a row. */
  readonly failures: Readonly<Record<NodeId, number>>;
}

/** The orchestrators' duties toward the API servers and each other (duties.ts); all but the counters is read back from the log. */
export interface DutyState extends HealthChecks {
  /** Only in scenarios with API servers (and Raft orchestrators). */
  readonly enabled: boolean;
  /** Its Raft member leads now (whatever `quorum` says: this is not the database's failover). */
  readonly leader: boolean;
  /** The orchestrator configuration, as the log's `config` entries leave it. */
  readonly members: readonly NodeId[];
  /** The API servers of the service: the initial ones, each dead one swapped for its replacement. */
  readonly servers: readonly NodeId[];
  /** Server → the worker that watches it. */
  readonly assignments: Readonly<Record<NodeId, NodeId>>;
  /** Dead node → its replacement, as decided in the log. */
  readonly replaced: Readonly<Record<NodeId, NodeId>>;
  /** Replacements the log calls in service. */
  readonly inService: Readonly<Record<NodeId, true>>;
  /** The next free numbers for new ids (`api-K`, `orch-K`). */
  readonly nextApi: number;
  readonly nextOrch: number;
  /** Nodes that have answered a check of this agent at least once. */
  readonly answered: Readonly<Record<NodeId, true>>;
  /** Servers the load balancer confirmed it lists (its `LbAck`), so the worker may stop asking. */
  readonly lbListed: Readonly<Record<NodeId, true>>;
  /** Commands this (leading) agent proposed and the log has not applied yet. */
  readonly proposed: Readonly<Record<string, true>>;
  /** Which entries its Raft member applies again after a restart (kept with or without API servers). */
  readonly replay: Replay;
}

/**
 * A restarted member reads its whole log back (the agent keeps nothing on disk), so its agent
 * applies again entries whose work was done before: it rebuilds what it knows from them but says
 * nothing about them in the trace, which tells what happens now. An entry is taken as re-read when
 * the member restarted from a disk (its first role after boot is of a term above 0) and the entry
 * is at or below the first commit index the member learns after the boot. (An entry a former
 * leader never saw committed, committed by that very index, is told nothing either: a rare case,
 * and its work is still carried out.)
 */
export interface Replay {
  /** The member's term when the agent booted; null until its first role event. */
  readonly bootTerm: number | null;
  /** Entries up to this index are re-read (0: none); null until the first commit after the boot. */
  readonly through: number | null;
  readonly lastApplied: number;
  /** The next entry applied is a re-read one (what the database's part reads, before this event's own change). */
  readonly next: boolean;
}

export type AgentEffect = Effect<AgentMessage>;

/** The orchestrators' replacement of lost database nodes (db-replacement.ts): the log's part, and what the leading agent knows. */
export interface DbReplaceState {
  /** Its Raft member leads (with `quorum` off `leading` stays false, but only the log's leader proposes replacements). */
  readonly memberLeads: boolean;
  /** Dead database node → its replacement, as the log decided (`db-replace`, undone by `db-keep`). */
  readonly replaced: Readonly<Record<NodeId, NodeId>>;
  /** Replacements the log calls in service (`db-in-service`): caught up as standbys. */
  readonly inService: Readonly<Record<NodeId, true>>;
  /** The next free number for a new database node's id, from the log. */
  readonly nextDb: number;
  /** Replacements known to exist: this agent asked the cloud for them, or they answered a check. */
  readonly provisioned: Readonly<Record<NodeId, true>>;
  /** The cloud's latest answer about each database node asked after (`cloud-status`). */
  readonly cloud: Readonly<Record<NodeId, { readonly up: boolean; readonly diskLost: boolean; readonly dark: boolean }>>;
  /** `db-*` commands proposed and not yet applied or refused. */
  readonly proposed: Readonly<Record<string, true>>;
  /**
   * Ids the log has not named that the cloud reports a machine for (an operator restored a backup
   * onto a new machine of that name): a replacement never takes one.
   */
  readonly taken: Readonly<Record<NodeId, true>>;
}

/**
 * Where a failover stands. `draining` (a switchover only): the primary takes no new writes and
 * the target catches up before it is promoted. `confirming`: proposed to the log, waiting for a majority to commit it;
 * `resuming`: taken over from an earlier leader, waiting for one health check of the target to
 * see whether it is already done; `fencing`: waiting for the kernel to power the old primary off;
 * `fence-failed`: the fence could not be done, so nothing is promoted (retried every interval);
 * `lease-wait`: fencing is off, so it waits until the old primary's lease has surely run out;
 * `promoting`: Promote sent, waiting for a health reply that shows the target writable; `done`.
 */
export type PlanStep = 'confirming' | 'resuming' | 'fencing' | 'fence-failed' | 'lease-wait' | 'draining' | 'promoting' | 'done';

/**
 * Who asked for a failover: the agents themselves (`auto`), an operator's promotion while the
 * primary fails (`manual`, carried out like an automatic one), an operator's promotion while the
 * primary is healthy (`promote`: what `pg_ctl promote` does, two writers until the old primary
 * hears of the new epoch), or an operator's `switchover`.
 */
export type PlanKind = 'auto' | 'manual' | 'promote' | 'switchover';

export interface FailoverPlan {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly epoch: number;
  /**
   * What the target held when it was chosen: its WAL up to `lsn`, of epoch `timeline`. Before each
   * step the target's latest health reply must still show it holds that (a target wiped or rewound
   * meanwhile would lose what it was chosen for): otherwise the plan is abandoned.
   */
  readonly lsn: number;
  readonly timeline: number;
  readonly kind: PlanKind;
  readonly step: PlanStep;
}

export interface AgentContext extends HealthChecks {
  readonly id: NodeId;
  readonly settings: Settings;
  readonly topology: Topology;
  /** The database nodes it watches, db-1 first; a replacement takes the place of the node it replaced (db-replacement.ts). */
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
  /**
   * The highest epoch decided in the log (failover and lease entries). A failover entry at or below
   * it was overtaken; one above it is the newest decision even when a health reply has already shown
   * its epoch (a new leader can hear the promoted node before it has applied the entry that promoted it).
   */
  readonly logEpoch: number;
  /** Numbers the health-check rounds this agent started; a lease entry names its round. */
  readonly round: number;
  /** Node → its latest health reply. */
  readonly replies: Readonly<Record<NodeId, HealthReply>>;
  /**
   * Node → the highest epoch a failover plan asked it to open (every plan the log committed, or
   * this agent's own with quorum off). Until it answers in that epoch or a newer one, a Promote may
   * still be on its way to it: an answer that it takes no writes does not show it fenced.
   */
  readonly promoteAsked: Readonly<Record<NodeId, number>>;
  /** The latest reply of the watched primary while it took writes: what it had acknowledged, and whether it had named a synchronous standby. */
  readonly lastPrimary: { readonly node: NodeId; readonly reply: HealthReply } | null;
  /**
   * The newest naming of a synchronous standby that a lease entry applied from the log carried
   * (its primary's epoch and number; `synchronousModeStrict` off). No standby whose own naming is
   * of that epoch and numbered lower may be promoted automatically: the primary stopped waiting
   * for it (or cleared its naming, durability degraded) once that entry was committed.
   */
  readonly syncLog: { readonly epoch: number; readonly gen: number } | null;
  /** The old primary's lease has surely run out: no renewal was sent for leaseMs + timeoutMs. */
  readonly leaseOver: boolean;
  /**
   * The target of a plan abandoned because it stopped answering once a Promote may have been sent
   * to it: it may have taken over unheard and take writes under the lease the Promote gave it.
   * Nobody is promoted until that lease has surely run out (`TIMER.promoteLease`) or it answers.
   */
  readonly unheardPromoted: NodeId | null;
  readonly plan: FailoverPlan | null;
  /** A failover was detected but no standby could take over (said once, not every interval). */
  readonly stalled: boolean;
  readonly duties: DutyState;
  readonly dbs: DbReplaceState;
}

/**
 * The moves of the agent's statechart (machine.ts): what a step of the rules did to the failover,
 * raised as an event once the step is done, and taken only by the states it may happen in.
 * `proposed`: a plan went to the log; `plan-in-log`: the log holds one this agent does not lead;
 * `resumed`: this agent took one over; `forgotten`: a plan not yet in the log was dropped;
 * `stepped-down`: its member stopped leading mid-failover; `drain-asked`, `fence-asked`,
 * `fence-refused`, `lease-awaited`, `promote-sent`: the plan's next step began; `redirected`: the
 * target takes writes; `completed`: the log or the target shows it done; `abandoned`: given up.
 */
export type MoveName =
  | 'proposed'
  | 'plan-in-log'
  | 'resumed'
  | 'forgotten'
  | 'stepped-down'
  | 'drain-asked'
  | 'fence-asked'
  | 'fence-refused'
  | 'lease-awaited'
  | 'promote-sent'
  | 'redirected'
  | 'completed'
  | 'abandoned';

export interface AgentMove {
  readonly type: MoveName;
}
