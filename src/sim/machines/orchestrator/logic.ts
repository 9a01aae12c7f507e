/**
 * The orchestrator agent's rules as plain functions, modelled on Patroni:
 *
 * - Only the agent whose Raft member leads acts (with `quorum` off, every agent acts alone).
 * - Every `healthCheck.intervalMs` it proposes `lease <primary> <epoch> …` to the log, and only
 *   once that entry is applied (committed by a majority) does it renew the primary's lease with
 *   `HealthCheck{lease: true}`: a leader cut off in a minority can never renew it.
 * - A check not answered within `timeoutMs` (or answered by a primary that no longer writes) is a
 *   failure; `failureThreshold` in a row and the primary is down: detect → confirm (a `failover`
 *   entry committed in the log, with quorum on) → fence (STONITH, with fencing on; with fencing
 *   off, wait until the old lease has surely run out) → promote → redirect (the target answers
 *   writable in the new epoch).
 *
 * Each step takes the context and returns what changes and the effects to emit.
 */
import type { FailoverStep, NodeId, NodeTrace } from '../protocol';
import type { ProgramInput } from '../program';
import { Change as NodeChange, NO_STEP, type Step as NodeStep } from '../step';
import { ANNOUNCEMENT_SEQ, type HealthCheck, type HealthReply, type Promote } from '../database/types';
import { epochAt, formatLsn } from '../database/wal';
import { initialNodes } from '../../scenario/nodes';
import { initialDuties, withoutCheck } from './duties';
import { dbApplied, dbCloudStatus, dbMemberReply, dbMemberRole, dbReplied, dbRound, initialDbReplace, parseDbCommand, pendingDead, settledReplacements } from './db-replacement';
import type { AgentContext, AgentMessage, FailoverPlan, MoveName, OperatorRequest, PlanKind, PlanStep } from './types';
import { failoverCommand, leaseCommand, parseCommand, type Command, type SyncMark } from './log-commands';
import { chooseStandby, eligibleStandbys, eligibleWithoutLoss, formerPrimaryBack, unfit } from './standby-choice';
import { promotedSince, ROLE_WORDS, takesNoWrites } from './old-primary';

export { chooseStandby, eligibleStandbys, namingOverruled } from './standby-choice';
export { failoverCommand, leaseCommand, parseCommand, type SyncMark } from './log-commands';

export const TIMER = {
  tick: 'tick',
  /** Fires when no lease renewal was sent for leaseMs + timeoutMs: the old primary's lease is surely over. */
  leaseGuard: 'lease-guard',
  /** Fires leaseMs + timeoutMs after a plan whose Promote went unanswered was abandoned: the lease that Promote may have given is surely over. */
  promoteLease: 'promote-lease',
  timeoutPrefix: 'timeout:',
} as const;

/** A rule's step, and the moves of the statechart it made (machine.ts raises them, in order, once the step is done). */
export interface Step extends NodeStep<AgentContext, AgentMessage> {
  readonly moves?: readonly MoveName[];
}

/**
 * The agent's `Change`: the one of every machine (step.ts), which can also hand its member a
 * command, and notes each move of the failover for the statechart.
 */
class Change extends NodeChange<AgentContext, AgentMessage> {
  readonly moves: MoveName[] = [];
  propose(cmd: string): void {
    this.effects.push({ type: 'local-propose', cmd });
  }
  move(name: MoveName): void {
    this.moves.push(name);
  }
}

function run(ctx: AgentContext, body: (c: Change) => void): Step {
  const change = new Change(ctx);
  body(change);
  return { ...change.step(), moves: change.moves };
}

// ---- boot ---------------------------------------------------------------------------------------

export function initialContext(input: ProgramInput<null>): AgentContext {
  const databases = initialNodes(input.topology)
    .filter((n) => n.kind === 'database')
    .map((n) => n.id);
  return {
    id: input.id,
    settings: input.settings,
    topology: input.topology,
    databases,
    active: databases.length > 0 && input.topology.orchestrators > 0,
    leading: false,
    term: 0,
    primary: databases[0] ?? 'db-1',
    epoch: 1,
    highestEpoch: 1,
    logEpoch: 1,
    round: 0,
    seq: 0,
    awaiting: {},
    failures: {},
    replies: {},
    promoteAsked: {},
    lastPrimary: null,
    syncLog: null,
    leaseOver: false,
    unheardPromoted: null,
    plan: null,
    stalled: false,
    duties: initialDuties(input),
    dbs: initialDbReplace(databases),
  };
}

