// An operator's promotion by hand, made while no orchestrator led (or, with a witness, without the
// witness), takes the next epoch the operator can see; the orchestrators' log or the witness, which
// count epochs, never heard of it and later gave the same number to the primary they keep (operator
// sweep seed 34001 #982, seed 36001 #19 and #361). Two timelines of one epoch then looked like one:
// - #982: after the heal db-3 and db-1 both took writes in epoch 2 for ever. The agent adopts an
//   outside primary only in a newer epoch, and db-3's epoch needed no lease.
// - all three: the ledger keyed writes by epoch, so the hand-made timeline's writes and the log's
//   were counted as each other's: `writes.lost` said 564, 231 and 1 with none missing.
// Now an epoch opened by hand, where something else counts epochs, names who opened it in the
// timeline (`openedBy`), so pg_rewind and the ledger tell the two apart; and the agent tells a
// second writer in its primary's epoch to follow that primary.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';
import { brokenInvariants } from '../support/scenario';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

function promotions(trace: readonly TraceEvent[]): [string, number, string | undefined][] {
  return trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch, p.history?.[p.history.length - 1]?.openedBy]);
}

describe('an epoch opened by hand, and given again by the keeper of epochs', () => {
  it('#982: db-3, cut off, promoted by hand in epoch 2 while no orchestrator led; the log gives epoch 2 to db-1; after the heal db-3 follows db-1 and rewinds its own epoch 2', () => {
    // The operator's promotion made two writers (the operator family asks Raft's safety, the
    // ledger and the healing only): the report says so, and that epoch 2 was given twice.
    const result = expectSweepCaseHealed('raft3-operator-promoted-cut-off-epoch-given-again', 'db-1', true);
    expect(promotions(result.trace)).toEqual([
      ['db-3', 2, 'db-3'],
      ['db-1', 2, undefined],
    ]);
    const gaveWay = result.trace.find((e) => e.type === 'role' && e.node === 'db-3' && e.role === 'standby' && e.atMs > 30000);
    expect(gaveWay).toMatchObject({ reason: 'epoch 2 has begun with db-1 as primary; follows it' });
    const rewound = result.trace.find((e) => e.type === 'role' && e.node === 'db-3' && e.reason.startsWith('rewound'));
    expect(rewound).toMatchObject({ reason: expect.stringMatching(/^rewound 113 writes after 0\/3A98/) });
    // db-3's epoch-2 writes never reached a client (the API server was on the other side).
    expect(result.report.writes.lost).toBe(0);
    // db-3's promotion left 564 acknowledged writes behind; db-1, holding them, was promoted after
    // it: the report says they came back, not only that they were lost.
    const loss = result.report.invariants.find((i) => i.name === 'no-acknowledged-write-lost')!.violations;
    expect(loss.map((v) => v.message)).toEqual([expect.stringMatching(/564 acknowledged writes are lost.* A node holding them was promoted later: none is lost at the end\.$/)]);
    expect(brokenInvariants(result.report).map((b) => b.split(':')[0])).toEqual(['single-writer', 'no-acknowledged-write-lost', 'epochs']);
  });

  it('#19: db-2 promoted by hand 10 ms in, before any leader (epoch 2), then lost; the log gives epoch 2 to db-1, which holds every write it acknowledged', () => {
    const result = expectSweepCaseHealed('raft5-operator-promoted-before-any-leader-epoch-given-again', 'db-1', true);
    expect(promotions(result.trace)).toEqual([
      ['db-2', 2, 'db-2'],
      ['db-1', 2, undefined],
    ]);
    expect(result.report.writes.lost).toBe(0);
  });

  it('#361: with a witness, db-2 promoted by hand in epoch 2; the witness later gives epoch 2 to db-1', () => {
    const result = expectSweepCaseHealed('witness-operator-promoted-epoch-given-again', undefined, true);
    expect(promotions(result.trace)).toEqual([
      ['db-2', 2, 'db-2'],
      ['db-1', 2, undefined],
    ]);
    expect(result.report.writes.lost).toBe(result.missing);
  });
});
