// Proves that the failover step indicator marks each step done, failed, current or to come from the agent's trace events, and shows only during a failover and a few seconds after.
import { describe, expect, it } from 'vitest';
import { foldFailover, type FailoverProgress } from '../../../src/worker/failover-progress';
import { isShown, LINGER_MS, stepStates } from '../../../src/app/failover/FailoverSteps';
import type { TraceEvent } from '../../../src/sim/trace/trace';

function step(atMs: number, name: 'detect' | 'confirm' | 'fence' | 'promote' | 'redirect', ok = true, epoch = 2): TraceEvent {
  return { atMs, type: 'failover', node: 'orch-1', step: name, from: 'db-1', to: 'db-2', epoch, ok, text: `${name} text` } as TraceEvent;
}

function fold(events: TraceEvent[]): FailoverProgress | null {
  return events.reduce<FailoverProgress | null>(foldFailover, null);
}

describe('failover step indicator', () => {
  it('marks the steps reached as done and the next one as current', () => {
    const f = fold([step(100, 'detect'), step(120, 'confirm')])!;
    expect(stepStates(f)).toEqual(['done', 'done', 'current', 'pending', 'pending']);
    expect(f.done).toBe(false);
  });

  it('marks a step that could not be done as failed, and the one after it as current', () => {
    const f = fold([step(100, 'detect'), step(120, 'confirm'), step(130, 'fence', false)])!;
    expect(stepStates(f)).toEqual(['done', 'done', 'failed', 'current', 'pending']);
  });

  it('is complete after redirect; a new detection starts a new failover', () => {
    const done = fold([step(100, 'detect'), step(101, 'confirm'), step(102, 'fence'), step(103, 'promote'), step(104, 'redirect')])!;
    expect(done.done).toBe(true);
    expect(stepStates(done)).toEqual(['done', 'done', 'done', 'done', 'done']);
    const next = foldFailover(done, step(9000, 'detect', true, 3))!;
    expect(next.epoch).toBe(3);
    expect(next.steps.map((s) => s.step)).toEqual(['detect']);
  });

  it('shows while in progress and for a while after it completed, not before it began', () => {
    const running = fold([step(100, 'detect')]);
    expect(isShown(running, 50)).toBe(false);
    expect(isShown(running, 100_000)).toBe(true);
    const done = fold([step(100, 'detect'), step(104, 'redirect')]);
    expect(isShown(done, 104 + LINGER_MS)).toBe(true);
    expect(isShown(done, 105 + LINGER_MS)).toBe(false);
    expect(isShown(null, 0)).toBe(false);
  });

  it('says so when the plan is abandoned, with the reason, and counts it as over', () => {
    const gaveUp = { ...step(130, 'fence', false), abandoned: true, text: "db-2's data directory is empty" } as TraceEvent;
    const f = fold([step(100, 'detect'), step(120, 'confirm'), gaveUp])!;
    expect(f.abandoned).toBe("db-2's data directory is empty");
    expect(f.done).toBe(true);
    expect(isShown(f, 130 + LINGER_MS + 1)).toBe(false);
    // The next detection starts afresh, no longer abandoned.
    expect(foldFailover(f, step(2000, 'detect', true, 3))!.abandoned).toBeUndefined();
  });
});
