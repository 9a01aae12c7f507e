// Proves, through the kernel, that the failover bugs found by random full-stack faults stay fixed: a plan re-checks its target before every step and gives up, in words, on one that lost its data; a finished plan read back from the log promotes nothing again; every promotion opens a new epoch; operator promotions and switchovers go through the orchestrators, so they never race a failover; the synchronous naming survives restarts; a demoted node that holds every acknowledged write is promoted again; and `writes.lost` equals the acknowledged writes truly missing from the final primary.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, databaseScenario } from '../support/scenario';
import { runAndCountMissing, type WriteCheck } from '../support/write-check';

type Failover = Extract<TraceEvent, { type: 'failover' }>;
type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

const SEEDS = [1, 2, 3];

function raft(standbys: readonly Record<string, string>[], events: readonly Record<string, unknown>[], durationMs: number, writesPerSec = 20): Scenario {
  return databaseScenario({ durationMs, orchestrators: 3, election: 'raft', standbys, writesPerSec }, events);
}

function strict(s: Scenario): Scenario {
  return { ...s, settings: { ...s.settings, synchronousModeStrict: true } };
}

function run(s: Scenario, seed: number): WriteCheck {
  return runAndCountMissing({ ...s, seed });
}

const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted');
const failoverEvents = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover');
const abandoned = (trace: readonly TraceEvent[]) => failoverEvents(trace).filter((e) => e.abandoned === true);
const acksAfter = (trace: readonly TraceEvent[], atMs: number) => trace.filter((e) => e.type === 'write-ack' && e.atMs > atMs).length;

/** The ledger's count is the truth: every acknowledged write is on the final primary or counted lost, once. */
function expectExactLedger(result: WriteCheck): void {
  expect(result.missing).not.toBeNull();
  expect(result.report.writes.lost).toBe(result.missing);
  expect(result.report.failovers.reduce((sum, f) => sum + f.lostWrites, 0)).toBe(result.report.writes.lost);
}

/**
 * The run recovered onto `primary`: it acknowledges writes after `sinceMs`, nothing acknowledged is
 * lost, the ledger is exact and every invariant holds.
 */
function expectRecoveredOnto(result: WriteCheck, primary: string, sinceMs: number): void {
  expect(result.finalPrimary).toBe(primary);
  expect(acksAfter(result.trace, sinceMs)).toBeGreaterThan(0);
  expect(result.report.writes.lost).toBe(0);
  expectExactLedger(result);
  expect(brokenInvariants(result.report)).toEqual([]);
}

function expectEpochsNeverReused(trace: readonly TraceEvent[]): void {
  const epochs = promotions(trace).map((p) => p.epoch);
  expect(new Set(epochs).size).toBe(epochs.length);
}

