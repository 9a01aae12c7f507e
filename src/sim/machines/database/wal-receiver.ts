/**
 * The WAL receiver (standby): takes the primary's WAL (or a base backup while rebuilding),
 * flushes and acknowledges it, follows a newer primary, and asks again when the stream goes quiet.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, StreamStart, WalData, WalRecord } from './types';
import { formatLsn, recycle, sameHistory } from './wal';
import { TIMER, RECEIVER_TIMEOUT_MS } from './constants';
import { type Step, type Change, run } from './change';
import { learnNaming, heardGen } from './sync-naming';
import { reconcile, clearData, askToStream } from './rebuild';
import { follow } from './roles';
import { handoverDone } from './switchover';

export function receiveWal(ctx: DatabaseContext, from: NodeId, msg: WalData): Step {
  return run(ctx, (c) => {
    if (msg.epoch < ctx.epoch) return refuseOlderEpoch(c, from);
    if (ctx.role === 'primary' || ctx.role === 'demoted') {
      if (msg.epoch > ctx.epoch || (ctx.role === 'demoted' && msg.epoch === ctx.epoch)) {
        handoverDone(c, from, msg.epoch);
        follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
      }
      return;
    }
    if (shouldFollowSender(ctx, from, msg)) {
      return follow(c, from, msg.epoch, `${from} is primary of epoch ${msg.epoch}; follows it`, msg.history);
    }
    if (from !== ctx.upstream) return;
    // Only WAL of the session it asked for, or an invitation to ask, shows its stream is alive: WAL
    // of a session it gave up on (its request was lost on a cut link) must not stop it asking again.
    // A rebuild that has copied its base backup waits for the answer to its request, not for WAL:
    // the primary streams that session's WAL even when the answer was lost on a lossy link.
    const awaitingBackup = ctx.role === 'rebuilding' && ctx.rebuildPhase === 'copied' && !msg.baseBackup;
    if ((!msg.streaming || msg.session === ctx.session) && !awaitingBackup) c.timer(TIMER.receiver, RECEIVER_TIMEOUT_MS);
    learnNaming(c, msg);
    if (ctx.role === 'rebuilding') return receiveWhileRebuilding(c, msg);
    if (!sameHistory(ctx.history, msg.history)) {
      if (!reconcile(c, msg.history)) return;
      return askToStream(c, false);
    }
    c.set({ primaryLsn: Math.max(ctx.primaryLsn, msg.primaryLsn) });
    // Not streaming: ask, unless we hold WAL beyond the primary's (then only the receiver timeout asks, so nobody ping-pongs).
    if (!msg.streaming) return ctx.writeLsn <= msg.primaryLsn ? askToStream(c, false) : undefined;
    if (msg.session === ctx.session) applyWal(c, msg);
  });
}

/**
 * A standby follows a newer epoch's primary; in its own epoch it switches only when it has no
 * upstream or has not yet seen that epoch's timeline (it learned the epoch from a Demote).
 */
function shouldFollowSender(ctx: DatabaseContext, from: NodeId, msg: WalData): boolean {
  if (msg.epoch > ctx.epoch) return true;
  if (from === ctx.upstream) return false;
  if (ctx.upstream === null) return true;
  // A rebuild cleared the history, so it cannot tell two primaries of one epoch apart (an
  // operator's split brain): it keeps the upstream it rebuilds from instead of switching back and
  // forth between them, restarting its copy each time, forever.
  if (ctx.role === 'rebuilding') return false;
  return !ctx.history.some((entry) => entry.epoch === msg.epoch);
}

function refuseOlderEpoch(c: Change, to: NodeId): void {
  const primary = c.ctx.role === 'primary' ? c.ctx.id : c.ctx.upstream;
  c.send(to, { type: 'Demote', epoch: c.ctx.epoch, primary });
}

