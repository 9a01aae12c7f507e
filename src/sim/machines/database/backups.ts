/**
 * Scheduled backups (primary, only with `topology.backups`): a full backup to each store, then
 * incrementals, each shipped after the time it takes to travel.
 */
import type { NodeId } from '../protocol';
import type { Topology } from '../../scenario/types';
import type { DatabaseContext } from './types';
import { recordsAfter } from './wal';
import type { BackupData } from '../backup/types';
import { backupBytes, backupStoresOf, shipTimeMs } from '../backup/logic';
import { TIMER } from './constants';
import { type Step, type Change, run } from './change';
import { standbySpecOf } from './rules';

/** The schedule's tick and how many ticks apart full backups are: incrementals fill the ticks between. */
export function backupSchedule(topology: Topology): { tickMs: number; fullEveryTicks: number } | null {
  const backups = topology.backups;
  if (backups === null) return null;
  const tickMs = Math.min(backups.incrementalEveryMs, backups.fullEveryMs);
  return { tickMs, fullEveryTicks: Math.max(1, Math.round(backups.fullEveryMs / tickMs)) };
}

/** A new primary starts its own chain: its first backup to each store is full. */
export function startBackupSchedule(c: Change): void {
  const schedule = backupSchedule(c.ctx.topology);
  if (schedule === null) return;
  c.set({ backupCount: 0, shippedLsn: {}, backupOutbox: {} });
  c.timer(TIMER.backup, schedule.tickMs);
}

/** A primary that stops writing abandons the backups still on their way. */
export function stopBackupSchedule(c: Change): void {
  if (c.ctx.topology.backups === null) return;
  c.cancel(TIMER.backup);
  for (const store of backupStoresOf(c.ctx.topology)) c.cancel(TIMER.backupShip + store.id);
  c.set({ backupOutbox: {} });
}

/** The backup due for `store` at the `count`-th tick, or null when nothing new is there to send. */
function backupFor(ctx: DatabaseContext, store: NodeId, count: number, fullEveryTicks: number): BackupData | null {
  const shipped = ctx.shippedLsn[store];
  const full = shipped === undefined || shipped < ctx.walStartLsn || (count - 1) % fullEveryTicks === 0;
  const base = { type: 'BackupData', epoch: ctx.epoch, history: ctx.history, walStartLsn: ctx.walStartLsn, upToLsn: ctx.flushLsn } as const;
  if (full) return { ...base, kind: 'full', fromLsn: 0, records: recordsAfter(ctx.wal, ctx.walStartLsn, ctx.flushLsn, Infinity) };
  if (shipped >= ctx.flushLsn) return null;
  return { ...base, kind: 'incremental', fromLsn: shipped, records: recordsAfter(ctx.wal, shipped, ctx.flushLsn, Infinity) };
}

/**
 * Takes the scheduled backups: for each store without one still on its way, the data (full) or
 * the WAL since the last backup (incremental) up to the flushed LSN, sent once it has travelled.
 */
export function backupTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const schedule = backupSchedule(ctx.topology);
    if (schedule === null || ctx.role !== 'primary') return;
    const count = ctx.backupCount + 1;
    const outbox = { ...ctx.backupOutbox };
    const myRegion = standbySpecOf(ctx.topology, ctx.id)?.region ?? 'primary';
    for (const store of backupStoresOf(ctx.topology)) {
      if (outbox[store.id]) continue;
      const backup = backupFor(ctx, store.id, count, schedule.fullEveryTicks);
      if (backup === null) continue;
      outbox[store.id] = backup;
      c.timer(TIMER.backupShip + store.id, shipTimeMs(backupBytes(backup), store.region !== myRegion));
    }
    c.set({ backupCount: count, backupOutbox: outbox });
    c.timer(TIMER.backup, schedule.tickMs);
  });
}

/** The copy for `store` has travelled: send it (it arrives after the network's latency). */
export function shipBackup(ctx: DatabaseContext, timerName: string): Step {
  return run(ctx, (c) => {
    const store = timerName.slice(TIMER.backupShip.length);
    const backup = ctx.backupOutbox[store];
    if (!backup || ctx.role !== 'primary') return;
    const outbox = { ...ctx.backupOutbox };
    delete outbox[store];
    c.set({ backupOutbox: outbox, shippedLsn: { ...ctx.shippedLsn, [store]: backup.upToLsn } });
    c.send(store, backup);
  });
}
