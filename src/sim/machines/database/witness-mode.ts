/**
 * Witness mode, the answers: the primary's lease renewed or not, and a standby's health checks of
 * its primary, its takeover with the witness's lock, the fence of the old primary, and its
 * promotion.
 */
import type { FailoverStep, NodeId } from '../protocol';
import type { DatabaseContext, HealthReply, WitnessSide } from './types';
import { WITNESS_ID, type WitnessReply } from '../witness/types';
import { walAhead } from './wal';
import { TIMER } from './constants';
import { type Step, type Change, run } from './change';
import { modeOf, witnessMode, witnessLeaseMs } from './rules';
import { settleWrites } from './writes';
import { setWitness, askWitness, renewsWithWitness, sendRenewal } from './witness-duties';
import { reviewFixedSync } from './sync-naming';
import { becomeDemoted, promote } from './roles';

/** Every `intervalMs` a primary asks the witness to renew its lease. */
export function renewTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.role === 'primary' && renewsWithWitness(ctx)) sendRenewal(c);
  });
}

/** The witness answered a renewal (primary) or a lock request (standby). */
export function witnessReplied(ctx: DatabaseContext, from: NodeId, msg: WitnessReply): Step {
  return run(ctx, (c) => {
    if (from !== WITNESS_ID || msg.seq !== ctx.witness.awaiting) return;
    setWitness(c, { awaiting: 0 });
    c.cancel(TIMER.witnessWait);
    if (ctx.role === 'primary') return leaseAnswered(c, msg);
    const takeover = ctx.witness.takeover;
    if ((ctx.role === 'standby' || ctx.role === 'demoted') && takeover?.step === 'asking') lockAnswered(c, takeover, msg);
  });
}

function leaseAnswered(c: Change, msg: WitnessReply): void {
  const { ctx } = c;
  if (msg.granted) {
    if (!ctx.writable) return;
    // A primary promoted by hand answers to the witness's lease from its first renewal on.
    if (ctx.leaseWaived) c.set({ leaseWaived: false });
    c.timer(TIMER.lease, witnessLeaseMs(ctx));
    // The witness now knows it may run degraded: from here on it gives the lock to nobody else.
    if (ctx.witness.renewingDegraded && !ctx.witness.degradedGranted) {
      setWitness(c, { degradedGranted: true });
      reviewFixedSync(c);
      settleWrites(c);
    }
    return;
  }
  // Somebody else holds the lock in this epoch or a newer one: this node is not the primary any more.
  if (msg.holder !== ctx.id && msg.epoch >= ctx.epoch) {
    becomeDemoted(c, msg.epoch, `the witness gave the lock to ${msg.holder} in epoch ${msg.epoch}; stopped taking writes`);
  }
}

/** No answer from the witness in time: a primary's lease is simply not renewed; a standby's takeover stops here. */
export function witnessTimedOut(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.witness.awaiting === 0) return;
    setWitness(c, { awaiting: 0 });
    const takeover = ctx.witness.takeover;
    if ((ctx.role !== 'standby' && ctx.role !== 'demoted') || takeover?.step !== 'asking') return;
    setWitness(c, { takeover: null });
    if (takeover.handedIn !== undefined) return c.set({ reason: `the witness did not answer its request for the lock handed over in the switchover: not promoted` });
    const text =
      ctx.role === 'demoted'
        ? `${ctx.id} hears no primary, but the witness does not answer: without its vote it may not take over`
        : `${failedChecks(c, takeover.from)}, but the witness does not answer: without its vote nobody may take over, so there is no failover (${takeover.from} keeps writing only while its lease lasts)`;
    sayOnce(c, 'detect', takeover, text);
  });
}

/** Every `intervalMs` a standby health-checks its primary, as an orchestrator's agent would. */
export function peerCheckTick(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (!witnessMode(ctx.topology) || ctx.role === 'primary') return;
    c.timer(TIMER.peerCheck, ctx.settings.healthCheck.intervalMs);
    resendDataLost(c);
    if (ctx.role === 'demoted') return demotedTick(c);
    if (ctx.role !== 'standby' || ctx.upstream === null) {
      if (ctx.witness.failures !== 0 || ctx.witness.checkAwaiting !== 0) setWitness(c, { failures: 0, checkAwaiting: 0 });
      return;
    }
    // Normally the timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (ctx.witness.checkAwaiting !== 0) {
      setWitness(c, { peerStopped: stillStopped(ctx) });
      countPeerFailure(c);
    }
    const seq = c.ctx.witness.seq + 1;
    setWitness(c, { seq, checkAwaiting: seq });
    c.send(ctx.upstream, { type: 'HealthCheck', seq });
    c.timer(TIMER.peerWait, ctx.settings.healthCheck.timeoutMs);
  });
}

