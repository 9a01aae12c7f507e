// A failover whose target was promoted, but whose answers never reached the leader in time: the
// link between the leading orchestrator and db-2 was slow and lossy (1.3 s, 30 % lost) when db-1
// crashed. db-2 became primary of epoch 2 (the log committed that failover), yet the leader counted
// its unanswered checks as failures and abandoned the plan, went back to watching db-1, found no
// other standby holding every acknowledged write (db-3 is asynchronous) and stalled. db-2's lease
// ran out: it stopped taking writes. After the heal db-2 answered demoted on epoch 2's timeline and
// db-1 demoted on epoch 1's, and nobody was promoted for good: db-1 may not be (db-2's WAL goes
// further), and db-2 was neither the primary watched nor a standby. The node that opened the log's
// newest epoch is now taken for the primary that failed (as within a plan), and promoted again.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

describe('a promotion the leader never saw, whose lease ran out', () => {
  it('the sweep’s run (#1947: raft-3, sync/dr + async/primary) ends with db-2 primary again, in epoch 3', () => {
    const result = expectSweepCaseHealed('raft3-promoted-unseen-then-lease-ran-out', 'db-2');
    const promoted = result.trace.filter((e): e is Promoted => e.type === 'promoted');
    expect(promoted.map((p) => [p.node, p.epoch])).toEqual([
      ['db-2', 2],
      ['db-2', 3],
    ]);
    // Promoted again only after the heal (39.733 s), when db-2 answers again.
    expect(promoted[1]!.atMs).toBeGreaterThan(39_733);
  });
});
