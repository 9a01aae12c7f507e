// A failover whose Promote reached its target, but whose answers never came back: db-1 crashed,
// the log committed db-2's promotion in epoch 2 and orch-1 sent the Promote; db-2 took over at
// 12.982 s, and 53 ms later a partition cut it off from the orchestrators' majority before its
// answer arrived. orch-1 counted its unanswered checks as failures and abandoned the plan at its
// promote step, going back to watching db-1. The operator restarted db-1, which came back demoted
// (a former primary), so orch-1 promoted it again in epoch 3 at 15.427 s with nothing to fence,
// while db-2 still took writes under the lease its Promote had given it until 15.482 s: two writers
// for 55 ms. Now, when a plan is abandoned because its target stopped answering once a Promote may
// have been sent to it, nobody else is promoted until the lease that Promote gave has surely run
// out (leaseMs + timeoutMs) or the target answers.
import { describe, it } from 'vitest';
import { expectNobodyPromotedBeside, expectSweepCaseHealed } from '../support/healed-run';

describe('a Promote whose answer was lost, then the old primary back demoted', () => {
  it('the sweep’s run (seed 20001 #2312: raft-3, sync/dr + async/dr) never has two writers and heals', () => {
    const result = expectSweepCaseHealed('raft3-promote-unanswered-then-old-primary-back');
    expectNobodyPromotedBeside(result.trace, 'db-2', 2);
  });
});
