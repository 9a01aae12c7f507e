// Proves the comparison's figures are the runs' own and tell the known story: a synchronous standby loses nothing, backups lose more than any standby and take longer to restore than a failover, and the same comparison twice gives the same table.
import { beforeAll, describe, expect, it } from 'vitest';
import { readingOf, runComparison, runStrategy, type Comparison, type ComparisonRow } from '../../../src/sim/compare/compare';
import { DISASTER_AT_MS, OPERATOR_DELAY_MS, OUTAGE_MS, STRATEGY_IDS, comparisonScenario, type StrategyId } from '../../../src/sim/compare/scenarios';
import { runScenario } from '../../../src/sim/run';

let disk: Comparison;
let region: Comparison;

function row(comparison: Comparison, strategy: StrategyId): ComparisonRow {
  return comparison.rows.find((r) => r.strategy === strategy)!;
}

const STANDBYS = ['sync-standby', 'async-standby', 'dr-replica'] as const;
const BACKUPS = ['daily-backups', 'hourly-backups'] as const;

// Ten full runs (five strategies, two disasters): a few seconds alone, but past vitest's 10 s hook
// limit on a loaded machine, where it once timed out. The hook gets the same budget as a test.
const TEN_RUNS_MS = 120_000;

beforeAll(() => {
  disk = runComparison('disk');
  region = runComparison('region');
}, TEN_RUNS_MS);

describe('the disk of the primary fails', () => {
  it('has one row per strategy, in order, breaking no safety property but the loss of acknowledged writes, exactly where writes were lost', () => {
    expect(disk.rows.map((r) => r.strategy)).toEqual([...STRATEGY_IDS]);
    for (const r of disk.rows) expect(r.brokenInvariants, r.strategy).toEqual(r.lostWrites > 0 ? ['no-acknowledged-write-lost'] : []);
    for (const r of disk.rows) expect(r.recovered, r.strategy).toBe(true);
  });

  it('loses nothing with a synchronous standby', () => {
    expect(row(disk, 'sync-standby')).toMatchObject({ rpoWrites: 0, rpoMs: 0, lostWrites: 0 });
  });

  it('loses more with backups than with any standby, and more with daily than hourly backups', () => {
    for (const backup of BACKUPS) for (const standby of STANDBYS) expect(row(disk, backup).rpoWrites).toBeGreaterThan(row(disk, standby).rpoWrites);
    expect(row(disk, 'daily-backups').rpoWrites).toBeGreaterThan(row(disk, 'hourly-backups').rpoWrites);
    expect(row(disk, 'daily-backups').rpoMs).toBeGreaterThan(row(disk, 'hourly-backups').rpoMs);
  });

  it('takes longer to restore a backup than to fail over automatically', () => {
    for (const backup of BACKUPS) for (const standby of STANDBYS) expect(row(disk, backup).rtoMs).toBeGreaterThan(row(disk, standby).rtoMs);
    // The operator starts the restore an "hour" after the disaster; a failover needs no one.
    for (const backup of BACKUPS) expect(row(disk, backup).rtoMs).toBeGreaterThan(OPERATOR_DELAY_MS);
    // Every standby takes writes once promoted (the synchronous one runs degraded until the lost
    // node's replacement has caught up), long before anyone could start a restore.
    for (const standby of STANDBYS) expect(row(disk, standby).rtoMs).toBeLessThan(OPERATOR_DELAY_MS);
  });

  it('loses at most a few writes with an asynchronous standby, whose lag is milliseconds', () => {
    for (const standby of ['async-standby', 'dr-replica'] as const) expect(row(disk, standby).rpoMs).toBeLessThan(1000);
  });

  it('reads the sentence from the numbers', () => {
    expect(disk.reading).toMatch(/^Only the local sync standby lost nothing; daily backups lost the most, \d+ writes/);
  });
});

