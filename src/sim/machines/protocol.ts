/**
 * The contract between a node's XState machine and the kernel that hosts it.
 *
 * A machine never does I/O. It receives `NodeEvent`s and answers with `Effect`s, which it emits
 * (XState `emit`). The kernel collects the effects of one event and performs them afterwards:
 * it sends messages through the network, arms timers on the virtual clock, draws the random part
 * of a randomized timeout from the node's own PRNG, and stamps trace events with the time and
 * the node id. What a machine keeps in `context.disk` is what survives a crash.
 */
import type { TimelineEntry } from './database/wal';

export type NodeId = string;

/** Every message a machine sends has a `type`; the rest is the protocol's own. */
export interface Message {
  readonly type: string;
}

/** What the kernel delivers to a machine. */
export type NodeEvent<M extends Message = Message> =
  | { readonly type: 'message'; readonly from: NodeId; readonly msg: M }
  | { readonly type: 'timer'; readonly name: string }
  /** A client command arriving at this node (the node answers with a `client-reply` effect). */
  | { readonly type: 'propose'; readonly cmd: string }
  /** A client write arriving at this database node (it answers with a `write-reply` effect, now or later). */
  | { readonly type: 'write'; readonly id: string }
  /**
   * A client request arriving at the load balancer (it answers with a `request-reply` effect, now or
   * later); `write` requests end in the database. A retry names the server that failed it in `avoid`.
   */
  | { readonly type: 'request'; readonly id: string; readonly write: boolean; readonly avoid?: NodeId | null }
  /** The database's answer to this API server's `db-write` (routed back by the kernel while the server lives). */
  | { readonly type: 'db-reply'; readonly id: string; readonly ok: boolean; readonly reason: string | null }
  /**
   * An operator's hand on the node, outside any protocol: `promote` a replica (scenario event
   * `promote`) to `epoch`, which the kernel takes from its one counter of epochs (absent: the
   * node's own next epoch).
   */
  | { readonly type: 'operator'; readonly action: 'promote'; readonly epoch?: number }
  /**
   * An operator's switchover where no orchestrators run, delivered to the primary: it hands the
   * primary role to its standby `to`, in `epoch` (from the kernel's one counter of epochs).
   */
  | { readonly type: 'operator'; readonly action: 'switchover'; readonly to: NodeId; readonly epoch: number }
  /**
   * Local events between two machines co-located on one node (an orchestrator agent beside its
   * Raft member, as a Patroni agent runs beside its etcd member). They never cross the network.
   * `member`: the co-located member reported this trace (its role, leadership, applied entries).
   */
  | { readonly type: 'member'; readonly event: NodeTrace }
  /** The co-located member's answer to a `local-propose`. */
  | { readonly type: 'member-reply'; readonly cmd: string; readonly accepted: boolean }
  /** The kernel's answer to a `fence` effect: the node is powered off (`ok`), or why it could not be. */
  | { readonly type: 'fence-result'; readonly node: NodeId; readonly ok: boolean; readonly reason: string }
  /**
   * The cloud's answer to a `cloud-status` effect, as a cloud API reports a machine and its volume:
   * whether it runs, whether its disk is lost, whether its data centre is dark (then nothing can be
   * said of its disk, and no machine can be started there).
   */
  | { readonly type: 'cloud-status'; readonly node: NodeId; readonly up: boolean; readonly diskLost: boolean; readonly dark: boolean };