/**
 * A node that restarted empty says so to the witness again, until it holds data: the notice sent
 * at boot is lost if the witness was down or cut off then, and the witness, not knowing the holder's
 * data is gone, would wait for it forever.
 */
function resendDataLost(c: Change): void {
  if (!c.ctx.witness.dataLost) return;
  if (c.ctx.history.length > 0) return setWitness(c, { dataLost: false });
  c.send(WITNESS_ID, { type: 'DataLost' });
}

export function peerCheckTimedOut(ctx: DatabaseContext): Step {
  return run(ctx, (c) => {
    if (ctx.witness.checkAwaiting === 0) return;
    setWitness(c, { checkAwaiting: 0, peerStopped: stillStopped(ctx) });
    countPeerFailure(c);
  });
}

/** An unanswered check sent before the primary said it came back demoted does not undo what it said. */
function stillStopped(ctx: DatabaseContext): boolean {
  return ctx.witness.peerBackAt !== null && ctx.witness.checkAwaiting <= ctx.witness.peerBackAt;
}

/** The primary's answer: healthy only if it is a primary that takes writes. */
export function peerReplied(ctx: DatabaseContext, from: NodeId, reply: HealthReply): Step {
  return run(ctx, (c) => {
    // Said unasked by a former primary that restarted: it takes no writes (see `announceBack`).
    if (reply.seq === 0 && !reply.writable) return peerBack(c, from, reply);
    if (from !== ctx.upstream) return;
    if (reply.seq !== ctx.witness.checkAwaiting || ctx.witness.checkAwaiting === 0) return;
    setWitness(c, { checkAwaiting: 0, peerBackAt: null });
    c.cancel(TIMER.peerWait);
    if (reply.writable && reply.role === 'primary') return setWitness(c, { failures: 0, said: null, peerStopped: false, peerEmpty: false });
    setWitness(c, { peerStopped: true, peerEmpty: reply.history !== undefined && reply.history.length === 0 });
    countPeerFailure(c);
  });
}

/**
 * A peer restarted as a former primary. If it is this standby's primary, its failed checks are no
 * reason to power it off. A former primary hearing it holds less WAL leaves the lock to it.
 */
function peerBack(c: Change, from: NodeId, reply: HealthReply): void {
  const { ctx } = c;
  if (from === ctx.upstream && ctx.role === 'standby') return setWitness(c, { peerStopped: true, peerBackAt: ctx.witness.seq });
  if (ctx.role === 'demoted' && walAhead(reply, ctx)) setWitness(c, { deferTo: from });
}

function countPeerFailure(c: Change): void {
  const failures = c.ctx.witness.failures + 1;
  setWitness(c, { failures });
  if (failures >= c.ctx.settings.healthCheck.failureThreshold) takeOver(c);
}

/**
 * Where the topology makes a standby synchronous, only a synchronous one may take over: it alone
 * surely holds every acknowledged write. With asynchronous standbys only, any may. So may any once
 * the primary answers with an empty data directory: what only it held is gone whoever takes over,
 * and the witness gives the lock to the node holding the most of what survives. With quorum on
 * this is the witness's rule (`missing`), which the standby only spares itself with quorum off.
 */
function mayTakeOver(ctx: DatabaseContext, primary: NodeId): boolean {
  if (ctx.witness.peerEmpty) return true;
  const marked = [ctx.id, ...ctx.peers].filter((db) => db !== primary && modeOf(ctx.topology, db, primary) === 'sync');
  return marked.length === 0 || marked.includes(ctx.id);
}

function failedChecks(c: Change, from: NodeId): string {
  return `${from} failed ${c.ctx.settings.healthCheck.failureThreshold} health checks in a row`;
}

/**
 * The primary failed `failureThreshold` checks in a row: ask the witness for the lock in the next
 * epoch. The detection is told once the witness has answered: with its vote, detect and confirm;
 * without it, a detect that is not done, saying why (once, not at every retry). With quorum off the
 * standby decides alone.
 *
 * An asynchronous standby beside a synchronous one asks too, though the witness refuses it (it may
 * lack acknowledged writes): its request tells the witness what it holds, as a Patroni member's key
 * does. The witness needs that word from every node once the holder's data is lost (see
 * `lockAfterDataLost`), and this standby may be following a former primary, not that holder, so
 * its own checks never find the holder empty.
 */
