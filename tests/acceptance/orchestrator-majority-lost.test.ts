// Proves the full-stack sweep's liveness check asks healing only of runs that can heal: in its run
// raft3-orchestrator-majority-lost (seed 505) orch-1 dies and is removed from the configuration
// (orch-2 and orch-3 remain, orch-4 on its way in), then orch-3's disk is wiped. Two of three lost
// before the replacement joined is more than three Raft nodes survive: orch-2 alone can never win an
// election in a configuration of two, so nobody may fail the database over and db-1 stays demoted,
// rightly. The check reads the configuration the running members hold and says so (only safety is
// asked of such a run); nothing unsafe happened and no acknowledged write is lost.
import { describe, expect, it } from 'vitest';
import { raftCanDecide } from '../support/full-stack';
import { playSweepCase } from '../support/healed-run';
import { brokenInvariants } from '../support/scenario';

describe('the orchestrators lose a majority of their configuration for good', () => {
  it('raft3-orchestrator-majority-lost: no leader and no primary at the end, which the sweep does not count as stuck; safe throughout', () => {
    const { sim, wiped } = playSweepCase('raft3-orchestrator-majority-lost');
    expect([...wiped]).toEqual(['orch-3']);
    const orch2 = sim.nodes().find((n) => n.id === 'orch-2')!;
    expect(orch2.up).toBe(true);
    expect(orch2.view.detail.members).toBe('orch-2, orch-3');
    expect(sim.nodes().filter((n) => n.kind === 'orchestrator' && n.up && n.view.role === 'leader')).toEqual([]);
    expect(raftCanDecide(sim, wiped)).toBe(false);
    // Had orch-3 only crashed (and come back), the configuration would still have its majority.
    expect(raftCanDecide(sim, new Set())).toBe(true);
    const report = sim.report();
    expect(brokenInvariants(report)).toEqual([]);
    expect(report.writes.lost).toBe(0);
    expect(report.failovers).toEqual([]);
  });
});
