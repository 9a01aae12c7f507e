// Proves that omitted fields are filled from defaults.ts, at every depth, and that the parsed scenario has the normalized shape.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKUPS,
  DEFAULT_SCENARIO_FIELDS,
  DEFAULT_SETTINGS,
  DEFAULT_STANDBY,
  DEFAULT_TOPOLOGY,
  DEFAULT_WORKLOAD,
} from '../../../src/sim/scenario/defaults';
import { parsedOk, scenarioWith } from './helpers';

describe('defaults', () => {
  it('a scenario of only "version": 1 gets every default', () => {
    const scenario = parsedOk({ version: 1 });
    expect(scenario).toEqual({
      version: 1,
      ...DEFAULT_SCENARIO_FIELDS,
      topology: DEFAULT_TOPOLOGY,
      settings: DEFAULT_SETTINGS,
      workload: DEFAULT_WORKLOAD,
      events: [],
    });
  });

  it('has the documented values', () => {
    expect(DEFAULT_SETTINGS).toEqual({
      fencing: true,
      quorum: true,
      heartbeatMs: 100,
      electionTimeoutMs: [1000, 2000],
      healthCheck: { intervalMs: 1000, timeoutMs: 500, failureThreshold: 3 },
      latencyMs: { local: [1, 5], crossRegion: [60, 90] },
      preVote: false,
      checkQuorum: false,
      lossRate: 0,
      walKeepBytes: 1_048_576,
      leaseMs: 2500,
      baseBackupBytesPerSec: 50_000,
      diskFlushMs: 0,
      serviceMs: 30,
      requestTimeoutMs: 1000,
      provisionMs: 5000,
      replaceDatabaseAfterMs: 30_000,
    });
    expect(DEFAULT_TOPOLOGY).toEqual({
      orchestrators: 3,
      election: 'raft',
      servers: 3,
      database: null,
      backups: null,
      regions: { primary: 'mumbai', dr: 'singapore' },
    });
    expect(DEFAULT_SCENARIO_FIELDS).toEqual({ title: 'Untitled scenario', description: '', seed: 1, durationMs: 60000 });
    expect(DEFAULT_WORKLOAD).toEqual({ writesPerSec: 0, proposalsPerSec: 0, requestsPerSec: 0 });
  });

  it('fills the rest of a partly written nested object', () => {
    const scenario = parsedOk(
      scenarioWith({
        settings: { healthCheck: { intervalMs: 250 }, latencyMs: { local: [2, 3] }, preVote: true },
        topology: { regions: { dr: 'frankfurt' } },
      }),
    );
    expect(scenario.settings.healthCheck).toEqual({ intervalMs: 250, timeoutMs: 500, failureThreshold: 3 });
    expect(scenario.settings.latencyMs).toEqual({ local: [2, 3], crossRegion: [60, 90] });
    expect(scenario.settings.preVote).toBe(true);
    expect(scenario.settings.fencing).toBe(true);
    expect(scenario.topology.regions).toEqual({ primary: 'mumbai', dr: 'frankfurt' });
  });

  it('an empty database or backups object gets its own defaults', () => {
    const scenario = parsedOk(scenarioWith({ topology: { database: { standbys: [{}, { replication: 'sync' }] }, backups: {} } }));
    expect(scenario.topology.database).toEqual({
      standbys: [DEFAULT_STANDBY, { replication: 'sync', region: 'primary' }],
      witness: false,
    });
    expect(scenario.topology.backups).toEqual(DEFAULT_BACKUPS);
  });

  it('changing one parsed scenario changes neither the defaults nor the next parse', () => {
    const first = parsedOk({ version: 1 });
    try {
      (first.settings.healthCheck as { intervalMs: number }).intervalMs = 1;
      (first.topology.regions as { dr: string }).dr = 'changed';
    } catch {
      // A frozen default throws here in strict mode; that protects it just as well.
    }
    expect(DEFAULT_SETTINGS.healthCheck.intervalMs).toBe(1000);
    expect(parsedOk({ version: 1 }).settings.healthCheck.intervalMs).toBe(1000);
    expect(parsedOk({ version: 1 }).topology.regions.dr).toBe('singapore');
  });

  it('drops the editor hint "$schema" and fills slow-link loss with 0', () => {
    const scenario = parsedOk(
      scenarioWith({ $schema: './scenario.schema.json', events: [{ atMs: 0, do: 'slow-link', between: ['orch-1', 'orch-2'], latencyMs: 40 }] }),
    );
    expect(scenario).not.toHaveProperty('$schema');
    expect(scenario.events[0]).toEqual({ atMs: 0, do: 'slow-link', between: ['orch-1', 'orch-2'], latencyMs: [40, 40], lossRate: 0 });
  });
});
