/**
 * The replicated database's wire messages, what a database node keeps on disk, and the machine's
 * context. Modelled on PostgreSQL streaming replication: a write-ahead log (WAL) addressed by
 * byte positions (LSNs), timelines that we call epochs, and `pg_stat_replication`'s positions.
 */
import type { Effect, NodeId } from '../protocol';
import type { ReplicationMode, Settings, Topology } from '../../scenario/types';
import type { BackupData } from '../backup/types';
import type { DataLost, LeaseRenew, LockRequest, WitnessReply } from '../witness/types';
import type { TimelineEntry, WalRecord } from './wal';

// The WAL's records and timeline live with the WAL (wal.ts), which every other part may import.
export type { TimelineEntry, WalRecord } from './wal';

export type DatabaseRole = 'primary' | 'standby' | 'demoted' | 'rebuilding';

/**
 * What survives a crash: only flushed WAL. `wal` holds the retained records after `walStartLsn`
 * up to `flushLsn`; what lies before `walStartLsn` is in the data files, no longer as records.
 */
export interface DatabaseDisk {
  /** The newest epoch this node knows of (it refuses anything older). */
  readonly epoch: number;
  /** The timeline history of the WAL it holds, oldest first; empty for an empty node. */
  readonly history: readonly TimelineEntry[];
  readonly role: DatabaseRole;
  readonly upstream: NodeId | null;
  readonly walStartLsn: number;
  readonly flushLsn: number;
  readonly wal: readonly WalRecord[];
  /** Numbers this node's streaming requests, so that answers to an older one can be told apart. */
  readonly session: number;
  /** Set by the kernel on a disk restored from a backup: how, in words (shown on the next boot only). */
  readonly restoredFrom?: string;
  /**
   * The latest naming of the synchronous standby this node knows (a primary's own, a standby's
   * from its primary). Kept on disk, as Patroni keeps `/sync` in its store: a named standby that
   * restarts still says it was named, so it stays promotable without loss.
   */
  readonly sync?: SyncNaming | null;
}

// ---- messages -------------------------------------------------------------------------------

/** A standby asks its primary to stream WAL from `fromLsn` (everything it has received). */
export interface StreamStart {
  readonly type: 'StreamStart';
  readonly epoch: number;
  readonly session: number;
  readonly fromLsn: number;
  readonly flushLsn: number;
  /** The standby finished copying a base backup and wants the copy's end position. */
  readonly afterBaseBackup: boolean;
  /** The standby's data directory is empty (wiped, or cleared for a rebuild): it needs a base backup. */
  readonly empty?: boolean;
}

/** WAL from a primary. With no records it is a keepalive, or an announcement "I am the primary of `epoch`". */
export interface WalData {
  readonly type: 'WalData';
  readonly epoch: number;
  readonly history: readonly TimelineEntry[];
  /** The session of the StreamStart this belongs to; 0 when the receiver is not streaming from us. */
  readonly session: number;
  /** The records follow the WAL byte position `fromLsn`. */
  readonly fromLsn: number;
  readonly records: readonly WalRecord[];
  /** The primary's flushed position, for the standby's lag. */
  readonly primaryLsn: number;
  /** The receiver has a streaming session with the sender; if false, it should ask for one. */
  readonly streaming: boolean;
  /** The end of a base backup: the receiver's data is now a copy of the primary's up to `fromLsn`. */
  readonly baseBackup: boolean;
  /** The primary's synchronous standby as it names it now (only where it may change one; absent or null otherwise). */
  readonly sync?: SyncNaming | null;
}

/**
 * A primary names its synchronous standby (Patroni's synchronous_mode), and may name another one
 * later. Namings are numbered within the primary's epoch, so that a standby's acknowledgement can
 * say which one it has heard of.
 */
export interface SyncNaming {
  /**
   * The synchronous standby; null: the primary cleared its naming because no standby was fit
   * (`synchronousModeStrict` off). Once the agents have committed that clearing to their log the
   * primary acknowledges writes on its own flush (durability degraded), and no standby named
   * before it may be promoted automatically.
   */
  readonly standby: NodeId | null;
  readonly epoch: number;
  readonly gen: number;
}