/** Trace events a machine reports; the kernel adds `atMs` and `node`. See `src/sim/trace/trace.ts`. */
export type NodeTrace =
  | { readonly type: 'leader'; readonly term: number }
  | { readonly type: 'role'; readonly role: string; readonly term: number; readonly reason: string }
  | { readonly type: 'vote'; readonly term: number; readonly for: NodeId }
  /** The node's log from 1-based `index` on is now exactly `entries` (truncate, then append). */
  | { readonly type: 'log'; readonly index: number; readonly entries: readonly LogEntryView[] }
  /**
   * The commit index is now `index`. With `restored`, it comes from a snapshot (loaded at boot or
   * installed from the leader): the state machine's state up to `index` is the entries listed, to
   * be applied again in order (the others up to `index` are compacted away: see raft/types.ts).
   */
  | { readonly type: 'commit'; readonly index: number; readonly term: number; readonly restored?: readonly AppliedEntryView[] }
  /** The node compacted its log: entries up to `index` (of `term`) are now a snapshot keeping those at the indexes `kept`. */
  | { readonly type: 'snapshot'; readonly index: number; readonly term: number; readonly kept: readonly number[] }
  /**
   * The node replaced its log up to `index` (of `term`) with the snapshot leader `from` sent it,
   * keeping the `logAfter` entries that followed it (0: its log disagreed there, or was shorter);
   * `members` is the configuration at `index`, the one its log's config entries now start from.
   */
  | {
      readonly type: 'install-snapshot';
      readonly index: number;
      readonly term: number;
      readonly from: NodeId;
      readonly logAfter: number;
      readonly members: readonly NodeId[];
    }
  | { readonly type: 'apply'; readonly index: number; readonly term: number; readonly cmd: string }
  /** A database node starts (`on: true`) or stops accepting client writes; `epoch` is its failover epoch (timeline). */
  | { readonly type: 'writable'; readonly on: boolean; readonly epoch: number }
  /** A client write acknowledged to the client; `lsn` is where its commit record ends in the WAL. */
  | { readonly type: 'write-ack'; readonly write: string; readonly lsn: number }
  /**
   * A primary's synchronous standbys changed: acknowledged writes now wait for the flush of each
   * of `standbys`. Empty: durability is degraded, writes are acknowledged on the primary's flush
   * alone (no synchronous standby is healthy and `synchronousModeStrict` is off).
   */
  | { readonly type: 'sync'; readonly standbys: readonly NodeId[] }
  /**
   * A standby becomes primary of a new `epoch`. `flushLsn`: how far its own WAL was on disk;
   * `synchronous`: whether acknowledged writes had to be flushed on this standby first. The kernel
   * adds `highestAckedLsn` (it alone has seen every acknowledgement) before the trace records it.
   */
  | {
      readonly type: 'promoted';
      readonly epoch: number;
      readonly flushLsn: number;
      readonly synchronous: boolean;
      /** The timeline the new primary writes on: its WAL's history, the new epoch last (so a ledger can tell which writes it holds). */
      readonly history?: readonly TimelineEntry[];
    }
  /**
   * One step of an automatic database failover, as the orchestrator agent driving it tells it:
   * detect → confirm → fence → promote → redirect. `ok: false` says the step failed (a fence that
   * could not be done) or waits; `text` says what happened in words.
   */
  | {
      readonly type: 'failover';
      readonly step: FailoverStep;
      readonly from: NodeId;
      readonly to: NodeId | null;
      readonly epoch: number;
      readonly ok: boolean;
      readonly text: string;
      /** The plan was given up at this step (its target became unfit, or its epoch was used up); `text` says why. */
      readonly abandoned?: boolean;
    }
  | BackupTrace
  | ServerTrace;

/**
 * What the load balancer, the API servers and the orchestrators' server duties report.
 * `backend`: the load balancer takes `server` into rotation (`in: true`) or out of it.
 * `request-failed`: a client request failed (the server died with it in flight, no server is in rotation, …).
 * `replace`: one step of replacing a dead node (an API server by a worker, a worker or a lost
 *   database node by the leader):
 *   `detect` (its watcher saw it fail `failureThreshold` checks), `decide` (the replacement is
 *   committed in the log), `provision` (a new machine `replacement` is being started),
 *   `in-service` (the replacement answers and took over: an API server is in the load balancer's
 *   rotation, an orchestrator joined the cluster, a database node has caught up as a standby).
 * `assign`: the orchestrators' log gives `server` to `worker` to watch.
 * `text` says each in words.
 */
export type ServerTrace =
  | { readonly type: 'backend'; readonly server: NodeId; readonly in: boolean; readonly reason: string }
  | { readonly type: 'request-failed'; readonly id: string; readonly server: NodeId | null; readonly reason: string }
  | {
      readonly type: 'replace';
      readonly step: ReplaceStep;
      readonly dead: NodeId;
      readonly replacement: NodeId | null;
      readonly text: string;
    }
  | { readonly type: 'assign'; readonly server: NodeId; readonly worker: NodeId; readonly text: string };

/** `skip`: a replacement committed late is dropped, because the node it would replace answers again. */
export type ReplaceStep = 'detect' | 'decide' | 'provision' | 'in-service' | 'skip';

/**
 * A backup store finished receiving a backup from `from` (a database primary): a `full` one holds
 * the data up to `upToLsn`, an `incremental` one the WAL from `fromLsn` to `upToLsn`. `refused`
 * says, in words, why the store did not keep it (an incremental that does not follow its chain).
 */
export type BackupTrace = {
  readonly type: 'backup';
  readonly kind: 'full' | 'incremental';
  readonly store: NodeId;
  readonly from: NodeId;
  readonly fromLsn: number;
  readonly upToLsn: number;
  readonly bytes: number;
  readonly refused?: string;
};

export type FailoverStep = 'detect' | 'confirm' | 'fence' | 'promote' | 'redirect';

export interface LogEntryView {
  readonly term: number;
  readonly cmd: string;
}

/** A log entry with its 1-based index. */
export interface AppliedEntryView extends LogEntryView {
  readonly index: number;
}

