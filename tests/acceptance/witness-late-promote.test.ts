// Proves that with a witness a switchover's Promote that comes late never makes two writers nor loses
// an acknowledged write, and the run ends with one primary: the target takes writes only once the
// witness gives it the lock the old primary handed over, which it does only while the lock is still
// where the handover left it. Late, because the link between the two turns slow as the Promote is
// sent (the old primary, demoted and hearing no primary, takes the lock back first); or, delivered,
// the link is cut just after (the old primary asks for the lock while the new one writes); or the
// old primary crashes as it hands over and comes back.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;
type Failover = Extract<TraceEvent, { type: 'failover' }>;

const SWITCH_MS = 10_000;
const witness = (seed: number, events: readonly Record<string, unknown>[]) =>
  scenario({
    seed,
    durationMs: 45_000,
    topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }], witness: true } },
    workload: { writesPerSec: 20 },
    events: [...events, { atMs: SWITCH_MS, do: 'switchover', node: 'db-2' }].sort((a, b) => Number(a['atMs']) - Number(b['atMs'])),
  });
const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch]);
const refusedLate = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover' && e.step === 'promote' && !e.ok);
const sentPromote = (trace: readonly TraceEvent[]) => trace.find((e): e is Failover => e.type === 'failover' && e.node === 'db-1' && e.step === 'promote' && e.ok);

describe('witness: a switchover whose Promote comes late', () => {
  it.each([1, 2, 3])('slowed on its way: whoever took the lock first is the one primary of epoch 2, and the Promote, 7 s late, promotes nobody (seed %i)', (seed) => {
    // First find when db-1 sends the Promote, then make the link slow a millisecond before: the
    // run is the same up to then, and the Promote (and each one sent again) takes 7 s.
    const sent = sentPromote(runAndCountMissing(witness(seed, [])).trace)!.atMs;
    const s = witness(seed, [
      { atMs: sent - 1, do: 'slow-link', between: ['db-1', 'db-2'], latencyMs: 7000 },
      { atMs: 25_000, do: 'heal' },
    ]);
    const result = runAndCountMissing(s);
    expect(sentPromote(result.trace)!.atMs).toBe(sent);
    const promoted = result.trace.filter((e): e is Promoted => e.type === 'promoted');
    expect(promoted.map((p) => p.epoch)).toEqual([2]);
    expect(promoted[0]!.atMs).toBeLessThan(sent + 7000);
    if (seed === 1) {
      // db-1, demoted as it handed over, heard no primary for three intervals and took its lock
      // back; the witness then refuses db-2 the lock the Promote speaks of.
      expect(promotions(result.trace)).toEqual([['db-1', 2]]);
      const refusal = refusedLate(result.trace);
      // Each Promote sent again comes as late, and is refused alike.
      expect(new Set(refusal.map((e) => `${e.node}: ${e.text}`)).size).toBe(1);
      expect(refusal[0]!.atMs).toBeGreaterThanOrEqual(sent + 7000);
      expect(refusal[0]!.text).toBe(
        "db-1's Promote for the switchover came too late: the witness refused db-2 the lock (db-1 handed over the lock of epoch 1, but it has moved since: db-1 holds it in epoch 2), so db-2 is not promoted",
      );
    } else {
      // db-2's checks of db-1 went unanswered over the slow link: it took the lock once db-1's
      // lease had run out, and the Promote, of an epoch it is in already, is refused.
      expect(promotions(result.trace)).toEqual([['db-2', 2]]);
    }
    expectHealed(result, s);
  });

  it.each([
    [1, 10],
    [3, 10],
    [3, 50],
  ])('delivered, then the link cut: the old primary, hearing no primary, is refused the lock the new one holds, so epoch 2 has one writer (seed %i, cut %i ms after)', (seed, afterMs) => {
    const s = witness(seed, [
      { atMs: SWITCH_MS + afterMs, do: 'cut', between: ['db-1', 'db-2'] },
      { atMs: 18_000, do: 'heal' },
    ]);
    const result = runAndCountMissing(s);
    expect(promotions(result.trace)).toEqual([['db-2', 2]]);
    expect(result.trace.find((e) => e.type === 'promoted')!.atMs).toBeLessThan(SWITCH_MS + afterMs + 100);
    expect(result.finalPrimary).toBe('db-2');
    expectHealed(result, s);
  });

  it.each([1, 2, 3])('the old primary crashes as it hands over and comes back: one primary, nothing lost (seed %i)', (seed) => {
    for (const afterMs of [0, 2, 5, 10]) {
      const s = witness(seed, [
        { atMs: SWITCH_MS + afterMs, do: 'crash', node: 'db-1' },
        { atMs: SWITCH_MS + afterMs + 500, do: 'restart', node: 'db-1' },
      ]);
      const result = runAndCountMissing(s);
      const epochs = promotions(result.trace).map(([, epoch]) => epoch);
      expect(new Set(epochs).size).toBe(epochs.length);
      expectHealed(result, s);
    }
  });
});