export interface WalAck {
  readonly type: 'WalAck';
  readonly epoch: number;
  readonly session: number;
  readonly writeLsn: number;
  readonly flushLsn: number;
  readonly replayLsn: number;
  /** The number (`SyncNaming.gen`) of the latest naming of the synchronous standby it has heard of, whoever it names; 0 for none. */
  readonly syncGen: number;
}

/** The WAL a standby asked for has been recycled: it must be rebuilt from a base backup of `dataBytes`. */
export interface WalGone {
  readonly type: 'WalGone';
  readonly epoch: number;
  readonly oldestLsn: number;
  readonly dataBytes: number;
  /** The asker's disk is empty (it was wiped): it needs a base backup whatever WAL is kept. */
  readonly empty?: boolean;
}

/**
 * Become the primary of `epoch` (from an orchestrator or a witness). `minLsn`, `timeline`: what the
 * sender chose this node for, that it holds the WAL up to `minLsn` of epoch `timeline`; a node that
 * no longer does (its disk was wiped, it rewound) refuses, so an empty node is never promoted.
 */
export interface Promote {
  readonly type: 'Promote';
  readonly epoch: number;
  readonly minLsn?: number;
  readonly timeline?: number;
  /** Sent by a primary handing over to this standby in an operator's switchover (no orchestrators). */
  readonly switchover?: boolean;
  /** With a witness: the primary that hands over and its epoch then, for the witness to check the lock has not moved since. */
  readonly handedBy?: { readonly node: NodeId; readonly epoch: number };
}

/** A switchover: the primary of `epoch` stops taking new writes but keeps streaming, so a standby can catch up before it is promoted. */
export interface Drain {
  readonly type: 'Drain';
  readonly epoch: number;
  /** The standby that will take over, for the reason it gives. */
  readonly to: NodeId;
}

/** Epoch `epoch` has begun with `primary` (null: not yet known): stop writing and follow it. */
export interface Demote {
  readonly type: 'Demote';
  readonly epoch: number;
  readonly primary: NodeId | null;
}

/** Are you alive? `lease: true` also renews the primary's lease (Patroni's leader key). */
export interface HealthCheck {
  readonly type: 'HealthCheck';
  readonly seq: number;
  readonly lease?: boolean;
  /**
   * With `lease`: the primary's naming of its synchronous standby (its epoch and number) that the
   * lease entry just committed to the orchestrators' log carried. Namings numbered lower in that
   * epoch can no longer get a standby promoted automatically.
   */
  readonly sync?: { readonly epoch: number; readonly gen: number };
  /**
   * The database nodes the orchestrators replaced, as their log has it: dead node → its replacement
   * (absent while none was). A node learns its peers from it, as Patroni members learn each other
   * from the store: the replacement joins them, the retired node leaves.
   */
  readonly replaced?: Readonly<Record<NodeId, NodeId>>;
}

/** The number of a health reply nobody asked for: a node's announcement that it is back (boot.ts). */
export const ANNOUNCEMENT_SEQ = 0;

export interface HealthReply {
  readonly type: 'HealthReply';
  readonly seq: number;
  readonly role: DatabaseRole;
  readonly epoch: number;
  readonly writable: boolean;
  readonly flushLsn: number;
  readonly replayLsn: number;
  /**
   * A standby: acknowledged writes wait for its flush (it was named the synchronous standby, or the
   * topology makes it one). Absent when a node does not say; the reader then goes by the topology.
   */
  readonly synchronous?: boolean;
  /** The naming of the synchronous standby this node knows: a primary's own, a standby's latest from its primary. */
  readonly sync?: SyncNaming | null;
  /** The timeline history of the WAL it holds (empty: no data), so a failover can tell whose WAL it is. */
  readonly history?: readonly TimelineEntry[];
  /** A primary's highest acknowledged LSN (see `DatabaseContext.ackedLsn`). */
  readonly ackedLsn?: number;
}

export type DatabaseMessage =
  | StreamStart
  | WalData
  | WalAck
  | WalGone
  | Promote
  | Drain
  | Demote
  | HealthCheck
  | HealthReply
  | BackupData
  | LeaseRenew
  | LockRequest
  | WitnessReply
  | DataLost;

