/**
 * Backups as data: what a database primary ships to a backup store, and what the store keeps.
 * A full backup is the primary's data up to an LSN (the WAL records it still holds after
 * `walStartLsn`; what lies before is in the data files, as for a base backup); an incremental is
 * the WAL from the previous backup's LSN to its own.
 */
import type { NodeId } from '../protocol';
import type { TimelineEntry, WalRecord } from '../database/wal';

export type BackupKind = 'full' | 'incremental';

/** The message a primary sends a store once the copy has travelled (see `shipTimeMs`). */
export interface BackupData {
  readonly type: 'BackupData';
  readonly kind: BackupKind;
  /** The primary's epoch and timeline history when it took the backup. */
  readonly epoch: number;
  readonly history: readonly TimelineEntry[];
  /** For a full backup: the data files hold everything up to here; `records` follow it. */
  readonly walStartLsn: number;
  /** A full backup starts at 0; an incremental at the previous backup's `upToLsn`. */
  readonly fromLsn: number;
  readonly upToLsn: number;
  readonly records: readonly WalRecord[];
}

/** One backup as a store keeps it. */
export interface StoredBackup extends Omit<BackupData, 'type'> {
  readonly from: NodeId;
}

/** What survives on a store's disk: its newest full backup and the incrementals taken since, oldest first. */
export interface BackupDisk {
  readonly chain: readonly StoredBackup[];
}

export interface BackupContext {
  readonly id: NodeId;
  readonly chain: readonly StoredBackup[];
  /** How many incrementals it refused because they did not follow its chain. */
  readonly refusedCount: number;
  readonly reason: string;
}