/** With quorum off every agent watches on its own from the start; with quorum on it waits to lead. */
export function boot(ctx: AgentContext): Step {
  if (!ctx.active || ctx.settings.quorum) return NO_STEP;
  return run(ctx, (c) => c.timer(TIMER.tick, ctx.settings.healthCheck.intervalMs));
}

function watching(ctx: AgentContext): boolean {
  return ctx.active && (!ctx.settings.quorum || ctx.leading);
}

function inProgress(plan: FailoverPlan | null): plan is FailoverPlan {
  return plan !== null && plan.step !== 'done';
}

// ---- what the co-located Raft member reports ----------------------------------------------------

export function onMember(ctx: AgentContext, event: NodeTrace): Step {
  if (!ctx.active) return NO_STEP;
  if (event.type === 'role') {
    const leads = event.role === 'leader';
    const step = leads ? startLeading(ctx, event.term) : stopLeading(ctx);
    if (leads === ctx.dbs.memberLeads) return step;
    // With quorum off `startLeading` does nothing, yet only the log's leader proposes replacements.
    const after = { ...ctx, ...step.patch };
    const more = run(after, (c) => dbMemberRole(c, leads));
    return { patch: { ...step.patch, ...more.patch }, effects: [...step.effects, ...more.effects], moves: [...(step.moves ?? []), ...(more.moves ?? [])] };
  }
  if (event.type === 'apply') {
    const db = parseDbCommand(event.cmd);
    if (db !== null) return run(ctx, (c) => dbApplied(c, db, event.cmd));
    return applied(ctx, event.cmd);
  }
  return NO_STEP;
}

/** The member refused a command this agent proposed: a database replacement's is proposed again later. */
export function onMemberReply(ctx: AgentContext, cmd: string, accepted: boolean): Step {
  if (!ctx.active || parseDbCommand(cmd) === null) return NO_STEP;
  return run(ctx, (c) => dbMemberReply(c, cmd, accepted));
}

/** The cloud's answer about a database node (running, disk lost, data centre dark). */
export function onCloudStatus(ctx: AgentContext, node: NodeId, up: boolean, diskLost: boolean, dark: boolean): Step {
  if (!watching(ctx)) return NO_STEP;
  return run(ctx, (c) => dbCloudStatus(c, node, up, diskLost, dark));
}

function startLeading(ctx: AgentContext, term: number): Step {
  if (ctx.leading || !ctx.settings.quorum) return NO_STEP;
  return run(ctx, (c) => {
    // A leader before us may have renewed the lease an instant ago: count the lease from now.
    c.set({ leading: true, term, leaseOver: false, awaiting: {}, failures: {}, stalled: false });
    c.timer(TIMER.leaseGuard, leaseGuardMs(ctx));
    if (inProgress(ctx.plan) && ctx.plan.step !== 'confirming') reach(c, 'resumed');
    tick(c);
  });
}

function stopLeading(ctx: AgentContext): Step {
  if (!ctx.leading) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ leading: false, awaiting: {} });
    // A failover not yet in the log is forgotten; one in the log is finished by the next leader.
    if (ctx.plan?.step === 'confirming') forget(c);
    else if (inProgress(ctx.plan)) c.move('stepped-down');
    c.cancel(TIMER.tick);
    c.cancel(TIMER.leaseGuard);
    for (const db of [...ctx.databases, ...pendingDead(ctx)]) c.cancel(TIMER.timeoutPrefix + db);
  });
}

function leaseGuardMs(ctx: AgentContext): number {
  return ctx.settings.leaseMs + ctx.settings.healthCheck.timeoutMs;
}

