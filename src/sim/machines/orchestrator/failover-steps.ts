/**
 * A failover, step by step: detect (enough failed checks of the primary in a row), start the plan
 * (to the log, with quorum on), then by its kind fence the old primary (STONITH, with fencing on),
 * wait until its lease has surely run out (fencing off), or drain it (a switchover), promote the
 * target, and redirect once it answers writable in the new epoch. A plan whose target became unfit
 * or stopped answering is abandoned and made again in a newer epoch.
 *
 * Each function edits a `Change` (change.ts); the health replies that move a plan on are in
 * health.ts, the operator's requests in operator-requests.ts.
 */
import type { FailoverStep, NodeId } from '../protocol';
import { NO_STEP } from '../step';
import type { HealthReply } from '../database/types';
import { epochAt, formatLsn } from '../database/wal';
import type { AgentContext, FailoverPlan, PlanKind } from './types';
import { failoverCommand } from './log-commands';
import { chooseStandby, eligibleWithoutLoss, formerPrimaryBack, unfit } from './standby-choice';
import { newestOpenedEpoch, promotedSince, ROLE_WORDS, takesNoWrites } from './old-primary';
import { inProgress, leaseGuardMs, noteAsked, promoteMessage, reach, run, sendCheck, TIMER, traceStep, traceStepOf, watching, type Change, type Step } from './change';

// ---- detecting ----------------------------------------------------------------------------------

/**
 * A state's own part of a failure counted against `db` (machine.ts says in which state), run after
 * the target's failures are weighed and before the primary's: true when it moved the plan on.
 */
export type FailurePart = (c: Change, plan: FailoverPlan, db: NodeId, failures: number) => boolean;

/**
 * `answer`: the reply that counted as a failure (the node answers, but not as a writable primary);
 * absent for a timeout. `own`: the part of the state the agent is in, run only while the plan is
 * still the one that state serves (nothing earlier in the same event moved it on).
 */
export function countFailure(c: Change, db: NodeId, answer?: HealthReply, own?: FailurePart): void {
  const failures = (c.ctx.failures[db] ?? 0) + 1;
  c.set({ failures: { ...c.ctx.failures, [db]: failures } });
  const plan = c.ctx.plan;
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  if (inProgress(plan) && plan.step !== 'confirming' && db === plan.to && failures >= threshold) return abandonUnanswered(c, plan);
  if (own !== undefined && plan !== null && c.moves.length === 0 && own(c, plan, db, failures)) return;
  if (db === c.ctx.primary) maybeDetect(c, answer);
}

export function maybeDetect(c: Change, answer?: HealthReply): void {
  const { ctx } = c;
  if (inProgress(ctx.plan) || (ctx.failures[ctx.primary] ?? 0) < ctx.settings.healthCheck.failureThreshold) return;
  // An abandoned plan's target may still take writes under the lease of a Promote that went unanswered.
  if (ctx.unheardPromoted !== null) return;
  const opener = promotedSince(ctx);
  if (opener !== null) return redirectTo(c, opener);
  const from = ctx.primary;
  const back = answer !== undefined && formerPrimaryBack(ctx, from, answer);
  const to = back ? from : chooseStandby(ctx, from);
  const epoch = ctx.highestEpoch + 1;
  if (to === null) {
    if (!ctx.stalled) traceStepOf(c, 'detect', from, null, epoch, false, `${from} failed ${ctx.failures[from]} health checks in a row, but no standby that surely holds every acknowledged write answers`);
    c.set({ stalled: true });
    return;
  }
  const lossy = !back && eligibleWithoutLoss(ctx, from).length === 0;
  const why = back
    ? `${from} answers but takes no writes (a former primary, demoted since: it restarted, or its lease ran out); no standby has more of the WAL, so it is promoted again`
    : lossy
      ? `${from} failed ${ctx.failures[from]} health checks in a row and its disk is lost: what only it held is gone whoever takes over, so ${to}, whose WAL goes furthest of the nodes left, is promoted`
      : `${from} failed ${ctx.failures[from]} health checks in a row; ${to} is the most up-to-date standby`;
  traceStepOf(c, 'detect', from, to, epoch, true, why);
  c.set({ stalled: false, failures: { ...ctx.failures, [from]: 0 } });
  startPlan(c, planFor(back ? answer : ctx.replies[to], from, to, epoch, 'auto'));
}

