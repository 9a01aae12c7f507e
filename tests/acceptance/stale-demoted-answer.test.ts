// A former primary promoted again, whose Promote arrived after the answer the next plan trusted:
// the link from the leader orch-5 to db-1 was slow and lossy (172 ms, 30 % lost). db-1's lease ran
// out, so it answered demoted, and the leader asked it to take epoch 2 (nobody had more of the
// WAL). The Promote arrived 1.8 s later and db-1 took writes in epoch 2, but its answers did not
// come through: the leader abandoned that plan and promoted db-2 in epoch 3, skipping the fence
// because db-1's latest answer (sent before the Promote arrived) said it took no writes. Both
// took writes for 170 ms (sweep seed 14001, #884). An answer counts as "fenced already" now only
// if it is in the newest epoch any plan asked that node to open, or a newer one; else the node is
// powered off like any primary. Since (sweep seed 20001, #2312) a plan abandoned because its
// target stopped answering after a Promote holds every promotion until that Promote's lease has
// surely run out: here db-1's lease runs out and it is promoted again in epoch 3.
import { describe, expect, it } from 'vitest';
import { brokenInvariants } from '../support/scenario';
import { expectNobodyPromotedBeside, expectSweepCaseHealed, playSweepCase } from '../support/healed-run';

const CASE = 'raft5-promoted-again-then-stale-demoted-answer';

describe('a plan abandoned at its promote step, then a new one that trusts an older answer', () => {
  const { sim } = playSweepCase(CASE);

  it('never has two writers: nobody else is promoted while db-1, asked to open epoch 2, may take writes in it', () => {
    expect(brokenInvariants(sim.report())).toEqual([]);
    expectNobodyPromotedBeside(sim.trace, 'db-1', 2);
  });

  it('ends healed with every acknowledged write kept', () => {
    expectSweepCaseHealed(CASE);
  });
});
