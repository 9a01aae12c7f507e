/**
 * A backup store's rules and the arithmetic of shipping and restoring backups, as plain functions.
 *
 * Rates (documented in the README): a backup travels to a store in its own data centre at
 * `BACKUP_LOCAL_BYTES_PER_SEC` and to the other one at `BACKUP_CROSS_REGION_BYTES_PER_SEC`, on top
 * of the network's latency. A restore copies the whole data at the scenario's
 * `baseBackupBytesPerSec` (the same disk-to-disk copy a standby's rebuild does), after
 * `RESTORE_PROVISION_MS` to provision the machine and before `RESTORE_VERIFY_MS` to check it.
 */
import type { NodeId } from '../protocol';
import type { Step } from '../step';
import type { DatabaseDisk, WalRecord } from '../database/types';
import type { Topology } from '../../scenario/types';
import type { BackupContext, BackupData, BackupDisk, StoredBackup } from './types';

export const BACKUP_LOCAL_BYTES_PER_SEC = 200_000;
export const BACKUP_CROSS_REGION_BYTES_PER_SEC = 50_000;
export const RESTORE_PROVISION_MS = 2_000;
export const RESTORE_VERIFY_MS = 1_000;

/** The backup stores of a topology, with their region: one in the primary region, one in the DR region with `offsite`. */
export function backupStoresOf(topology: Topology): { id: NodeId; region: 'primary' | 'dr' }[] {
  if (topology.backups === null) return [];
  const stores: { id: NodeId; region: 'primary' | 'dr' }[] = [{ id: `backup-${topology.regions.primary}`, region: 'primary' }];
  if (topology.backups.offsite) stores.push({ id: `backup-${topology.regions.dr}`, region: 'dr' });
  return stores;
}

/** The bytes a backup carries: all the data for a full one, the WAL since the previous one for an incremental. */
export function backupBytes(backup: Pick<BackupData, 'kind' | 'fromLsn' | 'upToLsn'>): number {
  return backup.kind === 'full' ? backup.upToLsn : backup.upToLsn - backup.fromLsn;
}

/** How long sending `bytes` to a store takes, before the network's own latency. */
export function shipTimeMs(bytes: number, crossRegion: boolean): number {
  const rate = crossRegion ? BACKUP_CROSS_REGION_BYTES_PER_SEC : BACKUP_LOCAL_BYTES_PER_SEC;
  return Math.max(1, Math.ceil((bytes * 1000) / rate));
}

export function initialBackupContext(id: NodeId, disk: BackupDisk | null): BackupContext {
  const chain = disk?.chain ?? [];
  return { id, chain, refusedCount: 0, reason: chain.length === 0 ? 'holds no backup yet' : describeChain(chain) };
}

export function backupDiskOf(ctx: BackupContext): BackupDisk {
  return { chain: ctx.chain };
}

/** Why an incremental cannot follow the chain, or null when it can. */
function breaksChain(chain: readonly StoredBackup[], msg: BackupData): string | null {
  const last = chain[chain.length - 1];
  if (!last) return 'it holds no full backup for an incremental to follow';
  if (last.epoch !== msg.epoch) return `its newest backup is of epoch ${last.epoch}, the incremental of epoch ${msg.epoch}`;
  if (last.upToLsn !== msg.fromLsn) return `its newest backup ends at ${last.upToLsn}, the incremental starts at ${msg.fromLsn}`;
  return null;
}

/** A store takes a backup: a full one starts a new chain; an incremental extends the chain it follows. */
export function receiveBackup(ctx: BackupContext, from: NodeId, msg: BackupData): Step<BackupContext, BackupData> {
  const stored: StoredBackup = { ...withoutType(msg), from };
  const base = { type: 'backup', kind: msg.kind, store: ctx.id, from, fromLsn: msg.fromLsn, upToLsn: msg.upToLsn, bytes: backupBytes(msg) } as const;
  const refused = msg.kind === 'incremental' ? breaksChain(ctx.chain, msg) : null;
  if (refused !== null) return { patch: { refusedCount: ctx.refusedCount + 1 }, effects: [{ type: 'trace', event: { ...base, refused } }] };
  // Retention: the newest full backup and what follows it; an older chain is not needed to restore.
  const chain = msg.kind === 'full' ? [stored] : [...ctx.chain, stored];
  return { patch: { chain, reason: describeChain(chain) }, effects: [{ type: 'trace', event: base }] };
}

function withoutType(msg: BackupData): Omit<BackupData, 'type'> {
  const { type: _type, ...rest } = msg;
  return rest;
}

export function describeChain(chain: readonly StoredBackup[]): string {
  const last = chain[chain.length - 1];
  if (!last) return 'holds no backup yet';
  const incrementals = chain.length - 1;
  return `holds a full backup and ${incrementals} incremental${incrementals === 1 ? '' : 's'}, up to LSN ${last.upToLsn}`;
}

/** What a restore from a store's chain gives: the data up to `upToLsn` and how long copying it takes. */
export interface RestorePlan {
  readonly upToLsn: number;
  readonly bytes: number;
  readonly incrementals: number;
  readonly epoch: number;
  readonly copyMs: number;
  /** Provision + copy + verify. */
  readonly totalMs: number;
  readonly disk: Omit<DatabaseDisk, 'epoch' | 'role' | 'upstream'>;
}

/** Plans a restore from the newest full backup plus the incrementals after it; null when the store holds no full backup. */
export function planRestore(chain: readonly StoredBackup[], bytesPerSec: number): RestorePlan | null {
  const full = chain[0];
  if (!full || full.kind !== 'full') return null;
  const last = chain[chain.length - 1]!;
  const wal: WalRecord[] = chain.flatMap((backup) => backup.records.filter((r) => r.lsn <= last.upToLsn));
  const bytes = last.upToLsn;
  const copyMs = Math.ceil((bytes * 1000) / bytesPerSec);
  return {
    upToLsn: last.upToLsn,
    bytes,
    incrementals: chain.length - 1,
    epoch: last.epoch,
    copyMs,
    totalMs: RESTORE_PROVISION_MS + copyMs + RESTORE_VERIFY_MS,
    disk: { history: last.history, walStartLsn: full.walStartLsn, flushLsn: last.upToLsn, wal, session: 0 },
  };
}