describe('a failover plan re-checks its target at every step', () => {
  // The primary dies, then the new one (in the DR data centre) dies and that data centre goes dark,
  // so the second failover waits at the fence; meanwhile its target's disk is wiped.
  const stalledAtTheFence = raft(
    [{ replication: 'sync', region: 'dr' }, { replication: 'async' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-1' },
      { atMs: 15_000, do: 'crash', node: 'db-2' },
      { atMs: 15_500, do: 'region-down', region: 'dr' },
      { atMs: 20_000, do: 'wipe-disk', node: 'db-3' },
      { atMs: 21_000, do: 'restart', node: 'db-3' },
      { atMs: 30_000, do: 'region-up', region: 'dr' },
    ],
    60_000,
  );

  it.each(SEEDS)('a target wiped while the plan waits at the fence is never promoted; the plan is abandoned in words (seed %i)', (seed) => {
    const { report, trace } = run(stalledAtTheFence, seed);
    expect(promotions(trace).filter((p) => p.node === 'db-3')).toEqual([]);
    const gaveUp = abandoned(trace).find((e) => e.to === 'db-3');
    expect(gaveUp?.text).toMatch(/db-3's data directory is empty/);
    // With no safe candidate left it says so instead of promoting anything.
    const after = failoverEvents(trace).filter((e) => e.atMs >= gaveUp!.atMs && e.step === 'detect');
    expect(after[0]).toMatchObject({ ok: false, text: expect.stringMatching(/no standby that surely holds every acknowledged write/) });
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  // A failover finishes; the orchestrators' data centre goes dark at once; the new primary's disk
  // is wiped; power returns and everything restarts: the orchestrators read the plan back from their log.
  const replayedAfterPowerReturns = raft(
    [{ replication: 'sync' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-1' },
      { atMs: 8100, do: 'region-down', region: 'primary' },
      { atMs: 10_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 15_000, do: 'region-up', region: 'primary' },
      { atMs: 15_000, do: 'restart', node: 'db-1' },
      { atMs: 15_000, do: 'restart', node: 'db-2' },
    ],
    40_000,
  );

  it.each(SEEDS)('a finished plan read back from the log promotes nothing again; the node holding the data takes over (seed %i)', (seed) => {
    const result = run(replayedAfterPowerReturns, seed);
    const { trace } = result;
    expectEpochsNeverReused(trace);
    // db-2 became primary once, before its disk was wiped; never again as an empty node.
    expect(promotions(trace).filter((p) => p.node === 'db-2')).toHaveLength(1);
    expect(abandoned(trace).some((e) => e.to === 'db-2')).toBe(true);
    expectRecoveredOnto(result, 'db-1', 15_000);
  });

  // The new primary (in DR) loses its lease while the orchestrators' data centre is dark; when power
  // returns they read back "promote db-2 to epoch 2", an epoch db-2 already has.
  const promotedEpochReplayed = raft(
    [{ replication: 'sync', region: 'dr' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-1' },
      { atMs: 8200, do: 'region-down', region: 'primary' },
      { atMs: 15_000, do: 'region-up', region: 'primary' },
    ],
    60_000,
  );

  it('on seed 1 the plan read back from the log finds db-2 already in epoch 2, and says so', () => {
    const { trace } = run(promotedEpochReplayed, 1);
    expect(abandoned(trace).find((e) => e.to === 'db-2')?.text).toMatch(/promoted in epoch 2 already/);
  });

  it.each(SEEDS)('the new primary that lost its lease is promoted again in a new epoch, never left waiting in its old one (seed %i)', (seed) => {
    const result = run(promotedEpochReplayed, seed);
    const { report, trace } = result;
    expectEpochsNeverReused(trace);
    expect(promotions(trace).map((p) => [p.node, p.epoch])).toEqual([
      ['db-2', 2],
      ['db-2', 3],
    ]);
    expect(result.finalPrimary).toBe('db-2');
    // Without a primary from the dark-out until the orchestrators are back and have checked it, not to the end.
    // (Clients still get no acknowledgement afterwards: db-1 never returns, and a synchronous primary
    // without its standby refuses writes, so `rto.unavailableMs` runs to the end.)
    expect(report.rto.noPrimaryMs).toBeLessThan(20_000);
    expectExactLedger(result);
    expect(brokenInvariants(report)).toEqual([]);
  });
});

describe('the synchronous naming and former primaries', () => {
  // The sync standby restarts while the primary's disk is gone: it still holds every acknowledged write.
  const syncStandbyRestarts = raft(
    [{ replication: 'sync' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-2' },
      { atMs: 6000, do: 'wipe-disk', node: 'db-1' },
      { atMs: 8000, do: 'restart', node: 'db-2' },
      { atMs: 12_000, do: 'restart', node: 'db-1' },
    ],
    60_000,
  );

  it.each(SEEDS)('a synchronous standby that restarted still knows it was named, and is promoted with nothing lost (seed %i)', (seed) => {
    const result = run(syncStandbyRestarts, seed);
    const { report, trace } = result;
    expect(promotions(trace).map((p) => p.node)).toEqual(['db-2']);
    expect(report.rto.unavailableMs).toBeLessThan(10_000);
    expectRecoveredOnto(result, 'db-2', 12_000);
  });

  // The new primary's disk fails while the old one is down; both come back. In strict mode the new
  // primary, with no synchronous standby, acknowledged nothing, so the old one holds every
  // acknowledged write (by default it runs degraded instead: tests/acceptance/degraded-sync.test.ts).
  const newPrimaryWiped = strict(raft(
    [{ replication: 'sync' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-1' },
      { atMs: 15_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 20_000, do: 'restart', node: 'db-1' },
      { atMs: 20_000, do: 'restart', node: 'db-2' },
    ],
    60_000,
  ));

  it.each(SEEDS)('a demoted old primary that holds every acknowledged write is promoted again (seed %i)', (seed) => {
    const result = run(newPrimaryWiped, seed);
    const { trace } = result;
    expect(promotions(trace).map((p) => p.node)).toEqual(['db-2', 'db-1']);
    expectEpochsNeverReused(trace);
    expectRecoveredOnto(result, 'db-1', 20_000);
  });

  // Only an asynchronous standby: it is promoted, takes writes alone, dies and loses its disk.
  // The old primary comes back demoted, the only node with any data left.
  const asyncPrimaryWiped = raft(
    [{ replication: 'async' }],
    [
      { atMs: 3000, do: 'crash', node: 'db-1' },
      { atMs: 12_000, do: 'crash', node: 'db-2' },
      { atMs: 15_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 20_000, do: 'restart', node: 'db-1' },
      { atMs: 20_000, do: 'restart', node: 'db-2' },
    ],
    45_000,
  );

  it.each(SEEDS)('with asynchronous replication, a demoted old primary is promoted when the promoted standby lost its disk (seed %i)', (seed) => {
    const result = run(asyncPrimaryWiped, seed);
    const { report, trace } = result;
    expect(promotions(trace).map((p) => p.node)).toEqual(['db-2', 'db-1']);
    expectEpochsNeverReused(trace);
    expect(result.finalPrimary).toBe('db-1');
    expect(acksAfter(trace, 21_000)).toBeGreaterThan(0);
    // What db-2 alone acknowledged in epoch 2 is gone: the RPO of asynchronous replication, counted.
    expect(report.writes.lost).toBeGreaterThan(0);
    expectExactLedger(result);
  });
});

describe('one authority for promotions', () => {
  // The primary crashes; an operator promotes a standby by hand just as the orchestrators fail over.
  const racing = raft(
    [{ replication: 'sync' }, { replication: 'sync' }],
    [
      { atMs: 5000, do: 'crash', node: 'db-1' },
      { atMs: 8000, do: 'promote', node: 'db-3' },
    ],
    30_000,
    50,
  );

  it.each(SEEDS)("an operator's promotion and the orchestrators' failover never both happen in one epoch; the loser is told why (seed %i)", (seed) => {
    const result = run(racing, seed);
    const { trace } = result;
    expectEpochsNeverReused(trace);
    expect(promotions(trace).filter((p) => p.epoch === 2)).toHaveLength(1);
    expect(acksAfter(trace, 9000)).toBeGreaterThan(0);
    expectExactLedger(result);
  });

  it('on seed 1 the operator asks for a standby the primary had not named: refused, and db-2 takes over alone', () => {
    const result = run(racing, 1);
    const refusal = failoverEvents(result.trace).find((e) => e.to === 'db-3' && e.step === 'confirm' && !e.ok);
    expect(refusal?.text).toMatch(/refused the operator's promote of db-3: db-3 may lack writes that db-1 acknowledged/);
    expect(promotions(result.trace).map((p) => p.node)).toEqual(['db-2']);
    expect(brokenInvariants(result.report)).toEqual([]);
    expect(result.report.writes.lost).toBe(0);
  });

  const healthy = (events: readonly Record<string, unknown>[]) => raft([{ replication: 'sync' }, { replication: 'async' }], events, 30_000);

  it('promoting a standby while the primary is healthy is what pg_ctl promote does: two writers for a moment, and the report says so', () => {
    const { report } = run(healthy([{ atMs: 10_000, do: 'promote', node: 'db-3' }]), 1);
    expect(brokenInvariants(report).some((b) => b.startsWith('single-writer'))).toBe(true);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', 'db-3']);
  });

  it.each(['db-2', 'db-3'])('a switchover to %s hands over with one writer at a time and nothing lost', (target) => {
    const result = run(healthy([{ atMs: 10_000, do: 'switchover', node: target }]), 1);
    const { report, trace } = result;
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', target]);
    expect(failoverEvents(trace).find((e) => e.step === 'fence' && e.ok && /caught up/.test(e.text))).toBeDefined();
    expectRecoveredOnto(result, target, 11_000);
  });

  it('two promotions in one millisecond never give two primaries of one epoch (with orchestrators, the second is refused)', () => {
    const { report, trace } = run(
      healthy([
        { atMs: 10_000, do: 'promote', node: 'db-3' },
        { atMs: 10_000, do: 'promote', node: 'db-2' },
      ]),
      1,
    );
    expectEpochsNeverReused(trace);
    expect(failoverEvents(trace).find((e) => e.to === 'db-2' && !e.ok)?.text).toMatch(/refused the operator's promote of db-2: .* under way/);
    expect(brokenInvariants(report).filter((b) => b.startsWith('epochs') && /same epoch|two primaries of epoch/.test(b))).toEqual([]);
  });

  it('two promotions in one millisecond without orchestrators open two epochs from one counter', () => {
    const s = databaseScenario({ durationMs: 15_000, standbys: [{ replication: 'async' }, { replication: 'async' }], writesPerSec: 20 }, [
      { atMs: 5000, do: 'promote', node: 'db-3' },
      { atMs: 5000, do: 'promote', node: 'db-2' },
    ]);
    const { trace } = run(s, 1);
    expect(promotions(trace).map((p) => [p.node, p.epoch])).toEqual([
      ['db-3', 2],
      ['db-2', 3],
    ]);
  });

  // Without orchestrators: the primary crashes, the standby's disk is wiped, and an operator promotes it.
  const wipedThenPromoted = databaseScenario({ durationMs: 30_000, standbys: [{ replication: 'sync' }], writesPerSec: 20 }, [
    { atMs: 5000, do: 'crash', node: 'db-1' },
    { atMs: 6000, do: 'wipe-disk', node: 'db-2' },
    { atMs: 7000, do: 'restart', node: 'db-2' },
    { atMs: 8000, do: 'promote', node: 'db-2' },
    { atMs: 10_000, do: 'restart', node: 'db-1' },
  ]);

  it.each(SEEDS)('promoting a wiped standby opens a new epoch; the old primary rewinds; the ledger counts the loss exactly (seed %i)', (seed) => {
    const result = run(wipedThenPromoted, seed);
    const { report, trace } = result;
    expect(promotions(trace).map((p) => [p.node, p.epoch])).toEqual([['db-2', 2]]);
    expect(trace.some((e) => e.type === 'role' && e.node === 'db-1' && /rewound/.test(e.reason))).toBe(true);
    expect(report.writes.lost).toBeGreaterThan(0);
    expectExactLedger(result);
  });
});
