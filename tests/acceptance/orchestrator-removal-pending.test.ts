// Proves the full-stack sweep's liveness check reads who could still be elected, not just who is
// left in a configuration. In its run raft5-orchestrator-removal-pending-majority-wiped (seed 8001,
// run 4173) a partition leaves the leader orch-4 with orch-3 and orch-5; they commit entries 10–16
// without orch-1 and orch-2, and orch-4 starts replacing those two: it appends `config remove orch-1`
// (index 17), and from then on acts on orch-2, orch-3, orch-4, orch-5 (Raft dissertation §4.1: the
// latest configuration in the log, committed or not). orch-5's disk was wiped 0.9 s before (its last
// health check had answered), then orch-3's. After the heal orch-4 alone holds the committed entries:
// it refuses its vote to orch-1 and orch-2 (their logs end at index 9), who still count five members;
// and orch-4 itself can gather orch-2's vote at most, two of the four its configuration counts. No
// election can ever succeed, and none may: a leader lacking entries 10–16 would break leader
// completeness. Raft waits for an operator, rightly, so only safety is asked of the run.
import { describe, expect, it } from 'vitest';
import { raftCanDecide } from '../support/full-stack';
import { playSweepCase } from '../support/healed-run';
import { brokenInvariants } from '../support/scenario';

describe('the member holding the committed entries acts on a removal whose majority lost its disks', () => {
  it('raft5-orchestrator-removal-pending-majority-wiped: nobody can be elected, which the sweep does not count as stuck; safe throughout', () => {
    const { sim, wiped } = playSweepCase('raft5-orchestrator-removal-pending-majority-wiped');
    expect([...wiped]).toEqual(['orch-5', 'orch-3']);
    const orch = (id: string) => sim.nodes().find((n) => n.id === id)!;
    // orch-4 committed index 16 with orch-3 and orch-5, then appended the removal.
    expect(sim.trace).toContainEqual({ atMs: 11035, node: 'orch-4', type: 'commit', index: 16, term: 1 });
    expect(sim.trace).toContainEqual({ atMs: 12000, node: 'orch-4', type: 'log', index: 17, entries: [{ term: 1, cmd: 'config remove orch-1' }] });
    expect([orch('orch-4').up, orch('orch-4').view.detail.logLength, orch('orch-4').view.detail.members]).toEqual([true, 22, 'orch-2, orch-3, orch-4, orch-5']);
    for (const id of ['orch-1', 'orch-2']) {
      expect([orch(id).up, orch(id).view.detail.logLength, orch(id).view.detail.members]).toEqual([true, 9, 'orch-1, orch-2, orch-3, orch-4, orch-5']);
    }
    // Counting members alone, orch-1's configuration keeps three of five: not enough, as orch-4 never votes for it.
    expect(String(orch('orch-1').view.detail.members).split(', ').filter((m) => !wiped.has(m))).toEqual(['orch-1', 'orch-2', 'orch-4']);
    // After the heal orch-4 votes only for itself, and only orch-2 ever joins it: two of four.
    const votes = sim.trace.flatMap((e) => (e.type === 'vote' && e.atMs >= 30007 ? [[e.node, e.for]] : []));
    expect(votes.filter(([voter]) => voter === 'orch-4').every(([, candidate]) => candidate === 'orch-4')).toBe(true);
    expect(new Set(votes.filter(([, candidate]) => candidate === 'orch-4').map(([voter]) => voter))).toEqual(new Set(['orch-4', 'orch-2']));
    expect(sim.nodes().filter((n) => n.kind === 'orchestrator' && n.up && n.view.role === 'leader')).toEqual([]);
    expect(raftCanDecide(sim, wiped)).toBe(false);
    // Had orch-3 and orch-5 only crashed (and come back), orch-4 would win with their votes.
    expect(raftCanDecide(sim, new Set())).toBe(true);
    const report = sim.report();
    expect(brokenInvariants(report)).toEqual([]);
    expect(report.failovers).toEqual([]);
  });
});