describe('the primary data centre goes dark', () => {
  it('keeps the local standbys down for the whole outage, while the replica in the other region takes over', () => {
    for (const local of ['sync-standby', 'async-standby'] as const) expect(row(region, local).rtoMs).toBeGreaterThanOrEqual(OUTAGE_MS);
    expect(row(region, 'dr-replica').rtoMs).toBeLessThan(row(region, 'hourly-backups').rtoMs);
    expect(row(region, 'dr-replica').rtoMs).toBeGreaterThanOrEqual(OPERATOR_DELAY_MS);
  });

  it('restores the offsite backups, losing what came after them', () => {
    for (const backup of BACKUPS) {
      expect(row(region, backup).recovered).toBe(true);
      expect(row(region, backup).notes).toContain('backup-singapore');
    }
    expect(row(region, 'daily-backups').rpoWrites).toBeGreaterThan(row(region, 'hourly-backups').rpoWrites);
    expect(row(region, 'hourly-backups').rpoWrites).toBeGreaterThan(row(region, 'dr-replica').rpoWrites);
  });

  it('loses nothing with a synchronous standby, even when power comes back', () => {
    expect(row(region, 'sync-standby')).toMatchObject({ rpoWrites: 0, lostWrites: 0 });
  });
});

describe('a row is a measurement', () => {
  it('holds the run report\'s own RPO and RTO', () => {
    const { report } = runScenario(comparisonScenario('async-standby', 'disk'), { keepTrace: false });
    expect(row(disk, 'async-standby')).toMatchObject({ rpoWrites: report.rpo.lostWrites, rpoMs: report.rpo.lostMs, rtoMs: report.rto.unavailableMs, lostWrites: report.writes.lost });
  });

  it('measures when writes were confirmed again from the trace: never before the new primary opened', () => {
    for (const r of disk.rows) {
      expect(r.resumedAfterMs).not.toBeNull();
      expect(r.resumedAfterMs!).toBeGreaterThanOrEqual(r.rtoMs);
    }
  });

  it('is the same when run again', () => {
    expect(runStrategy('dr-replica', 'disk')).toEqual(row(disk, 'dr-replica'));
  });

  it('starts from the same moment in every run', () => {
    expect(disk.scale.disasterAtMs).toBe(DISASTER_AT_MS);
  });
});

describe('the reading', () => {
  const base: ComparisonRow = { strategy: 'daily-backups', label: 'Daily backups', rpoWrites: 0, rpoMs: 0, rtoMs: 1000, resumedAfterMs: 1000, recovered: true, lostWrites: 0, brokenInvariants: [], notes: '' };
  const make = (strategy: StrategyId, fields: Partial<ComparisonRow>): ComparisonRow => ({ ...base, strategy, ...fields });

  it('names every strategy that lost nothing, the worst loss and the fastest return', () => {
    const text = readingOf([
      make('sync-standby', { resumedAfterMs: 4000 }),
      make('dr-replica', { resumedAfterMs: 2500 }),
      make('daily-backups', { rpoWrites: 40, rpoMs: 2000, lostWrites: 40, resumedAfterMs: 9000 }),
    ]);
    expect(text).toBe('The local sync standby and the cross-region replica lost nothing; daily backups lost the most, 40 writes (2.0 s); writes were confirmed again soonest with the cross-region replica, after 2.5 s.');
  });

  it('says when every strategy lost writes, and which never confirmed a write again', () => {
    const text = readingOf([make('hourly-backups', { rpoWrites: 3, rpoMs: 150, lostWrites: 3, resumedAfterMs: null }), make('async-standby', { rpoWrites: 1, rpoMs: 50, lostWrites: 1 })]);
    expect(text).toBe('Every strategy lost acknowledged writes; hourly backups lost the most, 3 writes (150 ms); writes were confirmed again soonest with the local async standby, after 1.0 s; with hourly backups no write was confirmed again before the run ended.');
  });
});
