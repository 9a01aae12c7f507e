/**
 * What every rule of the failover agent is built from (logic.ts, failover-steps.ts, health.ts,
 * operator-requests.ts): the agent's `Change` (the context's edits and the effects, and the moves of
 * the plan for the statechart), its timers, whether it acts at all, a health check sent, and the
 * failover's trace.
 */
import type { FailoverStep, NodeId } from '../protocol';
import { Change as NodeChange, type Step as NodeStep } from '../step';
import type { HealthCheck, Promote } from '../database/types';
import { settledReplacements } from './db-replacement';
import type { AgentContext, AgentMessage, FailoverPlan, MoveName, PlanKind, PlanStep } from './types';
import type { SyncMark } from './log-commands';

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
export class Change extends NodeChange<AgentContext, AgentMessage> {
  readonly moves: MoveName[] = [];
  propose(cmd: string): void {
    this.effects.push({ type: 'local-propose', cmd });
  }
  move(name: MoveName): void {
    this.moves.push(name);
  }
}

export function run(ctx: AgentContext, body: (c: Change) => void): Step {
  const change = new Change(ctx);
  body(change);
  return { ...change.step(), moves: change.moves };
}

/** Whether this agent acts: it leads the orchestrators (with quorum off, every agent acts alone). */
export function watching(ctx: AgentContext): boolean {
  return ctx.active && (!ctx.settings.quorum || ctx.leading);
}

export function inProgress(plan: FailoverPlan | null): plan is FailoverPlan {
  return plan !== null && plan.step !== 'done';
}

export function leaseGuardMs(ctx: AgentContext): number {
  return ctx.settings.leaseMs + ctx.settings.healthCheck.timeoutMs;
}

export const KIND_WORDS: Record<PlanKind, string> = { auto: 'failover', manual: "operator's failover", promote: "operator's promotion", switchover: 'switchover' };

export function noteAsked(c: Change, node: NodeId, epoch: number): void {
  if ((c.ctx.promoteAsked[node] ?? 0) < epoch) c.set({ promoteAsked: { ...c.ctx.promoteAsked, [node]: epoch } });
}

export function promoteMessage(plan: FailoverPlan): Promote {
  return { type: 'Promote', epoch: plan.epoch, minLsn: plan.lsn, timeline: plan.timeline };
}

export function sendCheck(c: Change, db: NodeId, lease: boolean, ordered = false, sync: SyncMark | null = null): void {
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

/** The plan moves on: the statechart takes `move` (machine.ts), and the plan's step, kept for the log's replay and the page, says where it stands. */
export function reach(c: Change, move: keyof typeof STEP_AFTER): void {
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
export function forget(c: Change): void {
  c.set({ plan: null });
  c.move('forgotten');
}

export function traceStep(c: Change, step: FailoverStep, ok: boolean, text: string): void {
  const plan = c.ctx.plan;
  traceStepOf(c, step, plan?.from ?? c.ctx.primary, plan?.to ?? null, plan?.epoch ?? c.ctx.highestEpoch + 1, ok, text);
}

export function traceStepOf(c: Change, step: FailoverStep, from: NodeId, to: NodeId | null, epoch: number, ok: boolean, text: string): void {
  c.trace({ type: 'failover', step, from, to, epoch, ok, text });
}
