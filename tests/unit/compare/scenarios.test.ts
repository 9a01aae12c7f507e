// Proves the comparison's scenarios are fair: for one disaster every strategy gets the same seed, load, clock and disaster, differing only in protection and in what the operator does about it.
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  DISASTER_AT_MS,
  DISASTER_IDS,
  HOUR_MS,
  OPERATOR_DELAY_MS,
  STRATEGY_IDS,
  comparisonScenario,
  comparisonScenarioJson,
  type DisasterId,
  type StrategyId,
} from '../../../src/sim/compare/scenarios';
import { decodeScenarioParam, encodeScenarioHash } from '../../../src/sim/scenario/url';

const pairs = DISASTER_IDS.flatMap((disaster) => STRATEGY_IDS.map((strategy) => [strategy, disaster] as const));

function eventsAt(strategy: StrategyId, disaster: DisasterId, atMs: number) {
  return comparisonScenario(strategy, disaster).events.filter((e) => e.atMs === atMs);
}

describe('comparison scenarios', () => {
  it.each(pairs)('%s against %s is a valid scenario that survives a link unchanged', (strategy, disaster) => {
    const scenario = comparisonScenario(strategy, disaster);
    const reopened = decodeScenarioParam(encodeScenarioHash(scenario).slice('s='.length));
    expect(reopened.ok && reopened.scenario).toEqual(scenario);
  });

  it.each(DISASTER_IDS)('for %s, every strategy runs the same seed, load, length, settings and disaster', (disaster) => {
    const all = STRATEGY_IDS.map((strategy) => comparisonScenario(strategy, disaster));
    const common = all.map((s) => ({ seed: s.seed, durationMs: s.durationMs, workload: s.workload, settings: s.settings, orchestrators: s.topology.orchestrators, regions: s.topology.regions }));
    for (const one of common) expect(one).toEqual(common[0]);
    const disasterEvents = all.map((s) => s.events.filter((e) => e.atMs === DISASTER_AT_MS));
    for (const events of disasterEvents) expect(events).toEqual(disasterEvents[0]);
    expect(disasterEvents[0]!.length).toBe(1);
    expect(all[0]!.workload.writesPerSec).toBeGreaterThan(0);
  });

  it('strikes the disk of db-1 in one disaster and darkens the primary data centre, then restores power, in the other', () => {
    expect(eventsAt('dr-replica', 'disk', DISASTER_AT_MS)).toEqual([{ atMs: DISASTER_AT_MS, do: 'wipe-disk', node: 'db-1' }]);
    const region = comparisonScenario('dr-replica', 'region').events;
    expect(region).toContainEqual({ atMs: DISASTER_AT_MS, do: 'region-down', region: 'primary' });
    expect(region.find((e) => e.do === 'region-up')!.atMs).toBeGreaterThan(DISASTER_AT_MS);
  });

  it('protects with backups a day or an hour apart, or with one standby of the named kind', () => {
    const backups = (s: StrategyId) => comparisonScenario(s, 'disk').topology.backups;
    expect(backups('daily-backups')?.incrementalEveryMs).toBe(DAY_MS);
    expect(backups('hourly-backups')?.incrementalEveryMs).toBe(HOUR_MS);
    expect(DAY_MS).toBe(24 * HOUR_MS);
    const standbys = (s: StrategyId) => comparisonScenario(s, 'disk').topology.database?.standbys;
    expect(standbys('daily-backups')).toEqual([]);
    expect(standbys('sync-standby')).toEqual([{ replication: 'sync', region: 'primary' }]);
    expect(standbys('async-standby')).toEqual([{ replication: 'async', region: 'primary' }]);
    expect(standbys('dr-replica')).toEqual([{ replication: 'async', region: 'dr' }]);
    for (const s of ['sync-standby', 'async-standby', 'dr-replica'] as const) expect(backups(s)).toBeNull();
  });

  it('has the daily backup half a day old and the hourly one half an hour old when the disaster strikes', () => {
    expect(DISASTER_AT_MS % DAY_MS).toBe(DAY_MS / 2 + HOUR_MS / 2);
    expect(DISASTER_AT_MS).toBeGreaterThan(DAY_MS);
  });

  it('scripts the operator an "hour" after the disaster: restore, promote or replace the disk', () => {
    const at = DISASTER_AT_MS + OPERATOR_DELAY_MS;
    expect(eventsAt('daily-backups', 'disk', at)).toEqual([{ atMs: at, do: 'restore-backup', node: 'db-1', from: 'backup-mumbai' }]);
    expect(eventsAt('hourly-backups', 'region', at)).toEqual([{ atMs: at, do: 'restore-backup', node: 'db-2', from: 'backup-singapore' }]);
    expect(eventsAt('dr-replica', 'region', at)).toEqual([{ atMs: at, do: 'promote', node: 'db-2' }]);
    expect(eventsAt('sync-standby', 'disk', at)).toEqual([{ atMs: at, do: 'restart', node: 'db-1' }]);
    // Dark with the primary, the local standbys have nobody to promote them: the operator waits for power.
    expect(eventsAt('async-standby', 'region', at)).toEqual([]);
  });

  // An empty standby wiped at 0 s used to stand in for the DR server; the orchestrators now replace
  // a lost database node, so the restore provisions a new machine in the store's region instead.
  it('gives backups in the region disaster a new server in the DR region, provisioned by the restore', () => {
    const scenario = comparisonScenario('daily-backups', 'region');
    expect(scenario.topology.database?.standbys).toEqual([]);
    expect(scenario.events.filter((e) => e.do === 'wipe-disk')).toEqual([]);
    expect(scenario.events.filter((e) => e.do === 'restore-backup')).toEqual([expect.objectContaining({ node: 'db-2', from: 'backup-singapore' })]);
    expect(scenario.topology.backups?.offsite).toBe(true);
  });

  it('writes events in time order, as a file must have them', () => {
    for (const [strategy, disaster] of pairs) {
      const times = (comparisonScenarioJson(strategy, disaster)['events'] as { atMs: number }[]).map((e) => e.atMs);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});
