// A failover read back from the log whose target had opened its epoch and then lost its disk:
// db-1 crashed at once (nothing written yet), so db-2, an asynchronous standby holding no WAL, was
// chosen and promoted in epoch 2 and took writes for 0.1 s before the whole data centre went dark
// (the orchestrators with it, before a lease entry said the failover was done). db-2's disk was
// then wiped. After the power came back, the new leader read the failover back from the log,
// found its target answering with an empty data directory, took it for still fit (it had held no
// WAL when chosen) and promoted db-2 in epoch 2 a second time: one epoch, two histories, and the
// ledger counted none of the writes lost (sweep seed 17001, #1346). A target never chosen empty
// that answers empty lost its disk since, so the plan is now abandoned and made again in a new
// epoch; what db-2 had acknowledged alone is asynchronous replication's RPO, counted as lost.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

describe('a replayed failover whose target was promoted, then wiped', () => {
  it('never opens an epoch twice, and the ledger counts the writes lost with db-2’s disk', () => {
    const result = expectSweepCaseHealed('raft3-promoted-then-wiped-plan-replayed', 'db-1', true);
    const promoted = result.trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch]);
    expect(promoted).toEqual([
      ['db-2', 2],
      ['db-1', 3],
    ]);
    const epochs = result.report.invariants.find((i) => i.name === 'epochs');
    expect(epochs?.ok).toBe(true);
    expect(result.report.writes.lost).toBeGreaterThan(0);
    const abandoned = result.trace.find((e) => e.type === 'failover' && e.abandoned === true && e.epoch === 2);
    expect(abandoned && 'text' in abandoned ? abandoned.text : '').toMatch(/db-2's data directory is empty/);
  });
});
