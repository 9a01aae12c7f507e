// Proves what the orchestrators do when the failing primary's disk is lost while its naming of a
// synchronous standby is cleared in their log (durability degraded, synchronousModeStrict off):
// - the writes it acknowledged while degraded died with its disk whoever is promoted, so the
//   cleared naming no longer keeps the last named standby from taking over: it is promoted, the
//   failover says why in words, and the lost writes are counted (`writes.lost`, equal to the
//   acknowledged writes missing from the final primary, and `durability.lostDegraded`), never hidden;
// - a primary that only crashed keeps its data: nobody is promoted over it, and it comes back as
//   primary with every write;
// - a node that is down may hold more than those that answer: it is waited for;
// - the sweep's runs that stayed without a primary for this reason (seeds 505 and 606) heal.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed, expectSweepCaseHealed, sweepCase } from '../support/healed-run';
import { databaseScenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;
type Failover = Extract<TraceEvent, { type: 'failover' }>;
const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch, p.atMs] as const);
const detections = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover' && e.step === 'detect' && e.ok);

/** db-1 is cut off from its synchronous standby db-2 at 5 s (it runs degraded from about 7.5 s), then `fault` at 10 s, back at 15 s. */
const cutThen = (seed: number, fault: 'wipe-disk' | 'crash') =>
  databaseScenario({ seed, durationMs: 30_000, orchestrators: 3, standbys: [{ replication: 'sync' }], writesPerSec: 20 }, [
    { atMs: 5000, do: 'cut', between: ['db-1', 'db-2'] },
    { atMs: 10_000, do: fault, node: 'db-1' },
    { atMs: 15_000, do: 'heal' },
    { atMs: 15_000, do: 'restart', node: 'db-1' },
  ]);

describe('the primary runs degraded, then its disk is lost', () => {
  it.each([1, 2, 3])('db-2, the last named synchronous standby, is promoted, and the writes db-1 acknowledged alone are counted lost, all of them degraded (seed %i)', (seed) => {
    const s = cutThen(seed, 'wipe-disk');
    const result = runAndCountMissing(s);
    const { writes, durability } = result.report;
    const promoted = promotions(result.trace);
    expect(promoted.map(([node, epoch]) => [node, epoch])).toEqual([['db-2', 2]]);
    // Before db-1 restarts empty: the cloud reports its disk lost.
    expect(promoted[0]![2]).toBeLessThan(15_000);
    expect(detections(result.trace)[0]!.text).toMatch(/db-1 failed \d+ health checks in a row and its disk is lost: what only it held is gone whoever takes over, so db-2, whose WAL goes furthest of the nodes left, is promoted/);
    // Only the writes db-1 acknowledged while degraded are gone, every one of them, and the figures say so.
    const degradedAt = result.trace.find((e) => e.type === 'sync' && e.node === 'db-1' && e.standbys.length === 0)!.atMs;
    const aloneOnDb1 = result.trace.filter((e) => e.type === 'write-ack' && e.node === 'db-1' && e.atMs >= degradedAt).length;
    expect(aloneOnDb1).toBeGreaterThan(20);
    expect(writes.lost).toBe(aloneOnDb1);
    expect(durability.lostDegraded).toBe(aloneOnDb1);
    expect(result.missing).toBe(writes.lost);
    expect(result.finalPrimary).toBe('db-2');
    expectHealed(result, s, true);
  });

  it.each([1, 2, 3])('db-1 only crashed: nobody is promoted over it, and it is primary again when it is back, with every write (seed %i)', (seed) => {
    const s = cutThen(seed, 'crash');
    const result = runAndCountMissing(s);
    expect(promotions(result.trace).map(([node, epoch, atMs]) => [node, epoch, atMs >= 15_000])).toEqual([['db-1', 2, true]]);
    expect(result.report.durability.acknowledgedDegraded).toBeGreaterThan(20);
    expect(result.report.writes.lost).toBe(0);
    expect(result.finalPrimary).toBe('db-1');
    expectHealed(result, s);
  });

  it.each([1, 2, 3])('the synchronous standby is down meanwhile: nobody is promoted until it is back, for it may hold more than the asynchronous standby that answers (seed %i)', (seed) => {
    const s = databaseScenario({ seed, durationMs: 40_000, orchestrators: 3, standbys: [{ replication: 'sync' }, { replication: 'async' }], writesPerSec: 20 }, [
      { atMs: 5000, do: 'cut', between: ['db-1', 'db-3'] },
      { atMs: 8000, do: 'crash', node: 'db-2' },
      { atMs: 12_000, do: 'wipe-disk', node: 'db-1' },
      { atMs: 16_000, do: 'restart', node: 'db-1' },
      { atMs: 25_000, do: 'heal' },
      { atMs: 25_000, do: 'restart', node: 'db-2' },
    ]);
    const result = runAndCountMissing(s);
    const promoted = promotions(result.trace);
    expect(promoted.map(([node, epoch]) => [node, epoch])).toEqual([['db-2', 2]]);
    expect(promoted[0]![2]).toBeGreaterThan(25_000);
    expect(result.report.writes.lost).toBe(result.report.durability.lostDegraded);
    expectHealed(result, s, true);
  });
});

describe('the sweep’s runs left with no primary after a primary’s disk was lost', () => {
  it.each(['raft3-wiped-degraded-primary', 'raft5-wiped-degraded-primary'])('%s: the log held db-1’s cleared naming when its disk was lost; db-2 is promoted and the run heals, nothing acknowledged lost', (name) => {
    expectSweepCaseHealed(name, 'db-2');
  });

  it('raft3-wiped-primary-never-named-in-its-epoch: db-1, promoted again in epoch 2, named no standby before its disk was lost; db-2 (named in epoch 1) is promoted and the run heals', () => {
    const s = sweepCase('raft3-wiped-primary-never-named-in-its-epoch');
    const result = runAndCountMissing(s);
    expect(promotions(result.trace).map(([node, epoch]) => [node, epoch])).toEqual([
      ['db-1', 2],
      ['db-2', 3],
    ]);
    expectHealed(result, s);
  });
});
