/**
 * Role changes, shared by many steps: becoming primary (and starting what a primary runs),
 * stopping writes, being demoted, following a new primary, and promotion to a new epoch.
 */
import type { NodeId } from '../protocol';
import type { DatabaseContext, TimelineEntry } from './types';
import { formatLsn, promotedTimeline } from './wal';
import { TIMER, SENDER_TICK_MS } from './constants';
import type { Change } from './change';
import { modeOf, witnessMode, leaseApplies, witnessLeaseMs, epochsKeptElsewhere } from './rules';
import { setWitness, startRenewing, stopRenewing, startChecking, stopChecking } from './witness-duties';
import { isSynchronous, showSync } from './sync-naming';
import { startBackupSchedule, stopBackupSchedule } from './backups';
import { reconcile, startRebuild, askToStream } from './rebuild';

function flushAll(c: Change): void {
  if (c.ctx.flushArmed) c.cancel(TIMER.flush);
  c.set({ flushLsn: c.ctx.writeLsn, replayLsn: c.ctx.writeLsn, flushArmed: false });
}

export function becomePrimary(c: Change, epoch: number, reason: string, leaseMs: number | null, ackedUpTo = Infinity): void {
  flushAll(c);
  const last = c.ctx.history[c.ctx.history.length - 1];
  if (last?.epoch !== epoch) c.set({ history: promotedTimeline(c.ctx.history, epoch, c.ctx.flushLsn) });
  // Nobody is named yet in this epoch; what it holds may have been acknowledged before (`mayHaveBeenAcked`),
  // no further than the witness's grant said (`WitnessReply.ackedUpTo`).
  const naming = { sync: null, syncNext: null, syncFormers: [], ackedLsn: Math.min(mayHaveBeenAcked(c.ctx), ackedUpTo), syncAgreed: 0, syncShown: null, primarySinceTick: c.ctx.ticks };
  c.set({ role: 'primary', epoch, upstream: null, writable: true, streams: {}, reason, primaryLsn: c.ctx.flushLsn, ...naming });
  c.cancel(TIMER.receiver);
  c.cancel(TIMER.baseBackup);
  c.timer(TIMER.sender, SENDER_TICK_MS);
  if (leaseMs !== null && leaseApplies(c.ctx)) c.timer(TIMER.lease, leaseMs);
  startBackupSchedule(c);
  if (c.ctx.witness.degradedGranted || c.ctx.witness.renewingDegraded) setWitness(c, { degradedGranted: false, renewingDegraded: false });
  c.trace({ type: 'writable', on: true, epoch });
  showSync(c);
  stopChecking(c);
  startRenewing(c);
}

/**
 * The highest LSN of what a new primary holds that may have been acknowledged. A standby's WAL may
 * all have been acknowledged by the primary it came from. A former primary that stopped writing
 * (demoted) has received no WAL since (it follows a primary before it streams), so its own count is
 * exact: the writes still waiting when it stopped were refused, never acknowledged, though they are
 * in its WAL. Reported to the witness as acknowledged, they would bind the lock to WAL its
 * synchronous standbys may never have received: nobody could take over once its disk is lost. A
 * demoted node that restarted counts everything it holds (`ackedLsn` starts at its flush on boot),
 * unless the witness, giving it the lock, says less may have been acknowledged (`ackedUpTo`).
 */
function mayHaveBeenAcked(ctx: DatabaseContext): number {
  return ctx.role === 'demoted' ? Math.min(ctx.ackedLsn, ctx.flushLsn) : ctx.flushLsn;
}

/** A primary stops taking writes: what it wrote is flushed, waiting writes are refused. */
export function stopWriting(c: Change, why: string): void {
  if (c.ctx.role !== 'primary') return;
  flushAll(c);
  for (const write of c.ctx.pending) c.reply(write.id, false, null, `${c.ctx.id} stopped being primary before the write was confirmed: ${why}`);
  c.ctx.pending.length = 0;
  c.cancel(TIMER.sender);
  c.cancel(TIMER.lease);
  stopBackupSchedule(c);
  if (c.ctx.writable) c.trace({ type: 'writable', on: false, epoch: c.ctx.epoch });
  c.set({ writable: false, streams: {} });
  stopRenewing(c);
  startChecking(c);
}

export function becomeDemoted(c: Change, epoch: number, reason: string): void {
  stopWriting(c, reason);
  c.set({ role: 'demoted', epoch: Math.max(epoch, c.ctx.epoch), reason });
}

/** Follow `primary` of `epoch`: stop writing, rewind what the new timeline lacks, ask to stream. */
export function follow(c: Change, primary: NodeId, epoch: number, reason: string, history: readonly TimelineEntry[] | null): void {
  stopWriting(c, reason);
  const wasRebuilding = c.ctx.role === 'rebuilding';
  c.set({ role: 'standby', upstream: primary, epoch: Math.max(epoch, c.ctx.epoch), reason, primaryLsn: c.ctx.flushLsn, sync: null });
  // A new primary to watch: the count of failed checks starts again, and a takeover is forgotten.
  if (witnessMode(c.ctx.topology)) {
    setWitness(c, { failures: 0, checkAwaiting: 0, takeover: null, said: null, peerStopped: false, peerBackAt: null, deferTo: null, peerEmpty: false });
    startChecking(c);
  }
  if (wasRebuilding) return startRebuild(c, primary, `${reason}; starts its rebuild again from ${primary}`);
  if (history !== null && !reconcile(c, history)) return;
  askToStream(c, false);
}

/** `witness-switchover`: a switchover's target that took the lock its primary handed over (holds the witness's lease). */
type PromotedBy = 'operator' | 'orchestrators' | 'witness' | 'switchover' | 'witness-switchover';

export function promote(c: Change, epoch: number, by: PromotedBy, ackedUpTo?: number): void {
  const { ctx } = c;
  // Whether acknowledged writes had to be flushed here first: the topology says so, or its primary named it.
  const synchronous = ctx.role === 'standby' && ctx.upstream !== null && (modeOf(ctx.topology, ctx.id, ctx.upstream, ctx.replaced) === 'sync' || isSynchronous(ctx));
  flushAll(c);
  c.set({ leaseWaived: by === 'operator' || by === 'switchover' });
  // By hand, where the orchestrators or the witness count the epochs: they may give this number again.
  const openedBy = by === 'operator' && epochsKeptElsewhere(ctx.topology) ? ctx.id : undefined;
  const history = promotedTimeline(c.ctx.history, epoch, c.ctx.flushLsn, openedBy);
  c.trace({ type: 'promoted', epoch, flushLsn: c.ctx.flushLsn, synchronous, history });
  if (c.ctx.history[c.ctx.history.length - 1]?.epoch !== epoch) c.set({ history });
  const how = { operator: 'promoted by an operator', orchestrators: 'promoted by the orchestrators', witness: "took the witness's lock and promoted itself", switchover: `promoted in a switchover from ${ctx.upstream ?? 'the old primary'}`, 'witness-switchover': `took the lock ${ctx.upstream ?? 'the old primary'} handed over in a switchover and promoted itself` }[by];
  const leaseMs = by === 'witness' || by === 'witness-switchover' ? witnessLeaseMs(ctx) : ctx.settings.leaseMs;
  becomePrimary(c, epoch, `${how} to primary of epoch ${epoch} at ${formatLsn(c.ctx.flushLsn)}`, leaseMs, ackedUpTo);
}
