// An operator's promotion made while no orchestrator answered (their data centre dark) never
// reaches the orchestrators' log, yet its primary took writes in the epoch it opened. After the
// heal that primary came back demoted, the log still named the older primary, and the agents
// looked only for a standby holding every acknowledged write or a node that opened the log's
// newest epoch: nobody was promoted, for ever (operator sweep seed 33001, #557 and #33). The
// newest epoch the agent knows is now the log's or a demoted node's own timeline, whichever is
// newer, and the node that opened it is the primary that failed: it is promoted again.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';
import { brokenInvariants } from '../support/scenario';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

function promotions(trace: readonly TraceEvent[]): [string, number][] {
  return trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch]);
}

describe('an operator’s promotion while the orchestrators were dark', () => {
  it('#557: mumbai dark, db-2 promoted by hand in epoch 2 and then dark too; after the heal db-2 is promoted again, in epoch 3', () => {
    const result = expectSweepCaseHealed('raft5-operator-promoted-while-orchestrators-dark', 'db-2');
    expect(promotions(result.trace)).toEqual([
      ['db-2', 2],
      ['db-2', 3],
    ]);
    const redirect = result.trace.find((e) => e.type === 'failover' && e.step === 'redirect' && e.to === 'db-2' && !e.ok);
    expect(redirect).toMatchObject({ from: 'db-1', epoch: 2 });
  });

  it('#33: db-3 promoted by hand before any orchestrator led (epoch 2), db-2 by hand while mumbai was dark (epoch 3); after the heal db-2, not db-3, is promoted again', () => {
    // The operator's first promotion, at 13 ms, came before any orchestrator led, so nothing could
    // fence db-1: two writers for half a second, the operator's doing (the operator family of the
    // sweep asks Raft's safety, the ledger and the healing only). Nothing else may break.
    const result = expectSweepCaseHealed('raft3-operator-promoted-while-orchestrators-dark-async-standby', 'db-2', true);
    expect(brokenInvariants(result.report)).toEqual([expect.stringMatching(/^single-writer: db-1 and db-3 both accepted writes from 0\.01 s to 0\.50 s/)]);
    expect(promotions(result.trace)).toEqual([
      ['db-3', 2],
      ['db-2', 3],
      ['db-2', 4],
    ]);
  });
});