function receiveWhileRebuilding(c: Change, msg: WalData): void {
  const { ctx } = c;
  // Only the answer to its latest request: the primary streams on from where that one ends, so an
  // older answer (overtaken by a request made again) would leave a gap the primary counts as sent.
  if (ctx.rebuildPhase === 'copied' && msg.baseBackup) return msg.session === ctx.session ? loadBaseBackup(c, msg) : undefined;
  // Copied, but the primary does not stream to it (its request for the rest was lost on a cut
  // link): the announcement that just kept its receiver timer from firing is the invitation to
  // ask again, or it would wait for ever with a finished copy.
  if (ctx.rebuildPhase === 'copied' && !msg.streaming) return askToStream(c, true);
  if (ctx.rebuildPhase !== 'asking') return;
  if (!msg.streaming) return askToStream(c, false);
  // The primary still had all of its WAL: streaming from the start is a full copy too.
  if (msg.session === ctx.session && msg.fromLsn === 0) {
    c.set({ role: 'standby', history: msg.history.slice(), reason: `streams the whole WAL from ${ctx.upstream}` });
    applyWal(c, msg);
  }
}

function loadBaseBackup(c: Change, msg: WalData): void {
  clearData(c);
  const lsn = msg.fromLsn;
  c.set({
    role: 'standby',
    epoch: Math.max(c.ctx.epoch, msg.epoch),
    history: msg.history.slice(),
    walStartLsn: lsn,
    writeLsn: lsn,
    flushLsn: lsn,
    replayLsn: lsn,
    primaryLsn: msg.primaryLsn,
    reason: `rebuilt from a base backup of ${c.ctx.upstream} up to ${formatLsn(lsn)}; streaming again`,
  });
  sendAck(c);
}

function applyWal(c: Change, msg: WalData): void {
  const writtenBefore = c.ctx.writeLsn;
  const { diskFlushMs } = c.ctx.settings;
  if (msg.fromLsn <= writtenBefore) {
    for (const record of msg.records) if (record.lsn > c.ctx.writeLsn) appendRecord(c, record);
  }
  if (c.ctx.writeLsn > writtenBefore && diskFlushMs === 0) return flushStandbyNow(c);
  if (c.ctx.writeLsn > c.ctx.flushLsn && !c.ctx.flushArmed) {
    c.set({ flushArmed: true });
    c.timer(TIMER.flush, diskFlushMs);
  }
  sendAck(c);
}

function appendRecord(c: Change, record: WalRecord): void {
  c.ctx.wal.push(record);
  c.set({ writeLsn: record.lsn });
}

export function flushStandby(ctx: DatabaseContext): Step {
  return run(ctx, flushStandbyNow);
}

function flushStandbyNow(c: Change): void {
  const { ctx } = c;
  const walStartLsn = recycle(ctx.wal, ctx.walStartLsn, ctx.writeLsn, ctx.settings.walKeepBytes);
  c.set({ flushLsn: ctx.writeLsn, replayLsn: ctx.writeLsn, flushArmed: false, walStartLsn });
  sendAck(c);
}

function sendAck(c: Change): void {
  const { ctx } = c;
  if (ctx.upstream === null) return;
  const syncGen = heardGen(ctx);
  c.send(ctx.upstream, { type: 'WalAck', epoch: ctx.epoch, session: ctx.session, writeLsn: ctx.writeLsn, flushLsn: ctx.flushLsn, replayLsn: ctx.replayLsn, syncGen });
}

export function receiverTimeout(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'rebuilding' && ctx.rebuildPhase === 'copying') return;
    askToStream(c, ctx.role === 'rebuilding' && ctx.rebuildPhase === 'copied');
  });
}

/** A StreamStart reached a node that is not primary: point the asker to whom it follows. */
export function redirectStreamStart(ctx: DatabaseContext, from: NodeId, req: StreamStart): Step {
  return run(ctx, (c) => {
    if (req.epoch <= ctx.epoch && ctx.upstream !== from) c.send(from, { type: 'Demote', epoch: ctx.epoch, primary: ctx.upstream });
  });
}
