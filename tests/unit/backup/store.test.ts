// Proves the backup store keeps a chain of a full backup and the incrementals that follow it, refuses an incremental that does not follow, and that a restore plan rebuilds the data up to the chain's last LSN at the documented rate.
import { describe, expect, it } from 'vitest';
import { backupBytes, initialBackupContext, planRestore, receiveBackup, RESTORE_PROVISION_MS, RESTORE_VERIFY_MS, shipTimeMs } from '../../../src/sim/machines/backup/logic';
import type { BackupContext, BackupData } from '../../../src/sim/machines/backup/types';
import type { WalRecord } from '../../../src/sim/machines/database/types';

function records(fromLsn: number, toLsn: number): WalRecord[] {
  const out: WalRecord[] = [];
  for (let lsn = fromLsn + 100; lsn <= toLsn; lsn += 100) out.push({ lsn, write: `w-${lsn / 100}`, epoch: 1 });
  return out;
}

function backup(kind: 'full' | 'incremental', fromLsn: number, upToLsn: number, epoch = 1): BackupData {
  return { type: 'BackupData', kind, epoch, history: [{ epoch: 1, startLsn: 0 }], walStartLsn: 0, fromLsn, upToLsn, records: records(kind === 'full' ? 0 : fromLsn, upToLsn) };
}

function take(ctx: BackupContext, msg: BackupData): { ctx: BackupContext; refused: string | undefined } {
  const { patch, effects } = receiveBackup(ctx, 'db-1', msg);
  const trace = effects.length === 1 && effects[0]!.type === 'trace' ? effects[0].event : null;
  return { ctx: { ...ctx, ...patch }, refused: trace?.type === 'backup' ? trace.refused : 'not one backup trace' };
}

describe('backup store', () => {
  it('a full backup starts a chain and incrementals extend it', () => {
    let ctx = initialBackupContext('backup-mumbai', null);
    ctx = take(ctx, backup('full', 0, 1000)).ctx;
    ctx = take(ctx, backup('incremental', 1000, 1500)).ctx;
    expect(ctx.chain.map((b) => [b.kind, b.upToLsn])).toEqual([['full', 1000], ['incremental', 1500]]);
    ctx = take(ctx, backup('full', 0, 2000)).ctx;
    expect(ctx.chain.map((b) => b.upToLsn)).toEqual([2000]);
  });

  it('refuses an incremental with a gap, or without a full backup before it, and says why', () => {
    const empty = initialBackupContext('backup-mumbai', null);
    expect(take(empty, backup('incremental', 0, 500)).refused).toMatch(/no full backup/);
    const withFull = take(empty, backup('full', 0, 1000)).ctx;
    const gap = take(withFull, backup('incremental', 1200, 1500));
    expect(gap.refused).toMatch(/ends at 1000/);
    expect(gap.ctx.chain).toHaveLength(1);
    expect(take(withFull, backup('incremental', 1000, 1500, 2)).refused).toMatch(/epoch/);
  });

  it('a restore plan holds every record up to the last incremental, and takes time proportional to the data', () => {
    let ctx = initialBackupContext('backup-mumbai', null);
    ctx = take(ctx, backup('full', 0, 1000)).ctx;
    ctx = take(ctx, backup('incremental', 1000, 1500)).ctx;
    const plan = planRestore(ctx.chain, 500)!;
    expect(plan.upToLsn).toBe(1500);
    expect(plan.disk.wal.map((r) => r.lsn)).toEqual(records(0, 1500).map((r) => r.lsn));
    expect(plan.copyMs).toBe(3000);
    expect(plan.totalMs).toBe(RESTORE_PROVISION_MS + 3000 + RESTORE_VERIFY_MS);
    expect(planRestore(ctx.chain, 1000)!.copyMs).toBe(1500);
    expect(planRestore([], 500)).toBeNull();
  });

  it('a cross-region copy takes longer than a local one; a full backup carries all the data', () => {
    expect(backupBytes({ kind: 'full', fromLsn: 0, upToLsn: 8000 })).toBe(8000);
    expect(backupBytes({ kind: 'incremental', fromLsn: 6000, upToLsn: 8000 })).toBe(2000);
    expect(shipTimeMs(100_000, true)).toBeGreaterThan(shipTimeMs(100_000, false));
  });
});