function applied(ctx: AgentContext, cmd: string): Step {
  const command = parseCommand(cmd);
  if (command === null) return NO_STEP;
  return run(ctx, (c) => {
    if (command.kind === 'lease') return leaseApplied(c, command);
    // Whoever led when it was committed may have sent the Promote, overtaken or not.
    noteAsked(c, command.to, command.epoch);
    const plan = ctx.plan;
    const confirmedHere = ctx.leading && plan?.step === 'confirming' && plan.epoch === command.epoch && plan.from === command.from && plan.to === command.to;
    // An entry of an epoch already known was decided and overtaken (or is a duplicate of ours).
    if (!confirmedHere && command.epoch <= c.ctx.logEpoch) {
      if (ctx.leading && command.by !== 'auto' && plan?.step === 'confirming' && plan.to === command.to && plan.epoch === command.epoch) {
        traceStep(c, 'confirm', false, `refused the operator's request: epoch ${command.epoch} was already taken by another failover in the log`);
        forget(c);
      }
      return;
    }
    const { from, to, epoch, lsn, timeline } = command;
    c.set({ plan: { from, to, epoch, lsn, timeline, kind: command.by, step: 'fencing' }, highestEpoch: Math.max(c.ctx.highestEpoch, epoch), logEpoch: Math.max(c.ctx.logEpoch, epoch) });
    if (!confirmedHere) {
      // Another agent's decision (or our own, read back after a restart): whoever leads finishes it,
      // once a health check of the target shows whether it is done, or still fit to be promoted.
      if (ctx.leading) reach(c, 'resumed');
      else c.move('plan-in-log');
      return;
    }
    traceStep(c, 'confirm', true, `a majority of orchestrators committed the ${KIND_WORDS[command.by]} from ${from} to ${to} in epoch ${epoch}`);
    proceed(c);
  });
}

const KIND_WORDS: Record<PlanKind, string> = { auto: 'failover', manual: "operator's failover", promote: "operator's promotion", switchover: 'switchover' };

/** After the confirmation (or a resumption that found the target not yet promoted): the next step of the plan's kind. */
function proceed(c: Change): void {
  const plan = c.ctx.plan;
  if (plan === null) return;
  if (plan.kind === 'switchover') return drain(c);
  if (plan.kind === 'promote') {
    traceStep(c, 'fence', true, `an operator's promotion fences nothing: ${plan.from} keeps taking writes until it hears of epoch ${plan.epoch} (what pg_ctl promote does: two writers meanwhile)`);
    return promote(c);
  }
  fence(c);
}

function leaseApplied(c: Change, command: Extract<Command, { kind: 'lease' }>): void {
  const before = c.ctx;
  const sync = command.sync;
  const known = before.syncLog;
  if (sync !== null && (known === null || sync.epoch > known.epoch || (sync.epoch === known.epoch && sync.gen > known.gen))) c.set({ syncLog: sync });
  if (command.epoch >= before.epoch) c.set({ primary: command.primary, epoch: command.epoch });
  c.set({ highestEpoch: Math.max(before.highestEpoch, command.epoch), logEpoch: Math.max(before.logEpoch, command.epoch) });
  // Leases are renewed only when no failover is under way: one for the plan's target means it is done.
  const plan = before.plan;
  if (inProgress(plan) && plan.to === command.primary && plan.epoch === command.epoch && plan.step !== 'confirming') reach(c, 'completed');
  const mine = command.by === before.id && command.term === before.term && command.round === before.round;
  if (mine && before.leading && !inProgress(c.ctx.plan) && command.primary === c.ctx.primary) sendCheck(c, command.primary, true, false, sync);
}

/**
 * The naming the next lease entry carries (`synchronousModeStrict` off): the watched primary's own,
 * from its latest reply as primary of the epoch the lease is for.
 */
function namingToCommit(ctx: AgentContext): SyncMark | null {
  if (ctx.settings.synchronousModeStrict) return null;
  const last = ctx.lastPrimary;
  if (last === null || last.node !== ctx.primary || last.reply.epoch !== ctx.epoch) return null;
  const sync = last.reply.sync;
  if (sync === undefined || sync === null || sync.epoch !== ctx.epoch) return null;
  return { epoch: sync.epoch, gen: sync.gen };
}

