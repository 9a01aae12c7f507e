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
import { readFileSync } from 'node:fs';
import { parsedOk, scenarioWith } from './helpers';

/**
 * The README's table of setting defaults ("Scenario files"), read back as a settings object: each
 * row's value is JSON (`100`, `[1000, 2000]`, `true`) or named parts (`local` [1, 5], `crossRegion` [60, 90]).
 */
function readmeSettingsTable(): Record<string, unknown> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| setting | default | meaning |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  expect(rows.length).toBeGreaterThan(10);
  const cell = (text: string): unknown => {
    const plain = text.replaceAll('`', '').trim();
    if (!/^[a-zA-Z]+ /.test(plain) || /^(true|false)$/.test(plain)) return JSON.parse(plain);
    return Object.fromEntries(plain.split(/, (?=[a-zA-Z])/).map((part) => {
      const [, name, value] = /^([a-zA-Z]+) (.+)$/.exec(part)!;
      return [name, JSON.parse(value!)];
    }));
  };
  return Object.fromEntries(rows.map((row) => {
    const [, name, value] = row.split('|');
    return [name!.replaceAll('`', '').trim(), cell(value!)];
  }));
}

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

  it('has the documented values: the settings as the README\'s table lists them', () => {
    expect(DEFAULT_SETTINGS).toEqual(readmeSettingsTable());
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
