/**
 * The replicated database's wire messages, what a database node keeps on disk, and the machine's
 * context. Modelled on PostgreSQL streaming replication: a write-ahead log (WAL) addressed by
 * byte positions (LSNs), timelines that we call epochs, and `pg_stat_replication`'s positions.
 */
import type { Effect, NodeId } from '../protocol';
import type { ReplicationMode, Settings, Topology } from '../../scenario/types';
import type { BackupData } from '../backup/types';

/** One client write in the WAL. `lsn` is the byte position where the record ends. */
export interface WalRecord {
  readonly lsn: number;
  readonly write: string;
  /** The epoch (timeline) of the primary that wrote it. */
  readonly epoch: number;
}

/** Epoch `epoch` began at byte `startLsn`: records ending after it (up to the next entry) belong to it. */
export interface TimelineEntry {
  readonly epoch: number;
  readonly startLsn: number;
}

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
}

export interface WalAck {
  readonly type: 'WalAck';
  readonly epoch: number;
  readonly session: number;
  readonly writeLsn: number;
  readonly flushLsn: number;
  readonly replayLsn: number;
}

/** The WAL a standby asked for has been recycled: it must be rebuilt from a base backup of `dataBytes`. */
export interface WalGone {
  readonly type: 'WalGone';
  readonly epoch: number;
  readonly oldestLsn: number;
  readonly dataBytes: number;
}

/** Become the primary of `epoch` (from an orchestrator or a witness). */
export interface Promote {
  readonly type: 'Promote';
  readonly epoch: number;
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
}

export interface HealthReply {
  readonly type: 'HealthReply';
  readonly seq: number;
  readonly role: DatabaseRole;
  readonly epoch: number;
  readonly writable: boolean;
  readonly flushLsn: number;
  readonly replayLsn: number;
}

export type DatabaseMessage = StreamStart | WalData | WalAck | WalGone | Promote | Demote | HealthCheck | HealthReply | BackupData;

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
  /** Sender ticks since the standby last acknowledged anything. */
  readonly silentTicks: number;
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
}

export type { ReplicationMode };