// ---- timers -------------------------------------------------------------------------------------

export function onTimer(ctx: AgentContext, name: string): Step {
  if (name === TIMER.promoteLease) return run(ctx, (c) => c.set({ unheardPromoted: null }));
  if (!watching(ctx)) return NO_STEP;
  if (name === TIMER.tick) return run(ctx, tick);
  if (name === TIMER.leaseGuard) return run(ctx, leaseRanOut);
  if (name.startsWith(TIMER.timeoutPrefix)) return run(ctx, (c) => checkTimedOut(c, name.slice(TIMER.timeoutPrefix.length)));
  return NO_STEP;
}

/** One health-check round: renew the lease through the log, check everyone, push a failover on. */
function tick(c: Change): void {
  const { ctx } = c;
  c.timer(TIMER.tick, ctx.settings.healthCheck.intervalMs);
  const round = ctx.round + 1;
  c.set({ round });
  for (const db of [...ctx.databases, ...pendingDead(ctx)]) {
    if (db === ctx.primary && !inProgress(ctx.plan)) continue;
    // Normally the timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (c.ctx.awaiting[db] !== undefined) countFailure(c, db);
    sendCheck(c, db, false);
  }
  if (!inProgress(ctx.plan)) {
    if (ctx.settings.quorum) c.propose(leaseCommand(ctx.primary, ctx.epoch, ctx.id, ctx.term, round, namingToCommit(ctx)));
    else sendCheck(c, ctx.primary, false);
  }
  // A fence that failed is tried again once this round's check of the old primary is answered or
  // times out (`retryFence`): a node that came back meanwhile is judged by what it says now.
  if (ctx.plan?.step === 'promoting') c.send(ctx.plan.to, promoteMessage(ctx.plan));
  dbRound(c);
}

function promoteMessage(plan: FailoverPlan): Promote {
  return { type: 'Promote', epoch: plan.epoch, minLsn: plan.lsn, timeline: plan.timeline };
}

function sendCheck(c: Change, db: NodeId, lease: boolean, ordered = false, sync: SyncMark | null = null): void {
  const seq = c.ctx.seq + 1;
  // A check still unanswered when the next one leaves has already been counted by its timeout.
  c.set({ seq, awaiting: { ...c.ctx.awaiting, [db]: seq } });
  // The database nodes learn of replacements (their peers) from the checks, as Patroni members from the store.
  const replaced = settledReplacements(c.ctx);
  const base: HealthCheck = lease ? (sync === null ? { type: 'HealthCheck', seq, lease: true } : { type: 'HealthCheck', seq, lease: true, sync }) : { type: 'HealthCheck', seq };
  c.send(db, replaced === undefined ? base : { ...base, replaced }, ordered);
  c.timer(TIMER.timeoutPrefix + db, c.ctx.settings.healthCheck.timeoutMs);
  if (lease) {
    c.set({ leaseOver: false });
    c.timer(TIMER.leaseGuard, leaseGuardMs(c.ctx));
  }
}

function checkTimedOut(c: Change, db: NodeId): void {
  if (c.ctx.awaiting[db] === undefined) return;
  c.set({ awaiting: withoutCheck(c.ctx.awaiting, db) });
  countFailure(c, db);
  if (c.ctx.plan?.step === 'resuming' && db === c.ctx.plan.to) proceed(c);
  else if (c.ctx.plan?.step === 'fence-failed' && db === c.ctx.plan.from) retryFence(c, null);
}

/**
 * A fence that could not be done (the old primary's power controller was out of reach) is tried
 * again after a fresh health check of the old primary. If it answers that it takes no writes (it
 * came back demoted, or as a standby), there is nothing to power off, and powering it off on what
 * it was before would only lose a node the new primary may need as its synchronous standby.
 */
function retryFence(c: Change, fresh: HealthReply | null): void {
  const plan = c.ctx.plan;
  if (plan === null || !targetStillFit(c)) return;
  if (takesNoWrites(c.ctx, plan.from, fresh)) {
    traceStep(c, 'fence', true, `nothing to fence: ${plan.from} is back and answers as ${ROLE_WORDS[fresh.role]}, taking no writes`);
    return promote(c);
  }
  fence(c);
}

