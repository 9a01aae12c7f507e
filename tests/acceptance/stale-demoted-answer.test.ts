// A former primary promoted again, whose Promote arrived after the answer the next plan trusted:
// the link from the leader orch-5 to db-1 was slow and lossy (172 ms, 30 % lost). db-1's lease ran
// out, so it answered demoted, and the leader asked it to take epoch 2 (nobody had more of the
// WAL). The Promote arrived 1.8 s later and db-1 took writes in epoch 2, but its answers did not
// come through: the leader abandoned that plan and promoted db-2 in epoch 3, skipping the fence
// because db-1's latest answer (sent before the Promote arrived) said it took no writes. Both
// took writes for 170 ms (sweep seed 14001, #884). An answer counts as "fenced already" now only
// if it is in the newest epoch any plan asked that node to open, or a newer one; else the node is
// powered off like any primary.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants } from '../support/scenario';
import { expectSweepCaseHealed, playSweepCase } from '../support/healed-run';

type Failover = Extract<TraceEvent, { type: 'failover' }>;

const CASE = 'raft5-promoted-again-then-stale-demoted-answer';

describe('a plan abandoned at its promote step, then a new one that trusts an older answer', () => {
  const { sim } = playSweepCase(CASE);

  it('never has two writers: db-1, asked to open epoch 2, is powered off before db-2 takes epoch 3', () => {
    expect(brokenInvariants(sim.report())).toEqual([]);
    const steps = sim.trace.filter((e): e is Failover => e.type === 'failover' && e.epoch === 3);
    const fence = steps.find((e) => e.step === 'fence');
    expect(fence?.text).toMatch(/powered db-1 off out of band/);
    const down = sim.trace.find((e) => e.type === 'down' && e.node === 'db-1');
    const promoted = sim.trace.find((e) => e.type === 'promoted' && e.node === 'db-2');
    expect(down!.atMs).toBeLessThanOrEqual(promoted!.atMs);
  });

  it('ends healed with every acknowledged write kept', () => {
    expectSweepCaseHealed(CASE);
  });
});