function takeOver(c: Change): void {
  const { ctx } = c;
  const from = ctx.upstream;
  if (ctx.role !== 'standby' || from === null || ctx.witness.takeover !== null) return;
  const plan = { from, epoch: ctx.epoch + 1 };
  if (!ctx.settings.quorum) {
    if (!mayTakeOver(ctx, from)) {
      const text = `${failedChecks(c, from)}, but ${ctx.id} replicates asynchronously beside a synchronous standby: it may lack acknowledged writes, so it does not take over`;
      return sayOnce(c, 'detect', plan, text);
    }
    setWitness(c, { takeover: { ...plan, step: 'fencing' } });
    failoverStep(c, 'detect', plan, true, `${failedChecks(c, from)}; ${ctx.id} takes over`);
    failoverStep(c, 'confirm', plan, true, `quorum is off: ${ctx.id} decides alone, without asking the witness`);
    return fenceOldPrimary(c);
  }
  askForLock(c, plan.from, plan.epoch);
}

/** Asks the witness for the lock, saying what this node holds: the witness gives it only to a node holding every acknowledged write. */
function askForLock(c: Change, from: NodeId, epoch: number, handedIn?: number): void {
  setWitness(c, { takeover: handedIn === undefined ? { from, epoch, step: 'asking' } : { from, epoch, step: 'asking', handedIn } });
  const { flushLsn, history } = c.ctx;
  const handover = handedIn === undefined ? {} : { handover: { from, epoch: handedIn } };
  askWitness(c, (seq) => ({ type: 'LockRequest', seq, epoch, primary: c.ctx.role === 'demoted' ? null : from, flushLsn, history, ...handover }));
}

/**
 * A switchover's Promote, with a witness: the primary handed over while it held the lock in
 * `handedBy.epoch`, then stopped writing. The Promote may come late: meanwhile that primary may
 * have taken the lock back (it heard no primary), or the lock gone elsewhere. So the target takes
 * writes only once the witness gives it the lock, which it does only if the lock has not moved
 * since the handover; a Promote that comes too late promotes nothing (never two writers). A
 * request already out is not asked again (the primary resends its Promote every interval).
 */
export function switchoverPromote(c: Change, epoch: number, handedBy: { readonly node: NodeId; readonly epoch: number }): void {
  if ((c.ctx.role !== 'standby' && c.ctx.role !== 'demoted') || c.ctx.witness.takeover !== null) return;
  c.set({ reason: `asks the witness for the lock ${handedBy.node} handed over in the switchover to epoch ${epoch}` });
  askForLock(c, handedBy.node, epoch, handedBy.epoch);
}

/**
 * Witness mode, a former primary (restarted, or stopped by its lease): a primary that exists and
 * can reach it makes it follow at once (its WAL announcements). One that hears none for
 * `failureThreshold` intervals asks the witness for the lock, again every interval; the witness
 * gives it only if nobody's lease is alive and it holds every acknowledged write.
 */
function demotedTick(c: Change): void {
  const { ctx } = c;
  if (!ctx.settings.quorum || ctx.witness.takeover !== null) return;
  const failures = ctx.witness.failures + 1;
  setWitness(c, { failures });
  const threshold = ctx.settings.healthCheck.failureThreshold;
  if (failures < threshold) return;
  // A peer back with more of the WAL asks at the same time: it is left the lock, for as long again
  // (if it never takes it, it died again, and this node asks after all).
  const deferTo = ctx.witness.deferTo;
  if (deferTo !== null && failures < 2 * threshold) {
    return sayOnce(c, 'detect', { from: ctx.id, epoch: ctx.epoch + 1 }, `${ctx.id} hears no primary, but ${deferTo} came back holding more of the WAL: ${ctx.id} leaves the lock to it`);
  }
  askForLock(c, ctx.id, ctx.epoch + 1);
}

function lockAnswered(c: Change, asked: NonNullable<WitnessSide['takeover']>, msg: WitnessReply): void {
  if (asked.handedIn !== undefined) return handedLockAnswered(c, asked, msg);
  const demoted = c.ctx.role === 'demoted';
  if (!msg.granted) {
    setWitness(c, { takeover: null });
    const why = demoted ? `${c.ctx.id} hears no primary` : failedChecks(c, asked.from);
    return sayOnce(c, 'detect', asked, `${why}, but the witness refused ${c.ctx.id} the lock: ${msg.reason}; no failover`);
  }
  // The witness names the epoch (newer than any it gave) and whom the lock is taken from. A standby
  // it names as the holder got the lock once without hearing so (a lossy link) and has followed
  // another primary since: the lock is taken from that primary, the one whose checks failed; this
  // node never powers itself off.
  const holder = msg.previous === c.ctx.id && !demoted ? null : msg.previous;
  const takeover = { from: holder ?? asked.from, epoch: msg.epoch, step: 'asking' as const, ...(msg.ackedUpTo === undefined ? {} : { ackedUpTo: msg.ackedUpTo }) };
  setWitness(c, { takeover });
  const detected = demoted ? `${c.ctx.id} heard no primary for ${c.ctx.settings.healthCheck.failureThreshold} intervals` : failedChecks(c, asked.from);
  failoverStep(c, 'detect', takeover, true, `${detected}; ${c.ctx.id} asked the witness for the lock`);
  failoverStep(c, 'confirm', takeover, true, `the witness gave ${c.ctx.id} the lock for epoch ${takeover.epoch}: ${msg.reason}, so two of three nodes agree`);
  if (demoted) {
    // Nothing to power off: a former primary takes back its own lock, or the holder's lease ran
    // out on the witness's clock, after the holder's own (quorum is on on this path).
    const text = takeover.from === c.ctx.id ? `${c.ctx.id} held the lock itself` : `${takeover.from}'s lease ran out before the witness's, so it has stopped taking writes; it is not powered off`;
    failoverStep(c, 'fence', takeover, true, text);
    return promoteSelf(c);
  }
  fenceOldPrimary(c);
}

