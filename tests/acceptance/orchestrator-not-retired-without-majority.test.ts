// Proves that the leader never retires a dead orchestrator that is still a member when removing it
// would leave no majority it hears. Found by the sweep (seed 808, run 282): orch-1 crashed and its
// replacement orch-5 was committed; then orch-2's disk was wiped, so the leader orch-4 heard nobody
// else in the configuration orch-1, orch-2, orch-4. It used to start orch-5 anyway ("the replacement
// joins first"), which retired orch-1 for good, and orch-5's joining could never commit (four members,
// two of them gone): no leader and no database primary to the end. Now it waits; orch-1, only
// crashed, comes back at the heal with its log, keeps its place, the majority is back, and orch-2 is
// replaced (removed first, then orch-6 added). The recorded run restarts orch-1 at the heal, as the
// sweep's heal does for every node that is down and not retired.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed, sweepCase } from '../support/healed-run';
import { runAndCountMissing } from '../support/write-check';

type Replace = Extract<TraceEvent, { type: 'replace' }>;

describe('a dead orchestrator whose removal would leave no majority the leader hears', () => {
  it('raft3-orchestrator-retired-without-majority: orch-1 is not retired while orch-2 is wiped; back at the heal it keeps its place, orch-6 replaces orch-2, and the database heals', () => {
    const s = sweepCase('raft3-orchestrator-retired-without-majority');
    const sim = new Simulation(s);
    sim.runUntil(s.durationMs);
    const retired = sim.trace.filter((e) => e.type === 'down' && e.reason.startsWith('retired')).map((e) => (e as { node: string }).node);
    expect(retired).not.toContain('orch-1');
    const steps = sim.trace.filter((e): e is Replace => e.type === 'replace' && e.step !== 'detect').map((e) => [e.step, e.dead, e.replacement]);
    expect(steps).toContainEqual(['skip', 'orch-1', 'orch-5']);
    expect(steps).not.toContainEqual(['provision', 'orch-1', 'orch-5']);
    expect(steps.slice(-2)).toEqual([
      ['provision', 'orch-2', 'orch-6'],
      ['in-service', 'orch-2', 'orch-6'],
    ]);
    const leader = sim.nodes().find((n) => n.kind === 'orchestrator' && n.up && n.view.role === 'leader')!;
    expect(leader.view.detail.members).toBe('orch-1, orch-4, orch-6');
    expect(leader.view.detail.commitIndex).toBe(leader.view.detail.logLength);
    const result = runAndCountMissing(s);
    expect(result.finalPrimary).toBe('db-1');
    expectHealed(result, s);
  });
});
