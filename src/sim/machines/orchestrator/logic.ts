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
 *
 * This file is the door: it holds the agent's start, what its Raft member reports (leading or not,
 * the entries the log applied) and its timers, and gathers the rules the machine uses from the files
 * beside it, one per idea: failover-steps.ts (a failover, step by step, from detection to redirect,
 * and a plan given up), health.ts (the health replies, what every state does with one and what a
 * state does on its own, and checks left unanswered), operator-requests.ts (an operator's
 * promotion or switchover), standby-choice.ts and old-primary.ts (what the agent reads off the
 * replies), log-commands.ts (the log's entries), db-replacement.ts (lost database nodes replaced);
 * change.ts holds what they all share.
 */
import type { NodeId, NodeTrace } from '../protocol';
import type { ProgramInput } from '../program';
import { NO_STEP } from '../step';
import { initialNodes } from '../../scenario/nodes';
import { initialDuties } from './duties';
import { dbApplied, dbCloudStatus, dbMemberReply, dbMemberRole, dbRound, initialDbReplace, parseDbCommand, pendingDead } from './db-replacement';
import type { AgentContext, FailoverPlan } from './types';
import { leaseCommand, parseCommand, type Command, type SyncMark } from './log-commands';
import { forget, inProgress, KIND_WORDS, leaseGuardMs, noteAsked, reach, run, sendCheck, TIMER, traceStep, watching, type Change, type Step } from './change';
import { countFailure, leaseRanOut, proceed, type FailurePart } from './failover-steps';
import { onCheckTimeout } from './health';

export { chooseStandby, eligibleStandbys, namingOverruled } from './standby-choice';
export { failoverCommand, leaseCommand, parseCommand, type SyncMark } from './log-commands';
export { TIMER, type Step } from './change';
export { fenceOfPlan, oldPrimaryFailedWhileDraining, onFenceDone, onFenceRefused, onLeaseOverWhileDraining, onLeaseOverWhileWaiting, promoteAgain, type FailurePart } from './failover-steps';
export { anyAnswerWhileDraining, oldPrimaryAnswersWhileFenceFailed, oldPrimaryUnheardWhileFenceFailed, onCheckTimeout, onReply, targetAnswers, targetAnswersWhileDraining, targetAnswersWhileResuming, targetUnheardWhileResuming, type ReplyPart, type TimeoutPart } from './health';
export { onOperator } from './operator-requests';

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

/** The timers every state takes alike (a state with a part of its own in a round or a check's timeout calls `onTick` or `onCheckTimeout` with it). */
export function onTimer(ctx: AgentContext, name: string): Step {
  if (name === TIMER.promoteLease) return run(ctx, (c) => c.set({ unheardPromoted: null }));
  if (name === TIMER.tick) return onTick(ctx);
  if (name.startsWith(TIMER.timeoutPrefix)) return onCheckTimeout(ctx, name.slice(TIMER.timeoutPrefix.length));
  if (!watching(ctx)) return NO_STEP;
  if (name === TIMER.leaseGuard) return run(ctx, leaseRanOut);
  return NO_STEP;
}

/**
 * A state's own part of a health-check round, run after every state's part has checked everyone and
 * renewed the lease, given the plan as the round found it (machine.ts says in which state).
 */
export type RoundPart = (c: Change, plan: FailoverPlan) => void;

/** The round's timer fired, with the part of the state the agent is in (`own`), if it takes one. */
export function onTick(ctx: AgentContext, own?: RoundPart, failure?: FailurePart): Step {
  if (!watching(ctx)) return NO_STEP;
  return run(ctx, (c) => tick(c, own, failure));
}

/** One health-check round: renew the lease through the log, check everyone, the state's own part, then the database replacements'. */
function tick(c: Change, own?: RoundPart, failure?: FailurePart): void {
  const { ctx } = c;
  c.timer(TIMER.tick, ctx.settings.healthCheck.intervalMs);
  const round = ctx.round + 1;
  c.set({ round });
  for (const db of [...ctx.databases, ...pendingDead(ctx)]) {
    if (db === ctx.primary && !inProgress(ctx.plan)) continue;
    // Normally the timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (c.ctx.awaiting[db] !== undefined) countFailure(c, db, undefined, failure);
    sendCheck(c, db, false);
  }
  if (!inProgress(ctx.plan)) {
    if (ctx.settings.quorum) c.propose(leaseCommand(ctx.primary, ctx.epoch, ctx.id, ctx.term, round, namingToCommit(ctx)));
    else sendCheck(c, ctx.primary, false);
  }
  // A fence that failed is tried again once this round's check of the old primary is answered or
  // times out (`retryFence`): a node that came back meanwhile is judged by what it says now.
  if (own !== undefined && ctx.plan !== null) own(c, ctx.plan);
  dbRound(c);
}
