/**
 * The failover step indicator near the meters: detect → confirm → fence → promote → redirect,
 * filled in as the orchestrator agent's `failover` trace events arrive. It shows while a failover
 * is under way and for a few simulated seconds after it ends.
 */
import { FAILOVER_STEPS, type FailoverProgress, type StepReached } from '../../worker/failover-progress';
import { useSim } from '../store/sim-store';
import { formatClock } from './words';

/** How long after its last step a finished failover stays on screen, in simulated ms. */
export const LINGER_MS = 8000;

type StepState = 'done' | 'failed' | 'current' | 'pending';

export function stepStates(failover: FailoverProgress): StepState[] {
  const reached = new Map(failover.steps.map((s) => [s.step, s]));
  let current = !failover.done;
  return FAILOVER_STEPS.map((step) => {
    const r = reached.get(step);
    if (r) return r.ok ? 'done' : 'failed';
    if (current) {
      current = false;
      return 'current';
    }
    return 'pending';
  });
}

export function isShown(failover: FailoverProgress | null, nowMs: number): boolean {
  if (failover === null || nowMs < failover.startedAtMs) return false;
  return !failover.done || nowMs - failover.lastAtMs <= LINGER_MS;
}

const MARK: Record<StepState, string> = { done: '✓', failed: '✗', current: '…', pending: '○' };
const STATE_WORD: Record<StepState, string> = { done: 'done', failed: 'not done', current: 'in progress', pending: 'to come' };

function headline(f: FailoverProgress): string {
  const route = `${f.from} → ${f.to ?? 'no standby fit'}`;
  if (f.abandoned !== undefined) return `Failover abandoned: ${route}, epoch ${f.epoch}`;
  if (f.done) return `Failover completed: ${route}, epoch ${f.epoch}`;
  return `Failover in progress: ${route}, epoch ${f.epoch}`;
}

function StepItem({ step, state, reached }: { step: string; state: StepState; reached: StepReached | undefined }) {
  return (
    <li className={`failover-step is-${state}`} data-step={step} data-state={state} title={reached?.text}>
      <span className="failover-mark" aria-hidden="true">
        {MARK[state]}
      </span>
      <span className="failover-name">{step}</span>
      <span className="visually-hidden">: {STATE_WORD[state]}</span>
      {reached && <time className="failover-time">{formatClock(reached.atMs)}</time>}
    </li>
  );
}

export function FailoverSteps() {
  const failover = useSim((s) => (isShown(s.failover, s.nowMs) ? s.failover : null));
  if (!failover) return null;
  const states = stepStates(failover);
  const latest = failover.steps.reduce<StepReached | null>((a, s) => (a === null || s.atMs >= a.atMs ? s : a), null);
  return (
    <section
      className={`failover-steps${failover.done ? ' is-done' : ''}`}
      aria-label="Failover steps"
      data-failover={failover.abandoned !== undefined ? 'abandoned' : failover.done ? 'completed' : 'in-progress'}
    >
      <p className="failover-headline">{headline(failover)}</p>
      <ol>
        {FAILOVER_STEPS.map((step, i) => (
          <StepItem key={step} step={step} state={states[i]!} reached={failover.steps.find((s) => s.step === step)} />
        ))}
      </ol>
      {failover.abandoned !== undefined ? (
        <p className="failover-latest small">abandoned: {failover.abandoned}</p>
      ) : (
        latest && <p className="failover-latest small">{latest.text}</p>
      )}
    </section>
  );
}
