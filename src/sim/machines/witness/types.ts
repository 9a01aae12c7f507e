/**
 * The witness: a small arbiter for a database of two nodes without an orchestrator cluster, like
 * Patroni's DCS lock or pg_auto_failover's monitor. It holds one lease, "db-X is primary of epoch
 * E", and measures it on its own clock. With the primary and the standby it makes three voters:
 * the primary keeps writing only while the witness renews its lease, and a standby may take over
 * only with the witness's vote, which it gives once the primary's lease has run out.
 */
import type { NodeId } from '../protocol';
import type { Settings, Topology } from '../../scenario/types';
import type { TimelineEntry } from '../database/wal';

/** The witness's node id. */
export const WITNESS_ID = 'witness';

/** A primary asks for its lease to be renewed: "I am still the primary of `epoch`, and I acknowledged writes up to `ackedLsn` on this timeline". */
export interface LeaseRenew {
  readonly type: 'LeaseRenew';
  readonly seq: number;
  readonly epoch: number;
  readonly ackedLsn: number;
  readonly history: readonly TimelineEntry[];
  /**
   * The primary wants to acknowledge writes without its synchronous standby (durability degraded,
   * `synchronousModeStrict` off): once the witness has granted this renewal, it may, and the witness
   * then gives the lock to nobody but the holder itself.
   */
  readonly degraded?: boolean;
}

/**
 * A standby whose primary failed its health checks, or a former primary that hears no primary,
 * asks for the lock, to become the primary of `epoch`, saying what data it holds.
 */
export interface LockRequest {
  readonly type: 'LockRequest';
  readonly seq: number;
  readonly epoch: number;
  /** The primary it wants to replace (null: a former primary that does not know who holds the lock). */
  readonly primary: NodeId | null;
  readonly flushLsn: number;
  readonly history: readonly TimelineEntry[];
  /** Asked in a switchover: the holder `from` handed the lock over while it held it in `epoch`. */
  readonly handover?: { readonly from: NodeId; readonly epoch: number };
}

/** The answer to either: granted or not, who holds the lock now and in which epoch, and why, in words. */
export interface WitnessReply {
  readonly type: 'WitnessReply';
  readonly seq: number;
  readonly granted: boolean;
  readonly holder: NodeId;
  readonly epoch: number;
  readonly reason: string;
  /** On a grant: who held the lock before (the primary the new holder replaces). */
  readonly previous?: NodeId;
  /**
   * On a grant to a former primary (it asked with no primary): the highest LSN of what it holds that
   * may have been acknowledged, as the witness knows it (see `ackedUpTo` in witness/logic.ts). It
   * tells the witness no more than this as acknowledged until it acknowledges writes of its own.
   */
  readonly ackedUpTo?: number;
}

/**
 * A database node restarted with an empty data directory (its disk was lost), as a Patroni member
 * that starts with no data says so in its key: what it held, and acknowledged as primary, is gone.
 */
export interface DataLost {
  readonly type: 'DataLost';
}

export type WitnessMessage = LeaseRenew | LockRequest | WitnessReply | DataLost;

/**
 * The highest LSN the holder said it acknowledged, and its timeline then: whoever takes the lock
 * next must hold the same WAL up to there.
 */
export interface AckedMark {
  readonly lsn: number;
  readonly history: readonly TimelineEntry[];
}

/** What survives a crash: who holds the lock, in which epoch (so an epoch is never given twice), and what was acknowledged. */
export interface WitnessDisk {
  readonly holder: NodeId;
  readonly epoch: number;
  readonly acked?: AckedMark;
  /** The holder's latest granted renewal said it runs degraded (see `LeaseRenew.degraded`). */
  readonly degraded?: boolean;
  /** The holder said its data is gone (see `WitnessContext.dataLostBy`). */
  readonly dataLostBy?: NodeId | null;
  /** It lost its data while standbys were synchronous to it (see `WitnessContext.dataLostSynced`). */
  readonly dataLostSynced?: boolean;
}

/** What a database node last said it holds, in a lock request (an empty node that says its data is gone holds nothing). */
export interface HeldWal {
  readonly flushLsn: number;
  readonly history: readonly TimelineEntry[];
}

export interface WitnessContext {
  readonly id: NodeId;
  readonly settings: Settings;
  readonly topology: Topology;
  readonly holder: NodeId;
  readonly epoch: number;
  /** The holder's lease has not run out on the witness's clock. */
  readonly live: boolean;
  /** How many times the lock changed hands. */
  readonly handovers: number;
  readonly acked: AckedMark;
  /** The holder may have acknowledged writes no other node holds (it runs degraded): only it may take the lock. */
  readonly degraded: boolean;
  /** The holder whose lost data dropped the mark of acknowledged writes (see `dataLost`), until the lock changes hands. */
  readonly dataLostBy: NodeId | null;
  /**
   * The holder lost its data while standbys were synchronous to it: they hold every write it
   * acknowledged, so the lock still goes only to one of them holding those, until each says its
   * data is gone too (then those writes are gone whoever takes over).
   */
  readonly dataLostSynced: boolean;
  /**
   * Once the holder's data is gone: what each other database node said it holds since (its lock
   * requests, or its own notice that it is empty). The lock goes to the one holding the most, once
   * every one has said (one that has not may be down, holding more).
   */
  readonly survivors: Readonly<Record<NodeId, HeldWal>>;
  /** What the witness last did, in words (the inspector shows it). */
  readonly reason: string;
}