/** What a machine asks the kernel to do. */
export type Effect<M extends Message = Message> =
  /**
   * Sends a message. By default it travels like a datagram: it may be lost, and random latency may
   * reorder it. `ordered` asks for a connection's order (TCP): it never arrives before an earlier
   * ordered message from the same sender to the same receiver, and it dies with its connection:
   * if the sender goes down before it arrives, it is lost (nobody is left to retransmit it).
   */
  | { readonly type: 'send'; readonly to: NodeId; readonly msg: M; readonly ordered?: boolean }
  /** Arms (or re-arms, replacing the previous one of that name) a timer that fires `afterMs` from now; at least 1. */
  | { readonly type: 'set-timer'; readonly name: string; readonly afterMs: number }
  /** Like `set-timer`, with the delay drawn uniformly from [minMs, maxMs] by the kernel's PRNG for this node. */
  | { readonly type: 'set-random-timer'; readonly name: string; readonly minMs: number; readonly maxMs: number }
  | { readonly type: 'cancel-timer'; readonly name: string }
  /** The answer to a `propose` event: taken into a leader's log, or refused with a hint where to go. */
  | { readonly type: 'client-reply'; readonly cmd: string; readonly accepted: boolean; readonly leaderHint: NodeId | null }
  /** The answer to a `write` event: acknowledged at `lsn`, or refused with a reason in words ("read-only standby"). */
  | { readonly type: 'write-reply'; readonly id: string; readonly ok: boolean; readonly lsn: number | null; readonly reason: string | null }
  | { readonly type: 'trace'; readonly event: NodeTrace }
  /** A co-located agent hands a command to its node's consensus member (answered by a `member-reply` event). */
  | { readonly type: 'local-propose'; readonly cmd: string }
  /** Power `node` off out of band (STONITH); answered by a `fence-result` event. */
  | { readonly type: 'fence'; readonly node: NodeId }
  /** The load balancer's answer to a `request` event: served by `server`, or failed with a reason in words. */
  | { readonly type: 'request-reply'; readonly id: string; readonly ok: boolean; readonly server: NodeId | null; readonly reason: string | null }
  /** An API server writes to the database through its service address, which always names the current primary; answered by a `db-reply` event. */
  | { readonly type: 'db-write'; readonly id: string }
  /**
   * Asks the cloud for a new machine named `node` (a replacement for `replaces`); it boots, empty,
   * `provisionMs` later, in the data centre of the machine it replaces. Idempotent: asking again for a node that exists or is on its way does nothing.
   */
  | { readonly type: 'provision'; readonly node: NodeId; readonly kind: 'server' | 'orchestrator' | 'database'; readonly replaces: NodeId | null }
  /** Asks the cloud's API about machine `node` (running, disk lost, data centre dark); answered by a `cloud-status` event. */
  | { readonly type: 'cloud-status'; readonly node: NodeId };

/**
 * All the effects of one step, emitted as one event: XState does work for every event a machine
 * emits, and a step often has five effects (a timer, traces, a reply). The host performs them in
 * order, exactly as if they had been emitted one by one.
 */
export interface EffectBatch<M extends Message = Message> {
  readonly type: 'effects';
  readonly effects: readonly Effect<M>[];
}

/** How the page and the report see a node at one moment, read off its machine's snapshot. */
export interface NodeView {
  /** `leader`, `follower`, `candidate`, `down`, …. */
  readonly role: string;
  readonly term: number | null;
  /** Extra facts for the inspector: vote, commit index, log length, … Plain JSON. */
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
  /** The log for the inspector, when the node has one (the last entries only, for size). */
  readonly log?: readonly LogEntryView[];
  readonly commitIndex?: number;
  /** The snapshot the log starts after (Raft log compaction): its last index and term, and how many entries it keeps. */
  readonly snapshot?: { readonly index: number; readonly term: number; readonly kept: number };
  /** A database primary's view of its standbys, like PostgreSQL's `pg_stat_replication`. */
  readonly replication?: readonly ReplicationRow[];
}

/** One standby as its primary sees it; LSNs are byte positions in the WAL. */
export interface ReplicationRow {
  readonly standby: NodeId;
  readonly mode: 'sync' | 'async';
  /** `catchup` until the standby first reaches the primary's position; `stopped` once it went silent. */
  readonly state: 'streaming' | 'catchup' | 'stopped';
  readonly sentLsn: number;
  readonly writeLsn: number;
  readonly flushLsn: number;
  readonly replayLsn: number;
  /** The primary's flushed LSN minus the standby's replayed one. */
  readonly lagBytes: number;
}

/** How to draw a message: a family for its look, and a short label. */
export interface MessageLook {
  readonly family:
    | 'vote-request'
    | 'vote'
    | 'heartbeat'
    | 'append'
    | 'append-ack'
    | 'snapshot'
    | 'election'
    | 'coordinator'
    | 'wal'
    | 'wal-ack'
    | 'health-check'
    | 'health-reply'
    | 'command'
    | 'request'
    | 'response'
    | 'other';
  readonly label: string;
}
