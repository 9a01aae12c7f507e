/**
 * The health replies the agent hears, and the checks left unanswered.
 *
 * Every state does the same with a reply to a check at first and at last (`onReply`): first it is
 * recorded (the check's timeout cancelled, the node's latest answer and the highest epoch heard
 * kept, an abandoned plan's target heard from, a primary an operator promoted adopted, the watched
 * primary's last healthy answer kept); last it is counted for or against its node (enough failures
 * of the primary in a row and a failover is detected, failover-steps.ts) and handed to the database
 * replacements (db-replacement.ts). In between runs the part a state takes on its own, given by
 * machine.ts, whose states say whose reply they take and with which part:
 *
 * - `fencing`, `fence-failed`, `lease-wait`, `promoting`: the plan's target answers (`targetAnswers`):
 *   writable in the plan's epoch, it has taken over and clients are redirected to it; in that epoch
 *   or a newer one without taking writes, the epoch is used up; unfit, the plan is abandoned.
 * - `resuming`: the same, and a target not yet promoted and still fit takes the plan on to its next step.
 * - `draining`: the same for the target, then any reply may show the target caught up with the old
 *   primary, and the target is promoted.
 * - `fence-failed`: the old primary answers, or says unasked that it restarted demoted: the fence is
 *   tried again on what it says now.
 *
 * A part that moves the plan on this way (redirected, used up, abandoned, resumed) ends the reply
 * there: it is not counted (an announcement never is). `watching`, `confirming`, `done` and
 * `following` take no part of their own.
 *
 * A check left unanswered (its timeout, `onCheckTimeout`) is counted as a failure of its node in
 * every state first; then, unless that gave the plan up, `resuming` takes the plan on without the
 * target's answer and `fence-failed` tries the fence again without the old primary's.
 */
import type { NodeId } from '../protocol';
import { NO_STEP } from '../step';
import { ANNOUNCEMENT_SEQ, type HealthReply } from '../database/types';
import { withoutCheck } from './duties';
import { dbReplied } from './db-replacement';
import type { AgentContext, FailoverPlan } from './types';
import { inProgress, run, TIMER, watching, type Change, type Step } from './change';
import { caughtUp, countFailure, epochUsedUp, proceed, redirected, retryFence, targetStillFit, type FailurePart } from './failover-steps';

/**
 * A state's own part of a health reply, run between what every state does with it (machine.ts
 * says in which state, for whose reply). True when it moved the plan on, so the reply counts no further.
 */
export type ReplyPart = (c: Change, plan: FailoverPlan, reply: HealthReply) => boolean;

/** A health reply (or a former primary's announcement), with the part of the state the agent is in (`own`), if it takes one. */
export function onReply(ctx: AgentContext, from: NodeId, reply: HealthReply, own?: ReplyPart, failure?: FailurePart): Step {
  if (reply.seq === ANNOUNCEMENT_SEQ) return onAnnouncement(ctx, from, reply, own);
  if (!watching(ctx) || ctx.awaiting[from] !== reply.seq) return NO_STEP;
  return run(ctx, (c) => {
    recordReply(c, from, reply);
    const plan = c.ctx.plan;
    if (own !== undefined && plan !== null && own(c, plan, reply)) return;
    countReply(c, from, reply, failure);
  });
}

/** What every state does first with a reply to a check. */
function recordReply(c: Change, from: NodeId, reply: HealthReply): void {
  const ctx = c.ctx;
  c.set({ awaiting: withoutCheck(ctx.awaiting, from), replies: { ...ctx.replies, [from]: reply }, highestEpoch: Math.max(ctx.highestEpoch, reply.epoch) });
  c.cancel(TIMER.timeoutPrefix + from);
  // The target of an abandoned plan answers: whether it took over is known now (a Promote still on its way is not over).
  if (from === ctx.unheardPromoted && (reply.writable || reply.epoch >= (ctx.promoteAsked[from] ?? 0))) {
    c.set({ unheardPromoted: null });
    c.cancel(TIMER.promoteLease);
  }
  // A primary promoted outside the orchestrators (an operator) is adopted as the one to watch.
  if (reply.writable && reply.epoch > c.ctx.epoch && !inProgress(ctx.plan)) c.set({ primary: from, epoch: reply.epoch });
  else if (secondWriterOfEpoch(c.ctx, from, reply)) c.send(from, { type: 'Demote', epoch: c.ctx.epoch, primary: c.ctx.primary });
  if (from === c.ctx.primary && reply.writable && reply.role === 'primary') c.set({ lastPrimary: { node: from, reply } });
}

/**
 * Another node takes writes in the epoch of the primary the log names: an operator promoted it by
 * hand while no orchestrator led, where the log could not hear of it, and the log later gave the
 * same number to its own primary. With quorum on the log's primary keeps the epoch; the other is
 * told to follow it, and rewinds what it wrote (its timeline was opened by hand: `openedBy`).
 */
