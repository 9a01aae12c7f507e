// A new orchestrator leader can hear a database node's health reply before it has applied the log
// entry that made that node primary: after a dark data centre, the leader elected first checks
// every node, hears the promoted node answer (demoted now, in the new epoch), and only then applies
// the failover entry. That entry used to count as "overtaken" because its epoch had already been
// seen in a reply, so the leader forgot the failover and kept watching the old primary: nobody was
// ever promoted again. The epoch a log entry is compared with is now the highest one the log has
// decided, not the highest heard anywhere.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed, expectSweepCaseHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;
const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted');

describe('a new leader that hears the promoted node before applying its promotion', () => {
  it('the sweep’s run (5 orchestrators, the data centre dark just after db-3 was promoted) ends with db-3 primary again', () => {
    const result = expectSweepCaseHealed('raft5-new-leader-hears-promoted-before-applying', 'db-3');
    expect(promotions(result.trace).filter((p) => p.atMs > 38_722).map((p) => p.node)).toEqual(['db-3']);
  });

  // The same cause, made small: the primary crashes, and the whole data centre (orchestrators and
  // the new primary) goes dark a moment after the promotion. When it comes back, the links between
  // the orchestrators are slow (80 ms), so the new leader hears db-2 well before the entries of the
  // old term commit again.
  const slowOrchestratorLinks = (atMs: number) =>
    [['orch-1', 'orch-2'], ['orch-1', 'orch-3'], ['orch-2', 'orch-3']].map((between) => ({ atMs, do: 'slow-link', between, latencyMs: [80, 80] }));
  const darkAfterPromotion = (seed: number, darkAtMs?: number) =>
    scenario({
      seed,
      durationMs: darkAtMs === undefined ? 20_000 : darkAtMs + 25_000,
      topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 20 },
      events:
        darkAtMs === undefined
          ? [{ atMs: 5000, do: 'crash', node: 'db-1' }]
          : [
              { atMs: 5000, do: 'crash', node: 'db-1' },
              { atMs: darkAtMs, do: 'region-down', region: 'primary' },
              { atMs: darkAtMs + 4000, do: 'region-up', region: 'primary' },
              { atMs: darkAtMs + 4000, do: 'restart', node: 'db-1' },
              ...slowOrchestratorLinks(darkAtMs + 4000),
              { atMs: darkAtMs + 12_000, do: 'heal' },
            ],
    });

  it.each([1, 2, 3, 4])('db-2, promoted just before the dark, is promoted again after it and db-1 follows (seed %i)', (seed) => {
    const probe = runAndCountMissing(darkAfterPromotion(seed));
    const promoted = promotions(probe.trace)[0]!;
    const s = darkAfterPromotion(seed, promoted.atMs + 3);
    const result = runAndCountMissing(s);
    expect(result.finalPrimary).toBe('db-2');
    expectHealed(result, s);
  });
});