export type DatabaseEffect = Effect<DatabaseMessage>;

// ---- context --------------------------------------------------------------------------------

/** The primary's bookkeeping of one standby's stream (a `pg_stat_replication` row). */
export interface StandbyStream {
  readonly session: number;
  readonly state: 'streaming' | 'catchup' | 'stopped';
  /** The highest LSN sent in this session. */
  readonly sentLsn: number;
  /** Where the next batch starts; falls back to `writeLsn` when WAL seems lost on the way. */
  readonly nextLsn: number;
  readonly writeLsn: number;
  readonly flushLsn: number;
  readonly replayLsn: number;
  /** Sender ticks since the standby last acknowledged anything (reset when WAL is sent again, for the resend rule). */
  readonly silentTicks: number;
  /** Sender ticks since the standby last acknowledged anything, whatever was sent meanwhile: whether it is still connected. */
  readonly quietTicks: number;
  /** `WalAck.syncGen` of its latest acknowledgement: the latest naming it has heard of. */
  readonly knownGen: number;
}

/** A client write waiting for its commit to be acknowledged. */
export interface PendingWrite {
  readonly id: string;
  readonly lsn: number;
}

/** Where a standby being rebuilt is: asked to stream, copying the backup, or waiting for the copy's end. */
export type RebuildPhase = 'asking' | 'copying' | 'copied';

/**
 * The machine's context. `wal` and `pending` are mutated in place (append, trim, truncate) so a
 * write costs O(1); everything else is replaced. `wal` may run ahead of `flushLsn`: the unflushed
 * tail is what a crash loses.
 */
export interface DatabaseContext {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly settings: Settings;
  readonly topology: Topology;
  readonly epoch: number;
  readonly history: readonly TimelineEntry[];
  readonly upstream: NodeId | null;
  readonly wal: WalRecord[];
  readonly walStartLsn: number;
  readonly writeLsn: number;
  readonly flushLsn: number;
  readonly replayLsn: number;
  readonly flushArmed: boolean;
  readonly writable: boolean;
  /** A primary promoted by hand answers to nobody's lease until an orchestrator renews it. */
  readonly leaseWaived: boolean;
  readonly pending: PendingWrite[];
  readonly streams: Readonly<Record<NodeId, StandbyStream>>;
  readonly session: number;
  /** The upstream's flushed position as last heard (a standby's lag). */
  readonly primaryLsn: number;
  readonly ticks: number;
  readonly rebuildPhase: RebuildPhase;
  readonly backupMs: number;
  /** Why the node is in its role, in words. */
  readonly reason: string;
  /** First boot of a new node (not a restart, not after a wipe): db-1 then opens as primary. */
  readonly freshBoot: boolean;
  /** Booted on a wiped disk and holds no data yet: it must copy a base backup before it can stream. */
  readonly wiped: boolean;
  /** The intended role; the machine's state follows it. */
  readonly role: DatabaseRole;
  /** A primary's backup schedule (only with `topology.backups`): backups taken since it became primary. */
  readonly backupCount: number;
  /** How the node's data came back from a backup, in words, when it did (see `DatabaseDisk.restoredFrom`). */
  readonly restoredFrom: string | null;
  /** Store → the LSN its last backup from this primary ended at (absent: the next one is full). */
  readonly shippedLsn: Readonly<Record<NodeId, number>>;
  /** Store → the backup on its way (it is sent when its `backup-ship:` timer fires). */
  readonly backupOutbox: Readonly<Record<NodeId, BackupData>>;
  /** A primary's naming of its synchronous standby; a standby's latest naming heard from its primary. */
  readonly sync: SyncNaming | null;
  /** A primary's choice of the next synchronous standby, not yet named: it must first hold every acknowledged write. */
  readonly syncNext: NodeId | null;
  /**
   * Standbys a primary named earlier in its epoch that have not yet acknowledged hearing of a later
   * naming: they may still believe they are the synchronous one, so every write waits for them too.
   */
  readonly syncFormers: readonly NodeId[];
  /** A primary's highest acknowledged LSN (from its promotion on, everything it held: its predecessor may have acknowledged it; a former primary taking writes again counts only what it acknowledged itself). */
  readonly ackedLsn: number;
  /** The highest `SyncNaming.gen` of this primary's epoch the orchestrators committed to their log (0: none). */
  readonly syncAgreed: number;
  /**
   * The synchronous standbys a primary's acknowledged writes wait for, as its latest `sync` trace
   * event told them (null: none told yet in this term). Where the topology fixes the synchronous
   * standbys, also the ones it still waits for: with `synchronousModeStrict` off a marked standby
   * that stops answering is dropped, and taken back once it streams again.
   */
  readonly syncShown: readonly NodeId[] | null;
  /** The sender tick at which this node became primary (a marked standby that never connects is given the sender timeout). */
  readonly primarySinceTick: number;
  /** Witness mode only: its dealings with the witness, and as a standby its checks of the primary. */
  readonly witness: WitnessSide;
  /** Database nodes the orchestrators replaced (dead → replacement), from their health checks: a replacement takes its place and its standby spec. */
  readonly replaced: Readonly<Record<NodeId, NodeId>>;
  /** An operator's switchover this primary carries out itself (no orchestrators), or null. */
  readonly handover: Handover | null;
}