/** `answer`: the reply that counted as a failure (the node answers, but not as a writable primary); absent for a timeout. */
function countFailure(c: Change, db: NodeId, answer?: HealthReply): void {
  const failures = (c.ctx.failures[db] ?? 0) + 1;
  c.set({ failures: { ...c.ctx.failures, [db]: failures } });
  const plan = c.ctx.plan;
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  if (inProgress(plan) && plan.step !== 'confirming' && db === plan.to && failures >= threshold) return abandonUnanswered(c, plan);
  if (plan?.step === 'draining' && db === plan.from && failures >= threshold) return abandon(c, plan, `${plan.from} stopped answering during the switchover`);
  if (db === c.ctx.primary) maybeDetect(c, answer);
}

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
function targetStillFit(c: Change): boolean {
  const plan = c.ctx.plan;
  if (plan === null) return false;
  const why = unfit(c.ctx, plan);
  if (why === null) return true;
  abandon(c, plan, why);
  return false;
}

/**
 * The target answers in the plan's epoch (or a newer one) without taking writes in it: the
 * epoch is used up. If the target opened it, the promotion happened and is over (its lease ran
 * out since): it is now the primary that failed, and a new failover starts from it. Otherwise the
 * plan is abandoned and made again in a new epoch.
 */
function epochUsedUp(c: Change, plan: FailoverPlan, reply: HealthReply): void {
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

/** No renewal was sent for leaseMs + timeoutMs: the old primary's lease is surely over (the `watching` agent, and most steps, only note it). */
function leaseRanOut(c: Change): void {
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

/** `draining`: the old primary's lease ran out before the target caught up, so the switchover is given up. */
export function onLeaseOverWhileDraining(ctx: AgentContext): Step {
  const plan = ctx.plan;
  if (!watching(ctx) || plan === null) return NO_STEP;
  return run(ctx, (c) => {
    leaseRanOut(c);
    abandon(c, plan, `${plan.to} did not catch up with ${plan.from} before ${plan.from}'s lease ran out`);
  });
}

// ---- health replies -----------------------------------------------------------------------------

export function onReply(ctx: AgentContext, from: NodeId, reply: HealthReply): Step {
  if (reply.seq === ANNOUNCEMENT_SEQ) return onAnnouncement(ctx, from, reply);
  if (!watching(ctx) || ctx.awaiting[from] !== reply.seq) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ awaiting: withoutCheck(ctx.awaiting, from), replies: { ...ctx.replies, [from]: reply }, highestEpoch: Math.max(ctx.highestEpoch, reply.epoch) });
    c.cancel(TIMER.timeoutPrefix + from);
    // The target of an abandoned plan answers: whether it took over is known now (a Promote still on its way is not over).
    if (from === ctx.unheardPromoted && (reply.writable || reply.epoch >= (ctx.promoteAsked[from] ?? 0))) {
      c.set({ unheardPromoted: null });
      c.cancel(TIMER.promoteLease);
    }
    // A primary promoted outside the orchestrators (an operator) is adopted as the one to watch.
    if (reply.writable && reply.epoch > c.ctx.epoch && !inProgress(ctx.plan)) c.set({ primary: from, epoch: reply.epoch });
    if (from === c.ctx.primary && reply.writable && reply.role === 'primary') c.set({ lastPrimary: { node: from, reply } });
    const plan = c.ctx.plan;
    if (inProgress(plan) && plan.step !== 'confirming' && from === plan.to) {
      if (reply.writable && reply.epoch === plan.epoch) return redirected(c, plan);
      if (reply.epoch >= plan.epoch) return epochUsedUp(c, plan, reply);
      if (!targetStillFit(c)) return;
      if (plan.step === 'resuming') return proceed(c);
    }
    if (plan?.step === 'draining') caughtUp(c, plan);
    if (plan?.step === 'fence-failed' && from === plan.from) retryFence(c, reply);
    const healthy = from !== c.ctx.primary || (reply.writable && reply.role === 'primary');
    if (healthy) c.set({ failures: { ...c.ctx.failures, [from]: 0 } });
    else countFailure(c, from, reply);
    dbReplied(c, from);
  });
}

