/**
 * Client writes on the primary: refused or appended to the WAL, flushed, streamed, and
 * acknowledged once every synchronous standby the writes wait for has flushed them
 * (`synchronous_commit = on`).
 */
import type { DatabaseContext } from './types';
import { WAL_RECORD_BYTES, recycle } from './wal';
import { TIMER, MAX_PENDING_WRITES } from './constants';
import { type Step, type Change, run } from './change';
import { syncStandbysOf, namesSync } from './rules';
import { streamTo, connected } from './wal-stream';

export function refusalOf(ctx: DatabaseContext): string {
  switch (ctx.role) {
    case 'standby':
      return `${ctx.id} is a read-only standby${ctx.upstream ? ` of ${ctx.upstream}` : ''}`;
    case 'rebuilding':
      return `${ctx.id} is being rebuilt from a base backup`;
    case 'demoted':
      return `${ctx.id} is a demoted primary and takes no writes: ${ctx.reason}`;
    case 'primary':
      return `${ctx.id} is not accepting writes`;
  }
}

export function refuseWrite(ctx: DatabaseContext, id: string): Step {
  return run(ctx, (c) => c.reply(id, false, null, refusalOf(ctx)));
}

export function acceptWrite(ctx: DatabaseContext, id: string): Step {
  return run(ctx, (c) => {
    if (!ctx.writable) return c.reply(id, false, null, refusalOf(ctx));
    if (ctx.pending.length >= MAX_PENDING_WRITES) {
      return c.reply(id, false, null, `${ctx.id} has ${MAX_PENDING_WRITES} writes waiting for their commit; try again later`);
    }
    const lsn = ctx.writeLsn + WAL_RECORD_BYTES;
    // Frozen: a record never changes once written, and a checkpoint of the run shares it instead of copying it.
    ctx.wal.push(Object.freeze({ lsn, write: id, epoch: ctx.epoch }));
    ctx.pending.push({ id, lsn });
    c.set({ writeLsn: lsn });
    if (ctx.settings.diskFlushMs === 0) return flushPrimaryNow(c);
    if (!ctx.flushArmed) {
      c.set({ flushArmed: true });
      c.timer(TIMER.flush, ctx.settings.diskFlushMs);
    }
  });
}

export function flushPrimary(ctx: DatabaseContext): Step {
  return run(ctx, flushPrimaryNow);
}

function flushPrimaryNow(c: Change): void {
  const { ctx } = c;
  const walStartLsn = recycle(ctx.wal, ctx.walStartLsn, ctx.writeLsn, ctx.settings.walKeepBytes);
  c.set({ flushLsn: ctx.writeLsn, replayLsn: ctx.writeLsn, primaryLsn: ctx.writeLsn, flushArmed: false, walStartLsn });
  settleWrites(c);
  for (const peer of ctx.peers) streamTo(c, peer);
}

/**
 * The highest LSN a commit may be acknowledged at: flushed here, and on every synchronous standby.
 * Where the primary names its synchronous standby: on the named one, once it has acknowledged
 * hearing that it was named, and on every standby that may still believe it is (`syncFormers`) or
 * is about to be named (`syncNext`). With none named, nothing is acknowledged.
 */
export function committableLsn(ctx: DatabaseContext): number {
  if (namesSync(ctx)) {
    const sync = ctx.sync;
    if (sync === null) return 0;
    let lsn: number;
    if (sync.standby === null) {
      // Cleared: degraded once the agents' log holds the clearing, and not a moment before.
      if (ctx.syncAgreed < sync.gen) return 0;
      lsn = ctx.flushLsn;
    } else {
      const named = ctx.streams[sync.standby];
      if (named === undefined || named.knownGen < sync.gen) return 0;
      lsn = Math.min(ctx.flushLsn, named.flushLsn);
    }
    for (const former of ctx.syncFormers) lsn = Math.min(lsn, ctx.streams[former]?.flushLsn ?? 0);
    const next = ctx.syncNext === null ? undefined : ctx.streams[ctx.syncNext];
    if (connected(next)) lsn = Math.min(lsn, next.flushLsn);
    return lsn;
  }
  let lsn = ctx.flushLsn;
  for (const standby of ctx.syncShown ?? syncStandbysOf(ctx)) lsn = Math.min(lsn, ctx.streams[standby]?.flushLsn ?? 0);
  return lsn;
}

export function settleWrites(c: Change): void {
  const { pending } = c.ctx;
  const committable = committableLsn(c.ctx);
  let settled = 0;
  while (settled < pending.length && pending[settled]!.lsn <= committable) {
    const write = pending[settled++]!;
    c.reply(write.id, true, write.lsn, null);
    c.trace({ type: 'write-ack', write: write.id, lsn: write.lsn });
  }
  if (settled > 0) {
    c.set({ ackedLsn: pending[settled - 1]!.lsn });
    pending.splice(0, settled);
  }
}
