/**
 * A standby that must catch up with a new timeline: pg_rewind when its history parted from the
 * primary's, a rebuild from a base backup when the WAL it needs is gone, and the StreamStart that
 * asks its upstream to stream.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, TimelineEntry, WalGone } from './types';
import { divergenceLsn, formatLsn, truncateAfter } from './wal';
import { TIMER, RECEIVER_TIMEOUT_MS } from './constants';
import { type Step, type Change, run } from './change';
import { kilobytes } from './rules';

/**
 * pg_rewind: drops the records the new timeline does not have and adopts its history. The reason
 * says the records are dropped, not that writes are lost: whether a client was told any of them
 * was saved is the report's to say (the node cannot know for records it only received). Returns
 * false when the WAL needed to rewind is gone and the node must be rebuilt instead.
 */
export function reconcile(c: Change, theirs: readonly TimelineEntry[]): boolean {
  const { ctx } = c;
  const parting = divergenceLsn(ctx.history, theirs);
  if (parting < ctx.writeLsn && parting < ctx.walStartLsn) {
    startRebuild(c, ctx.upstream, `its WAL parted from the new timeline at ${formatLsn(parting)}, before the WAL it still keeps; rebuilding`);
    return false;
  }
  if (parting < ctx.writeLsn) rewind(c, parting);
  c.set({ history: theirs.slice() });
  return true;
}

function rewind(c: Change, toLsn: number): void {
  const { ctx } = c;
  const dropped = truncateAfter(ctx.wal, toLsn);
  const flushedLost = dropped.filter((record) => record.lsn <= ctx.flushLsn).length;
  const reason =
    `rewound ${dropped.length} write${dropped.length === 1 ? '' : 's'} after ${formatLsn(toLsn)} ` +
    `(${flushedLost} flushed, from ${formatLsn(toLsn)} to ${formatLsn(ctx.writeLsn)}) that the new timeline never had, and drops them` +
    (dropped.length > 0 ? ` (first ${dropped[0]!.write})` : '');
  c.set({ writeLsn: toLsn, flushLsn: Math.min(ctx.flushLsn, toLsn), replayLsn: Math.min(ctx.replayLsn, toLsn), reason });
  // A node that changes role reports it (with this reason) on entering its new state; only a
  // standby that stays one needs to say it here.
  if (c.startRole === 'standby') c.trace({ type: 'role', role: 'standby', term: ctx.epoch, reason });
}

/** Starts over from an empty data directory: ask the upstream to stream from the very beginning. */
export function startRebuild(c: Change, upstream: NodeId | null, reason: string): void {
  clearData(c);
  c.set({ role: 'rebuilding', upstream, rebuildPhase: 'asking', reason });
  c.cancel(TIMER.baseBackup);
  askToStream(c, false);
}

export function clearData(c: Change): void {
  if (c.ctx.flushArmed) c.cancel(TIMER.flush);
  c.ctx.wal.length = 0;
  c.set({ history: [], walStartLsn: 0, writeLsn: 0, flushLsn: 0, replayLsn: 0, flushArmed: false });
}

export function askToStream(c: Change, afterBaseBackup: boolean): void {
  const { ctx } = c;
  c.timer(TIMER.receiver, RECEIVER_TIMEOUT_MS);
  if (ctx.upstream === null) return;
  const session = ctx.session + 1;
  c.set({ session });
  const empty = !afterBaseBackup && ctx.wiped && ctx.flushLsn === 0;
  const start = { type: 'StreamStart', epoch: ctx.epoch, session, fromLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, afterBaseBackup } as const;
  c.send(ctx.upstream, empty ? { ...start, empty } : start);
}

export function walGoneReceived(ctx: DatabaseContext, from: NodeId, msg: WalGone): Step {
  return run(ctx, (c) => {
    if (from !== ctx.upstream || msg.epoch < ctx.epoch) return;
    if (ctx.role === 'rebuilding' && ctx.rebuildPhase !== 'asking') return;
    const backupMs = Math.max(1, Math.ceil((msg.dataBytes * 1000) / ctx.settings.baseBackupBytesPerSec));
    const why = msg.empty ? 'its disk is empty' : `${from} no longer keeps the WAL it needs (oldest ${formatLsn(msg.oldestLsn)})`;
    const reason = `${why}: copying a base backup of ${kilobytes(msg.dataBytes)} from ${from}, about ${(backupMs / 1000).toFixed(1)} s`;
    if (ctx.role !== 'rebuilding') clearData(c);
    c.set({ role: 'rebuilding', epoch: Math.max(ctx.epoch, msg.epoch), rebuildPhase: 'copying', backupMs, reason });
    c.timer(TIMER.baseBackup, backupMs);
    c.timer(TIMER.receiver, backupMs + RECEIVER_TIMEOUT_MS);
    if (ctx.role === 'rebuilding') c.trace({ type: 'role', role: 'rebuilding', term: c.ctx.epoch, reason });
  });
}

export function baseBackupCopied(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.rebuildPhase !== 'copying') return;
    c.set({ rebuildPhase: 'copied' });
    askToStream(c, true);
  });
}