function secondWriterOfEpoch(ctx: AgentContext, from: NodeId, reply: HealthReply): boolean {
  return ctx.settings.quorum && reply.writable && reply.epoch === ctx.epoch && ctx.primary !== null && from !== ctx.primary && !inProgress(ctx.plan);
}

/** What every state does last with a reply to a check, unless its own part moved the plan on. */
function countReply(c: Change, from: NodeId, reply: HealthReply, failure?: FailurePart): void {
  const healthy = from !== c.ctx.primary || (reply.writable && reply.role === 'primary');
  if (healthy) c.set({ failures: { ...c.ctx.failures, [from]: 0 } });
  else countFailure(c, from, reply, failure);
  dbReplied(c, from);
}

/**
 * A former primary says, unasked, that it restarted demoted and takes no writes. It stands for the
 * node's latest reply only in place of one that showed it a primary (the one before it went down):
 * a check answered since says more. Only `fence-failed` takes it with a part of its own (the fence
 * has nothing left to do).
 */
function onAnnouncement(ctx: AgentContext, from: NodeId, reply: HealthReply, own?: ReplyPart): Step {
  const known = ctx.replies[from];
  if (!watching(ctx) || !ctx.databases.includes(from) || reply.writable || reply.role !== 'demoted' || (known !== undefined && known.role !== 'primary')) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ replies: { ...ctx.replies, [from]: reply }, highestEpoch: Math.max(ctx.highestEpoch, reply.epoch) });
    const plan = c.ctx.plan;
    if (own !== undefined && plan !== null) own(c, plan, reply);
  });
}

// ---- the parts states take on their own ---------------------------------------------------------

/**
 * `fencing`, `fence-failed`, `lease-wait`, `promoting` (and first in `resuming`, `draining`): the
 * plan's target answers. Writable in the plan's epoch, it took over (redirected); in that epoch or a
 * newer one without taking writes, the epoch is used up; no longer fit, the plan is abandoned.
 */
export function targetAnswers(c: Change, plan: FailoverPlan, reply: HealthReply): boolean {
  if (reply.writable && reply.epoch === plan.epoch) {
    redirected(c, plan);
    return true;
  }
  if (reply.epoch >= plan.epoch) {
    epochUsedUp(c, plan, reply);
    return true;
  }
  return !targetStillFit(c);
}

/** `resuming`: the target answers; not promoted yet and still fit, the plan goes on to its next step. */
export function targetAnswersWhileResuming(c: Change, plan: FailoverPlan, reply: HealthReply): boolean {
  if (targetAnswers(c, plan, reply)) return true;
  proceed(c);
  return true;
}

/** `draining`: the target answers, and may have caught up with the old primary. */
export function targetAnswersWhileDraining(c: Change, plan: FailoverPlan, reply: HealthReply): boolean {
  return targetAnswers(c, plan, reply) || anyAnswerWhileDraining(c, plan);
}

/** `draining`: any answer may show the target caught up with the old primary (which then has it promoted). */
export function anyAnswerWhileDraining(c: Change, plan: FailoverPlan): boolean {
  caughtUp(c, plan);
  return false;
}

/** `fence-failed`: the old primary answers (or announces itself): the fence is tried again on what it says now. */
export function oldPrimaryAnswersWhileFenceFailed(c: Change, _plan: FailoverPlan, reply: HealthReply): boolean {
  retryFence(c, reply);
  return false;
}

// ---- a check unanswered -------------------------------------------------------------------------

/**
 * A state's own part of a check its timeout found unanswered, run after what every state does with
 * it (machine.ts says in which state, for whose check).
 */
export type TimeoutPart = (c: Change, plan: FailoverPlan) => void;

/** A check's timeout fired, with the part of the state the agent is in (`own`), if it takes one. */
export function onCheckTimeout(ctx: AgentContext, db: NodeId, own?: TimeoutPart, failure?: FailurePart): Step {
  if (!watching(ctx)) return NO_STEP;
  return run(ctx, (c) => checkTimedOut(c, db, own, failure));
}

/**
 * Every state counts an unanswered check as a failure of its node (which may give the plan up: its
 * target, or a switchover's old primary, stopped answering); then, unless that moved the plan on,
 * the state's own part runs.
 */
function checkTimedOut(c: Change, db: NodeId, own?: TimeoutPart, failure?: FailurePart): void {
  if (c.ctx.awaiting[db] === undefined) return;
  c.set({ awaiting: withoutCheck(c.ctx.awaiting, db) });
  countFailure(c, db, undefined, failure);
  const plan = c.ctx.plan;
  if (own !== undefined && plan !== null && c.moves.length === 0) own(c, plan);
}

/** `resuming`: the target's check went unanswered (not often enough to give the plan up): the plan goes on to its next step without it. */
export function targetUnheardWhileResuming(c: Change): void {
  proceed(c);
}

/** `fence-failed`: this round's check of the old primary went unanswered: the fence is tried again. */
export function oldPrimaryUnheardWhileFenceFailed(c: Change): void {
  retryFence(c, null);
}