/** The failover starts from `opener`, the primary of the newest epoch opened (`promotedSince`), as `epochUsedUp` does within a plan. */
function redirectTo(c: Change, opener: NodeId): void {
  const { ctx } = c;
  const reply = ctx.replies[opener]!;
  const epoch = newestOpenedEpoch(ctx);
  const text = `${opener} was promoted in epoch ${epoch} already and has stopped taking writes since; it is the primary that failed now, and a failover starts from it`;
  c.trace({ type: 'failover', step: 'redirect', from: ctx.primary, to: opener, epoch, ok: false, text, abandoned: true });
  const threshold = ctx.settings.healthCheck.failureThreshold;
  c.set({ primary: opener, epoch, stalled: false, failures: { ...ctx.failures, [opener]: threshold } });
  maybeDetect(c, reply);
}

export function planFor(reply: HealthReply | undefined, from: NodeId, to: NodeId, epoch: number, kind: PlanKind): FailoverPlan {
  const lsn = reply?.flushLsn ?? 0;
  return { from, to, epoch, lsn, timeline: epochAt(reply?.history ?? [], lsn), kind, step: 'confirming' };
}

/** With quorum on the plan goes to the log first; with it off this agent decides alone. */
export function startPlan(c: Change, plan: FailoverPlan): void {
  if (c.ctx.settings.quorum) {
    c.set({ plan });
    c.move('proposed');
    c.propose(failoverCommand(plan));
    return;
  }
  c.set({ plan: { ...plan, step: 'fencing' }, highestEpoch: plan.epoch });
  noteAsked(c, plan.to, plan.epoch);
  traceStep(c, 'confirm', true, `quorum is off: ${c.ctx.id} decides alone, without asking the other orchestrators`);
  proceed(c);
}

// ---- fence (or wait for the lease), then promote ------------------------------------------------

/** After the confirmation (or a resumption that found the target not yet promoted): the next step of the plan's kind. */
export function proceed(c: Change): void {
  const plan = c.ctx.plan;
  if (plan === null) return;
  if (plan.kind === 'switchover') return drain(c);
  if (plan.kind === 'promote') {
    traceStep(c, 'fence', true, `an operator's promotion fences nothing: ${plan.from} keeps taking writes until it hears of epoch ${plan.epoch} (what pg_ctl promote does: two writers meanwhile)`);
    return promote(c);
  }
  fence(c);
}

function fence(c: Change): void {
  const plan = c.ctx.plan;
  if (plan === null || !targetStillFit(c)) return;
  if (plan.to === plan.from) {
    traceStep(c, 'fence', true, `nothing to fence: ${plan.from} itself is promoted again`);
    return promote(c);
  }
  const old = c.ctx.replies[plan.from];
  if (takesNoWrites(c.ctx, plan.from, old)) {
    // A node that answers as a standby, or as a former primary back demoted (it restarted, or its
    // lease ran out), takes no writes, and only a Promote would change that: it is fenced already.
    // Powering it off would only lose a node the new primary may need as its standby.
    traceStep(c, 'fence', true, `nothing to fence: ${plan.from} answers as ${ROLE_WORDS[old.role]} and takes no writes`);
    return promote(c);
  }
  if (c.ctx.settings.fencing) {
    reach(c, 'fence-asked');
    c.effects.push({ type: 'fence', node: plan.from });
    return;
  }
  if (c.ctx.settings.quorum && !c.ctx.leaseOver) {
    reach(c, 'lease-awaited');
    traceStep(c, 'fence', false, `fencing is off: waits until ${plan.from}'s lease has surely run out before promoting`);
    return;
  }
  traceStep(c, 'fence', true, `fencing is off: ${plan.from} is not powered off and may still take writes`);
  promote(c);
}

/** `fencing`, `fence-failed`: the old primary was powered off, so the target is promoted (if it is still fit). */
export function onFenceDone(ctx: AgentContext, node: NodeId, reason: string): Step {
  if (!fenceOfPlan(ctx, node)) return NO_STEP;
  return run(ctx, (c) => {
    traceStep(c, 'fence', true, reason);
    if (targetStillFit(c)) promote(c);
  });
}

/**
 * `fencing`: the fence could not be done. Pacemaker's rule: if fencing fails, nothing is promoted.
 * Said once (`again` in `fence-failed`, where it is retried every interval).
 */
export function onFenceRefused(ctx: AgentContext, node: NodeId, reason: string, again: boolean): Step {
  if (!fenceOfPlan(ctx, node)) return NO_STEP;
  return run(ctx, (c) => {
    if (!again) traceStep(c, 'fence', false, `${reason}; nothing is promoted`);
    reach(c, 'fence-refused');
  });
}

