/**
 * The WAL sender (primary): answers a standby's StreamStart, takes its acknowledgements, and at
 * every tick notices silent standbys, resends what seems lost, keeps alive and announces.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, StandbyStream, StreamStart, WalAck } from './types';
import { TIMER, SENDER_TICK_MS, KEEPALIVE_EVERY_TICKS, SENDER_TIMEOUT_TICKS, RESEND_AFTER_TICKS } from './constants';
import { type Step, type Change, run } from './change';
import { walData, setStream, streamTo, walGone } from './wal-stream';
import { settleWrites } from './writes';
import { chooseFirst, publishNext, forgetFormers, reviewFixedSync } from './sync-naming';
import { handOverIfCaughtUp } from './switchover';

export function answerStreamStart(ctx: DatabaseContext, from: NodeId, req: StreamStart): Step {
  return run(ctx, (c) => {
    if (req.afterBaseBackup) {
      setStream(c, from, newStream(req.session, ctx.flushLsn, ctx.flushLsn));
      chooseFirst(c, false);
      c.send(from, walData(c.ctx, req.session, ctx.flushLsn, [], { baseBackup: true }));
      return;
    }
    if (req.fromLsn < ctx.walStartLsn) return walGone(c, from);
    // A node with an empty data directory (wiped, or cleared to rebuild) copies the data like
    // pg_basebackup, at base-backup speed, not in one WAL message.
    if (req.empty === true && ctx.flushLsn > 0) return walGone(c, from, true);
    if (req.fromLsn > ctx.flushLsn) {
      // It has WAL we never had: our history lets it find where it parted and rewind.
      setStream(c, from, null);
      c.send(from, walData(ctx, 0, ctx.flushLsn, []));
      return;
    }
    setStream(c, from, newStream(req.session, req.fromLsn, Math.min(req.flushLsn, req.fromLsn)));
    // Named before anything is sent, so the first WAL it gets tells it.
    chooseFirst(c, false);
    if (!streamTo(c, from)) c.send(from, walData(c.ctx, req.session, req.fromLsn, []));
  });
}

function newStream(session: number, fromLsn: number, flushLsn: number): StandbyStream {
  return {
    session,
    state: 'catchup',
    sentLsn: fromLsn,
    nextLsn: fromLsn,
    writeLsn: fromLsn,
    flushLsn,
    replayLsn: flushLsn,
    silentTicks: 0,
    quietTicks: 0,
    knownGen: 0,
  };
}

export function handleAck(ctx: DatabaseContext, from: NodeId, ack: WalAck): Step {
  return run(ctx, (c) => {
    const stream = ctx.streams[from];
    if (!stream || ack.session !== stream.session || ack.epoch !== ctx.epoch) return;
    const writeLsn = Math.max(stream.writeLsn, ack.writeLsn);
    const caughtUp = stream.state === 'streaming' || writeLsn >= ctx.flushLsn;
    setStream(c, from, {
      ...stream,
      writeLsn,
      flushLsn: Math.max(stream.flushLsn, ack.flushLsn),
      replayLsn: Math.max(stream.replayLsn, ack.replayLsn),
      silentTicks: 0,
      quietTicks: 0,
      knownGen: ack.syncGen,
      state: caughtUp ? 'streaming' : 'catchup',
    });
    forgetFormers(c);
    chooseFirst(c, true);
    publishNext(c, true);
    reviewFixedSync(c);
    settleWrites(c);
    streamTo(c, from);
    handOverIfCaughtUp(c);
  });
}

/** Every SENDER_TICK_MS: notice silent standbys, resend what seems lost, keep alive, announce. */
export function senderTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    const ticks = ctx.ticks + 1;
    c.set({ ticks });
    const keepalive = ticks % KEEPALIVE_EVERY_TICKS === 0;
    for (const peer of ctx.peers) tickStream(c, peer, keepalive);
    const shown = c.ctx.syncShown;
    reviewFixedSync(c);
    if (c.ctx.syncShown !== shown) settleWrites(c);
    c.timer(TIMER.sender, SENDER_TICK_MS);
  });
}

function tickStream(c: Change, peer: NodeId, keepalive: boolean): void {
  const stream = c.ctx.streams[peer];
  if (!stream || stream.state === 'stopped') {
    if (keepalive) c.send(peer, walData(c.ctx, 0, c.ctx.flushLsn, []));
    return;
  }
  const silentTicks = stream.silentTicks + 1;
  const quietTicks = stream.quietTicks + 1;
  if (silentTicks >= SENDER_TIMEOUT_TICKS) return setStream(c, peer, { ...stream, silentTicks, quietTicks, state: 'stopped' });
  const resend = silentTicks >= RESEND_AFTER_TICKS && stream.nextLsn > stream.writeLsn;
  setStream(c, peer, { ...stream, silentTicks: resend ? 0 : silentTicks, quietTicks, nextLsn: resend ? stream.writeLsn : stream.nextLsn });
  if (!streamTo(c, peer) && keepalive) c.send(peer, walData(c.ctx, stream.session, c.ctx.streams[peer]!.nextLsn, []));
}