/** The witness answered a switchover's request for the lock: promoted in the epoch it gives, or not at all. */
function handedLockAnswered(c: Change, asked: NonNullable<WitnessSide['takeover']>, msg: WitnessReply): void {
  setWitness(c, { takeover: null });
  if (!msg.granted) {
    const text = `${asked.from}'s Promote for the switchover came too late: the witness refused ${c.ctx.id} the lock (${msg.reason}), so ${c.ctx.id} is not promoted`;
    sayOnce(c, 'promote', asked, text); // the old primary sends its Promote again every interval
    return c.set({ reason: `refused the switchover's promotion to epoch ${asked.epoch}: the witness keeps the lock from it` });
  }
  if (msg.epoch <= c.ctx.epoch) return;
  promote(c, msg.epoch, 'witness-switchover');
}

/**
 * Fencing powers off an old primary whose state is unknown. One that has just answered that it
 * takes no writes (restarted as a former primary, or stopped by its lease) is left running: it
 * will follow the new primary, and stays a standby for it (powered off, it would be lost to the
 * synchronous standbys the new primary waits for).
 */
function fenceOldPrimary(c: Change): void {
  const takeover = c.ctx.witness.takeover!;
  if (c.ctx.settings.fencing && c.ctx.witness.peerStopped && c.ctx.settings.quorum && takeover.from === c.ctx.upstream) {
    failoverStep(c, 'fence', takeover, true, `${takeover.from} answers that it takes no writes: nothing to power off; it will follow ${c.ctx.id}`);
    return promoteSelf(c);
  }
  if (c.ctx.settings.fencing) {
    setWitness(c, { takeover: { ...takeover, step: 'fencing' } });
    c.fence(takeover.from);
    return;
  }
  const text = c.ctx.settings.quorum
    ? `fencing is off: ${takeover.from} is not powered off, but its own lease ran out before the witness's did, so it has stopped taking writes`
    : `fencing is off: ${takeover.from} is not powered off and may still take writes`;
  failoverStep(c, 'fence', takeover, true, text);
  promoteSelf(c);
}

/** The kernel's answer to the fence: promote on success; if the old primary could not be powered off, promote nothing. */
export function fenceResult(ctx: DatabaseContext, node: NodeId, ok: boolean, reason: string): Step {
  return run(ctx, (c) => {
    const takeover = ctx.witness.takeover;
    if ((ctx.role !== 'standby' && ctx.role !== 'demoted') || takeover?.step !== 'fencing' || takeover.from !== node) return;
    if (ok) {
      failoverStep(c, 'fence', takeover, true, reason);
      return promoteSelf(c);
    }
    // Pacemaker's rule. The next failed check asks again; the witness gives the same lock back.
    setWitness(c, { takeover: null });
    sayOnce(c, 'fence', takeover, `${reason}; nothing is promoted`);
  });
}

function promoteSelf(c: Change): void {
  const takeover = c.ctx.witness.takeover!;
  setWitness(c, { takeover: null });
  if (takeover.epoch <= c.ctx.epoch) return; // a newer epoch began meanwhile: somebody else took over
  failoverStep(c, 'promote', takeover, true, `${c.ctx.id} promotes itself to primary of epoch ${takeover.epoch}`);
  promote(c, takeover.epoch, 'witness', takeover.ackedUpTo);
  failoverStep(c, 'redirect', takeover, true, `${c.ctx.id} accepts writes in epoch ${takeover.epoch}: clients now write to it`);
}

function failoverStep(c: Change, step: FailoverStep, plan: { from: NodeId; epoch: number }, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from: plan.from, to: c.ctx.id, epoch: plan.epoch, ok, text });
}

/** A step that is not done is said once, not again at every retry. */
function sayOnce(c: Change, step: FailoverStep, plan: { from: NodeId; epoch: number }, text: string): void {
  if (c.ctx.witness.said === text) return;
  setWitness(c, { said: text });
  failoverStep(c, step, plan, false, text);
}