/** A fence's result is heard only in `fencing` and `fence-failed` (machine.ts), and only for the plan's old primary. */
export function fenceOfPlan(ctx: AgentContext, node: NodeId): boolean {
  return watching(ctx) && ctx.plan !== null && ctx.plan.from === node;
}

/**
 * A fence that could not be done (the old primary's power controller was out of reach) is tried
 * again after a fresh health check of the old primary. If it answers that it takes no writes (it
 * came back demoted, or as a standby), there is nothing to power off, and powering it off on what
 * it was before would only lose a node the new primary may need as its synchronous standby.
 */
export function retryFence(c: Change, fresh: HealthReply | null): void {
  const plan = c.ctx.plan;
  if (plan === null || !targetStillFit(c)) return;
  if (takesNoWrites(c.ctx, plan.from, fresh)) {
    traceStep(c, 'fence', true, `nothing to fence: ${plan.from} is back and answers as ${ROLE_WORDS[fresh.role]}, taking no writes`);
    return promote(c);
  }
  fence(c);
}

/** No renewal was sent for leaseMs + timeoutMs: the old primary's lease is surely over (the `watching` agent, and most steps, only note it). */
export function leaseRanOut(c: Change): void {
  c.set({ leaseOver: true });
}

/** `lease-wait`: the lease the agent waited for has run out, so the target is promoted. */
export function onLeaseOverWhileWaiting(ctx: AgentContext): Step {
  const plan = ctx.plan;
  if (!watching(ctx) || plan === null) return NO_STEP;
  return run(ctx, (c) => {
    leaseRanOut(c);
    traceStep(c, 'fence', true, `${plan.from}'s lease has run out, so it no longer takes writes`);
    promote(c);
  });
}

/** `promoting`: each round the Promote is sent again, in case it was lost on the way. */
export function promoteAgain(c: Change, plan: FailoverPlan): void {
  c.send(plan.to, promoteMessage(plan));
}

function promote(c: Change): void {
  const plan = c.ctx.plan!;
  reach(c, 'promote-sent');
  traceStep(c, 'promote', true, `asks ${plan.to} to become primary of epoch ${plan.epoch}`);
  // On one connection, so the check right behind the Promote is answered after it took effect.
  c.send(plan.to, promoteMessage(plan), true);
  sendCheck(c, plan.to, false, true);
}

// ---- a switchover: drain, then promote ----------------------------------------------------------

/** A switchover: the primary stops taking new writes (it keeps streaming), and both are checked at once. */
function drain(c: Change): void {
  const plan = c.ctx.plan!;
  reach(c, 'drain-asked');
  traceStep(c, 'fence', true, `switchover: ${plan.from} takes no new writes and keeps streaming until ${plan.to} has caught up`);
  c.send(plan.from, { type: 'Drain', epoch: c.ctx.epoch, to: plan.to }, true);
  sendCheck(c, plan.from, false, true);
  sendCheck(c, plan.to, false, true);
}

/** Draining: once the old primary takes no writes and the target has flushed all of its WAL, the target is promoted. */
export function caughtUp(c: Change, plan: FailoverPlan): void {
  const old = c.ctx.replies[plan.from];
  const target = c.ctx.replies[plan.to];
  if (old === undefined || target === undefined || old.writable || target.role !== 'standby') return;
  if (target.flushLsn < old.flushLsn) return;
  c.set({ plan: { ...plan, lsn: target.flushLsn, timeline: epochAt(target.history ?? [], target.flushLsn) } });
  traceStep(c, 'fence', true, `${plan.to} has caught up with ${plan.from} at ${formatLsn(target.flushLsn)}: nothing acknowledged is missing`);
  promote(c);
}

/** `draining`: the old primary stopped answering (or answered as no primary) too many times in a row, so the switchover is given up. */
export function oldPrimaryFailedWhileDraining(c: Change, plan: FailoverPlan, db: NodeId, failures: number): boolean {
  if (db !== plan.from || failures < c.ctx.settings.healthCheck.failureThreshold) return false;
  abandon(c, plan, `${plan.from} stopped answering during the switchover`);
  return true;
}

/** `draining`: the old primary's lease ran out before the target caught up, so the switchover is given up. */
export function onLeaseOverWhileDraining(ctx: AgentContext): Step {
  const plan = ctx.plan;
  if (!watching(ctx) || plan === null) return NO_STEP;
  return run(ctx, (c) => {
    leaseRanOut(c);
    abandon(c, plan, `${plan.to} did not catch up with ${plan.from} before ${plan.from}'s lease ran out`);
  });
}

// ---- the target answers: redirected, or its epoch used up ---------------------------------------