/**
 * A switchover without orchestrators, run by the primary that hands over: it takes no new writes
 * and keeps streaming; once `to` has flushed all of its WAL it asks `to` to open `epoch` and stops
 * being primary (`promoteSent`), then follows `to`. If `to` has not caught up in time, it takes
 * writes again instead. Only this node decides which: there is never a moment with two writers.
 */
export interface Handover {
  readonly to: NodeId;
  readonly epoch: number;
  readonly promoteSent: boolean;
}

/**
 * What a database node keeps in witness mode (a witness and no orchestrators): a primary renews
 * its lease with the witness; a standby health-checks its primary and, when it fails, takes over
 * with the witness's vote.
 */
export interface WitnessSide {
  /** Numbers lease renewals, lock requests and health checks, so a late answer is told apart. */
  readonly seq: number;
  /** The renewal or lock request waiting for the witness's answer (0: none). */
  readonly awaiting: number;
  /** The health check of the primary waiting for an answer (0: none). */
  readonly checkAwaiting: number;
  /** Failed health checks of the primary in a row. */
  readonly failures: number;
  readonly takeover: Takeover | null;
  /** The last failover step said as not done, so that a refusal repeated every interval is said once. */
  readonly said: string | null;
  /** The primary's latest answer said it takes no writes: it is up and has stopped, so there is nothing to power off. */
  readonly peerStopped: boolean;
  /** A primary: the renewal awaiting the witness's answer said it wants to run degraded. */
  readonly renewingDegraded: boolean;
  /** A primary: the witness granted a renewal saying it runs degraded; until it renews saying otherwise, it may drop its synchronous standbys. */
  readonly degradedGranted: boolean;
  /**
   * The primary said, unasked, that it restarted as a former primary taking no writes, when this
   * node's checks had reached this `seq` (null: it did not). A check sent before that and unanswered
   * (the node was down then) does not contradict it: it still stands when a takeover decides
   * whether to power the old primary off.
   */
  readonly peerBackAt: number | null;
  /**
   * A former primary: a peer that said it restarted as a former primary too, with WAL going
   * further than this node's (a newer timeline, or more of it). This node leaves the lock to it
   * for a while rather than take over and rewind away what only that peer holds.
   */
  readonly deferTo: NodeId | null;
  /**
   * This node restarted with an empty data directory: until it holds data again it tells the witness
   * so at every check interval, not once (a notice sent while the witness was dark is lost).
   */
  readonly dataLost: boolean;
  /** The primary answered a health check with an empty data directory: its data is gone. */
  readonly peerEmpty: boolean;
}

/** A standby's takeover: it asks the witness for the lock, then fences the old primary, then promotes itself. */
export interface Takeover {
  readonly from: NodeId;
  readonly epoch: number;
  readonly step: 'asking' | 'fencing';
  /** A switchover's Promote, not failed checks: `from` handed the lock over in this epoch of its own. */
  readonly handedIn?: number;
  /** The witness's grant said what of this node's WAL may have been acknowledged (`WitnessReply.ackedUpTo`). */
  readonly ackedUpTo?: number;
}

export type { ReplicationMode };
