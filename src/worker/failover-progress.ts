/**
 * The latest automatic failover as the page's step indicator shows it, folded from the
 * `failover` trace events the orchestrator agents emit (detect → confirm → fence → promote →
 * redirect). A new detection starts a new failover; later steps fill it in.
 */
import type { FailoverStep, NodeId, TraceEvent } from '../sim';

export const FAILOVER_STEPS: readonly FailoverStep[] = ['detect', 'confirm', 'fence', 'promote', 'redirect'];

export interface StepReached {
  readonly step: FailoverStep;
  readonly ok: boolean;
  readonly atMs: number;
  readonly text: string;
}

export interface FailoverProgress {
  readonly by: NodeId;
  readonly from: NodeId;
  readonly to: NodeId | null;
  readonly epoch: number;
  readonly startedAtMs: number;
  /** The latest word on each step reached, in step order. */
  readonly steps: readonly StepReached[];
  /** The new primary takes writes (or the plan was abandoned): the failover is over. */
  readonly done: boolean;
  /** Why the plan was given up, when it was (its target became unfit, or its epoch was used up). */
  readonly abandoned?: string;
  readonly lastAtMs: number;
}

type FailoverEvent = Extract<TraceEvent, { type: 'failover' }>;

export function foldFailover(current: FailoverProgress | null, event: TraceEvent): FailoverProgress | null {
  if (event.type !== 'failover') return current;
  const e = event as FailoverEvent;
  const reached: StepReached = { step: e.step, ok: e.ok, atMs: e.atMs, text: e.text };
  const fresh = e.step === 'detect' || current === null || (current.done && e.epoch !== current.epoch);
  const base: FailoverProgress = fresh
    ? { by: e.node, from: e.from, to: e.to, epoch: e.epoch, startedAtMs: e.atMs, steps: [], done: false, lastAtMs: e.atMs }
    : current;
  const steps = [...base.steps.filter((s) => s.step !== e.step), reached].sort((a, b) => FAILOVER_STEPS.indexOf(a.step) - FAILOVER_STEPS.indexOf(b.step));
  if (e.abandoned === true) return { ...base, to: e.to ?? base.to, steps, done: true, abandoned: e.text, lastAtMs: e.atMs };
  return { ...base, to: e.to ?? base.to, steps, done: e.step === 'redirect' && e.ok, lastAtMs: e.atMs };
}