export function redirected(c: Change, plan: FailoverPlan): void {
  reach(c, 'redirected');
  c.set({ primary: plan.to, epoch: plan.epoch, failures: {}, stalled: false });
  traceStep(c, 'redirect', true, `${plan.to} accepts writes in epoch ${plan.epoch}: clients now write to it`);
}

/**
 * The target answers in the plan's epoch (or a newer one) without taking writes in it: the
 * epoch is used up. If the target opened it, the promotion happened and is over (its lease ran
 * out since): it is now the primary that failed, and a new failover starts from it. Otherwise the
 * plan is abandoned and made again in a new epoch.
 */
export function epochUsedUp(c: Change, plan: FailoverPlan, reply: HealthReply): void {
  const history = reply.history ?? [];
  // Only a former primary of that epoch (demoted since) opened it; a standby follows whoever did.
  const openedIt = reply.role === 'demoted' && history[history.length - 1]?.epoch === plan.epoch;
  if (!openedIt) return abandon(c, plan, `${plan.to} is already in epoch ${reply.epoch}, so epoch ${plan.epoch} cannot be opened again`);
  const text = `${plan.to} was promoted in epoch ${plan.epoch} already and has stopped taking writes since; it is the primary that failed now, and a failover starts from it`;
  c.trace({ type: 'failover', step: 'redirect', from: plan.from, to: plan.to, epoch: plan.epoch, ok: false, text, abandoned: true });
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  reach(c, 'completed');
  c.set({ primary: plan.to, epoch: plan.epoch, stalled: false, failures: { ...c.ctx.failures, [plan.to]: threshold } });
  maybeDetect(c, reply);
}

// ---- a plan given up ----------------------------------------------------------------------------

/** The step a plan has reached, for the words of its abandonment. */
function stepOf(plan: FailoverPlan): FailoverStep {
  if (plan.step === 'promoting') return 'promote';
  if (plan.step === 'confirming' || plan.step === 'resuming') return 'confirm';
  return 'fence';
}

/**
 * The plan's target became unfit (or stopped answering) before it took over: the plan is given up,
 * said in words, and a new one is made at once from what the agent knows now, in a newer epoch.
 */
function abandon(c: Change, plan: FailoverPlan, why: string): void {
  c.trace({ type: 'failover', step: stepOf(plan), from: plan.from, to: plan.to, epoch: plan.epoch, ok: false, text: `${why}; the failover starts again`, abandoned: true });
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  c.move('abandoned');
  c.set({ plan: null, primary: plan.from, highestEpoch: Math.max(c.ctx.highestEpoch, plan.epoch), stalled: false, failures: { ...c.ctx.failures, [plan.from]: threshold } });
  if (plan.kind === 'switchover' || plan.kind === 'promote') return; // the old primary was healthy: it is simply watched again
  // A primary of a newer epoch already writes (an operator promoted it while no orchestrator led): it is the one to watch.
  const newer = c.ctx.databases.find((db) => c.ctx.replies[db]?.writable === true && c.ctx.replies[db]!.epoch > c.ctx.epoch && (c.ctx.failures[db] ?? 0) === 0);
  if (newer !== undefined) return c.set({ primary: newer, epoch: c.ctx.replies[newer]!.epoch });
  maybeDetect(c);
}

/**
 * The target stopped answering. Once a Promote may have been sent (`promoting`, or by the leader
 * before, `resuming`), only its answers may have been lost: it may take writes in the plan's epoch
 * under the lease the Promote gave, so nobody else is promoted until that lease has surely run out
 * (leaseMs + timeoutMs, as for a renewal) or it answers. Powering it off would lose what may be the
 * only copy of the acknowledged writes (it was chosen for holding them all).
 */
function abandonUnanswered(c: Change, plan: FailoverPlan): void {
  if (plan.step !== 'promoting' && plan.step !== 'resuming') return abandon(c, plan, `${plan.to} stopped answering before it took over`);
  const waitMs = leaseGuardMs(c.ctx);
  c.set({ unheardPromoted: plan.to });
  c.timer(TIMER.promoteLease, waitMs);
  abandon(c, plan, `${plan.to} stopped answering after it may have been asked to become primary of epoch ${plan.epoch}: it may have taken over unheard, so nobody else is promoted until the lease that Promote gave has surely run out (${waitMs} ms) or it answers`);
}

/** Re-checks the target before a step: false (and the plan abandoned) when it became unfit. */
export function targetStillFit(c: Change): boolean {
  const plan = c.ctx.plan;
  if (plan === null) return false;
  const why = unfit(c.ctx, plan);
  if (why === null) return true;
  abandon(c, plan, why);
  return false;
}