/**
 * A former primary says, unasked, that it restarted demoted and takes no writes. It stands for the
 * node's latest reply only in place of one that showed it a primary (the one before it went down):
 * a check answered since says more. A fence that failed has nothing left to do.
 */
function onAnnouncement(ctx: AgentContext, from: NodeId, reply: HealthReply): Step {
  const known = ctx.replies[from];
  if (!watching(ctx) || !ctx.databases.includes(from) || reply.writable || reply.role !== 'demoted' || (known !== undefined && known.role !== 'primary')) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ replies: { ...ctx.replies, [from]: reply }, highestEpoch: Math.max(ctx.highestEpoch, reply.epoch) });
    if (ctx.plan?.step === 'fence-failed' && from === ctx.plan.from) retryFence(c, reply);
  });
}

// ---- a failover, step by step -------------------------------------------------------------------

function maybeDetect(c: Change, answer?: HealthReply): void {
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

/** The failover starts from `opener`, the primary of the log's newest epoch (`promotedSince`), as `epochUsedUp` does within a plan. */
function redirectTo(c: Change, opener: NodeId): void {
  const { ctx } = c;
  const reply = ctx.replies[opener]!;
  const text = `${opener} was promoted in epoch ${ctx.logEpoch} already and has stopped taking writes since; it is the primary that failed now, and a failover starts from it`;
  c.trace({ type: 'failover', step: 'redirect', from: ctx.primary, to: opener, epoch: ctx.logEpoch, ok: false, text, abandoned: true });
  const threshold = ctx.settings.healthCheck.failureThreshold;
  c.set({ primary: opener, epoch: ctx.logEpoch, stalled: false, failures: { ...ctx.failures, [opener]: threshold } });
  maybeDetect(c, reply);
}

function planFor(reply: HealthReply | undefined, from: NodeId, to: NodeId, epoch: number, kind: PlanKind): FailoverPlan {
  const lsn = reply?.flushLsn ?? 0;
  return { from, to, epoch, lsn, timeline: epochAt(reply?.history ?? [], lsn), kind, step: 'confirming' };
}

/** With quorum on the plan goes to the log first; with it off this agent decides alone. */
function startPlan(c: Change, plan: FailoverPlan): void {
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

function noteAsked(c: Change, node: NodeId, epoch: number): void {
  if ((c.ctx.promoteAsked[node] ?? 0) < epoch) c.set({ promoteAsked: { ...c.ctx.promoteAsked, [node]: epoch } });
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

function promote(c: Change): void {
  const plan = c.ctx.plan!;
  reach(c, 'promote-sent');
  traceStep(c, 'promote', true, `asks ${plan.to} to become primary of epoch ${plan.epoch}`);
  // On one connection, so the check right behind the Promote is answered after it took effect.
  c.send(plan.to, promoteMessage(plan), true);
  sendCheck(c, plan.to, false, true);
}

// ---- a switchover and an operator's requests ----------------------------------------------------

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
function caughtUp(c: Change, plan: FailoverPlan): void {
  const old = c.ctx.replies[plan.from];
  const target = c.ctx.replies[plan.to];
  if (old === undefined || target === undefined || old.writable || target.role !== 'standby') return;
  if (target.flushLsn < old.flushLsn) return;
  c.set({ plan: { ...plan, lsn: target.flushLsn, timeline: epochAt(target.history ?? [], target.flushLsn) } });
  traceStep(c, 'fence', true, `${plan.to} has caught up with ${plan.from} at ${formatLsn(target.flushLsn)}: nothing acknowledged is missing`);
  promote(c);
}

/**
 * An operator asks to promote `node` (a failover, or `pg_ctl promote` while the primary is
 * healthy) or to switch over to it. It is done as a plan in the log, so that it never races an
 * automatic failover; refused, with the reason, when it cannot be done now.
 */
export function onOperator(ctx: AgentContext, request: OperatorRequest): Step {
  return run(ctx, (c) => {
    const { action, node } = request;
    const epoch = ctx.highestEpoch + 1;
    const refuse = (why: string) => traceStepOf(c, 'confirm', ctx.primary, node, epoch, false, `refused the operator's ${action} of ${node}: ${why}`);
    if (!watching(ctx)) return refuse(`${ctx.id} does not lead the orchestrators`);
    if (!ctx.databases.includes(node)) return refuse(`${node} is not a database node`);
    const plan = ctx.plan;
    if (inProgress(plan)) return refuse(`a ${KIND_WORDS[plan.kind]} from ${plan.from} to ${plan.to} in epoch ${plan.epoch} is under way (${plan.step})`);
    const primaryReply = ctx.replies[ctx.primary];
    const primaryHealthy = (ctx.failures[ctx.primary] ?? 0) === 0 && primaryReply?.writable === true && primaryReply.role === 'primary';
    if (node === ctx.primary && primaryHealthy) return refuse(`${node} is the primary already`);
    const reply = ctx.replies[node];
    if (reply === undefined || (ctx.failures[node] ?? 0) > 0) return refuse(`${node} does not answer health checks`);
    if (reply.role === 'rebuilding') return refuse(`${node} is being rebuilt from a base backup`);
    let kind: PlanKind;
    if (action === 'switchover') {
      if (!primaryHealthy) return refuse(`${ctx.primary} is not a healthy primary to hand over from (promote ${node} instead)`);
      if (reply.role !== 'standby') return refuse(`${node} is not a standby`);
      kind = 'switchover';
    } else if (primaryHealthy) {
      kind = 'promote';
    } else {
      if (!eligibleStandbys(ctx, ctx.primary).includes(node)) return refuse(`${node} may lack writes that ${ctx.primary} acknowledged (it is not the synchronous standby, or holds less)`);
      kind = 'manual';
    }
    const words = { promote: 'promotion', manual: 'promotion', switchover: 'switchover', auto: 'failover' }[kind];
    traceStepOf(c, 'detect', ctx.primary, node, epoch, true, `an operator asks for the ${words} of ${node}${kind === 'manual' ? ` in place of the failed ${ctx.primary}` : ''}`);
    c.set({ stalled: false });
    startPlan(c, planFor(reply, ctx.primary, node, epoch, kind));
  });
}

function redirected(c: Change, plan: FailoverPlan): void {
  reach(c, 'redirected');
  c.set({ primary: plan.to, epoch: plan.epoch, failures: {}, stalled: false });
  traceStep(c, 'redirect', true, `${plan.to} accepts writes in epoch ${plan.epoch}: clients now write to it`);
}

/** The plan moves on: the statechart takes `move` (machine.ts), and the plan's step, kept for the log's replay and the page, says where it stands. */
function reach(c: Change, move: keyof typeof STEP_AFTER): void {
  const step = STEP_AFTER[move];
  if (c.ctx.plan !== null && c.ctx.plan.step !== step) c.set({ plan: { ...c.ctx.plan, step } });
  c.move(move);
}

/** The step each move of a plan leads to. */
const STEP_AFTER = {
  resumed: 'resuming',
  'drain-asked': 'draining',
  'fence-asked': 'fencing',
  'fence-refused': 'fence-failed',
  'lease-awaited': 'lease-wait',
  'promote-sent': 'promoting',
  redirected: 'done',
  completed: 'done',
} as const satisfies Partial<Record<MoveName, PlanStep>>;

/** A plan only proposed, not yet in the log, is dropped (its agent stopped leading, or the log took the epoch for another). */
function forget(c: Change): void {
  c.set({ plan: null });
  c.move('forgotten');
}

function traceStep(c: Change, step: FailoverStep, ok: boolean, text: string): void {
  const plan = c.ctx.plan;
  traceStepOf(c, step, plan?.from ?? c.ctx.primary, plan?.to ?? null, plan?.epoch ?? c.ctx.highestEpoch + 1, ok, text);
}

function traceStepOf(c: Change, step: FailoverStep, from: NodeId, to: NodeId | null, epoch: number, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from, to, epoch, ok, text });
}
