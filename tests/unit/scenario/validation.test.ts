// Proves each validation rule refuses bad input with an error at the right path and a message that says what was expected.
import { describe, expect, it } from 'vitest';
import { formatErrors, parseScenario, parseScenarioText } from '../../../src/sim/scenario/parse';
import { errorAt, errorsOf, parsedOk, scenarioWith } from './helpers';

const withEvents = (events: unknown[], fields: Record<string, unknown> = {}) => scenarioWith({ ...fields, events });
const withDatabase = (events: unknown[]) =>
  withEvents(events, {
    topology: {
      database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] },
      backups: { offsite: true },
    },
  });

describe('the whole input', () => {
  it.each([[null], [42], ['text'], [[]], [true]])('refuses %j with a sentence about the expected object', (value) => {
    expect(errorAt(value, '(scenario)').message).toMatch(/expected a JSON object with "version": 1/);
  });

  it('refuses text that is not JSON, naming the problem', () => {
    const result = parseScenarioText('{"version": 1,');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ path: '(json)', message: expect.stringMatching(/^not valid JSON/) });
  });

  it('refuses text beyond the size limit without parsing it', () => {
    const result = parseScenarioText(`{"version":1,"title":"${'x'.repeat(2_000_001)}"}`);
    expect(!result.ok && result.errors[0]!.message).toMatch(/at most 2000000/);
  });

  it('accepts a file with a byte-order mark', () => {
    expect(parseScenarioText('\uFEFF{"version":1}').ok).toBe(true);
  });

  it('formatErrors gives one "path: message" line per error', () => {
    expect(formatErrors([{ path: 'a', message: 'b' }, { path: 'c', message: 'd' }])).toBe('a: b\nc: d');
  });

  it('reports a bounded number of errors, then how many more there were', () => {
    const events = Array.from({ length: 200 }, () => ({ atMs: 0, do: 'crash', node: 'nobody' }));
    const errors = errorsOf(withEvents(events));
    expect(errors).toHaveLength(51);
    expect(errors[50]!.message).toBe('… and 150 more errors');
  });
});

describe('version', () => {
  it('must be present', () => {
    expect(errorAt({ title: 'x' }, 'version').message).toMatch(/missing; expected 1/);
  });
  it.each([2, 0, '1', null])('an unknown version %j says which are supported', (version) => {
    expect(errorAt({ version }, 'version').message).toMatch(/unsupported version .*; supported versions: 1/);
  });
});

describe('unknown keys', () => {
  it('suggests the field a typo most likely meant', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', nodee: 'orch-1' }]), 'events[0].nodee').message).toBe(
      'unknown field; did you mean node?',
    );
    expect(errorAt(scenarioWith({ setings: {} }), 'setings').message).toBe('unknown field; did you mean settings?');
    expect(errorAt(scenarioWith({ settings: { healthCheck: { interval: 5 } } }), 'settings.healthCheck.interval').message).toMatch(
      /did you mean intervalMs\?/,
    );
  });

  it('lists the fields when nothing is close', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'heal', zzzzzz: 1 }]), 'events[0].zzzzzz').message).toBe(
      'unknown field; the fields here are atMs, do',
    );
  });

  it('treats prototype keys as ordinary unknown fields and pollutes nothing', () => {
    const text = '{"version":1,"__proto__":{"polluted":true},"topology":{"constructor":{"prototype":{"polluted":true}}}}';
    const result = parseScenarioText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((error) => error.path).sort()).toEqual(['__proto__', 'topology.constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an unknown event kind is named, with a suggestion and the list of kinds', () => {
    const message = errorAt(withEvents([{ atMs: 0, do: 'crsh', node: 'orch-1' }]), 'events[0].do').message;
    expect(message).toMatch(/^unknown event kind "crsh" \(did you mean crash\?\); expected one of crash, restart, wipe-disk/);
  });

  it('an event without "do" says that it is missing', () => {
    expect(errorAt(withEvents([{ atMs: 0 }]), 'events[0].do').message).toMatch(/^missing; every event says what it does/);
  });
});

describe('types and ranges', () => {
  it.each([
    [{ topology: { orchestrators: 10 } }, 'topology.orchestrators', 'must be at most 9, got 10'],
    [{ topology: { orchestrators: -1 } }, 'topology.orchestrators', 'must be at least 0, got -1'],
    [{ topology: { orchestrators: 2.5 } }, 'topology.orchestrators', 'expected a whole number, got 2.5'],
    [{ topology: { servers: 25 } }, 'topology.servers', 'must be at most 24, got 25'],
    [{ topology: { election: 'paxos' } }, 'topology.election', 'expected one of "raft", "bully", got "paxos"'],
    [{ topology: { database: 'yes' } }, 'topology.database', 'expected an object or null, got "yes"'],
    [{ topology: { regions: { primary: 'Mumbai' } } }, 'topology.regions.primary', 'expected a short lowercase name'],
    [{ topology: { regions: { primary: 'x', dr: 'x' } } }, 'topology.regions', 'the two regions need different names'],
    [{ seed: 2 ** 32 }, 'seed', 'must be at most 4294967295'],
    [{ seed: -1 }, 'seed', 'must be at least 0'],
    [{ seed: 1.5 }, 'seed', 'expected a whole number'],
    [{ durationMs: 0 }, 'durationMs', 'must be at least 1'],
    [{ durationMs: 7 * 86_400_000 + 1 }, 'durationMs', 'must be at most 604800000'],
    [{ durationMs: 1e300 }, 'durationMs', 'must be at most 604800000, got 1e+300'],
    [{ durationMs: Number.NaN }, 'durationMs', 'expected a finite number, got NaN'],
    [{ settings: { electionTimeoutMs: [2000, 1000] } }, 'settings.electionTimeoutMs', '[2000, 1000] has min above max'],
    [{ settings: { latencyMs: { local: [0, 5] } } }, 'settings.latencyMs.local[0]', 'must be at least 1, got 0'],
    [{ settings: { latencyMs: { crossRegion: 60 } } }, 'settings.latencyMs.crossRegion', 'expected [min, max], two whole numbers'],
    [{ settings: { heartbeatMs: 0 } }, 'settings.heartbeatMs', 'must be at least 1'],
    [{ settings: { lossRate: 1.5 } }, 'settings.lossRate', 'must be at most 1, got 1.5'],
    [{ settings: { fencing: 'on' } }, 'settings.fencing', 'expected true or false, got "on"'],
    [{ title: 'x'.repeat(201) }, 'title', 'is 201 characters long; at most 200 are allowed'],
    [{ title: 7 }, 'title', 'expected text, got 7'],
    [{ description: 'x'.repeat(5001) }, 'description', 'at most 5000 are allowed'],
    [{ workload: { writesPerSec: -1 } }, 'workload.writesPerSec', 'must be at least 0'],
    [{ events: {} }, 'events', 'expected a list'],
  ])('%j → %s', (fields, path, message) => {
    const error = errorAt(scenarioWith(fields), path);
    expect(error.message).toContain(message);
    expect(errorsOf(scenarioWith(fields))).toHaveLength(1);
  });

  it('a title is kept as plain text, markup and all', () => {
    expect(parsedOk(scenarioWith({ title: '<img src=x onerror=alert(1)>' })).title).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('event times', () => {
  it('every atMs is a whole number within the run', () => {
    expect(errorAt(withEvents([{ atMs: -1, do: 'heal' }]), 'events[0].atMs').message).toContain('must be at least 0');
    expect(errorAt(withEvents([{ atMs: 1.5, do: 'heal' }]), 'events[0].atMs').message).toContain('expected a whole number');
    expect(errorAt(withEvents([{ atMs: 60_001, do: 'heal' }]), 'events[0].atMs').message).toBe(
      '60001 is after the end of the run (durationMs is 60000)',
    );
    expect(parsedOk(withEvents([{ atMs: 60_000, do: 'heal' }])).events).toHaveLength(1);
  });

  it('events are in non-decreasing time order', () => {
    const events = [0, 8000, 8000, 5000].map((atMs) => ({ atMs, do: 'heal' }));
    expect(errorsOf(withEvents(events))).toEqual([
      { path: 'events[3].atMs', message: "5000 comes before the previous event's 8000; events must be in time order" },
    ]);
  });

  it('order is still checked when another part of the file is wrong', () => {
    const errors = errorsOf(withEvents([{ atMs: 9, do: 'heal' }, { atMs: 3, do: 'heal' }], { seed: -5 }));
    expect(errors.map((error) => error.path)).toEqual(['seed', 'events[1].atMs']);
  });
});

describe('node references', () => {
  it('an unknown id lists the ids and selectors this scenario has', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', node: 'db-1' }]), 'events[0].node').message).toBe(
      'unknown node "db-1"; this scenario has orch-1 … orch-3, lb, api-1 … api-3 (or use @leader)',
    );
  });

  it('suggests the id a typo most likely meant', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', node: 'orch1' }]), 'events[0].node').message).toMatch(
      /^unknown node "orch1" \(did you mean orch-1\?\)/,
    );
  });

  it('accepts ids the run may create: replacement orchestrators and servers, and database nodes restored onto new machines', () => {
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'crash', node: 'orch-12' }, { atMs: 0, do: 'crash', node: 'api-30' }])).events).toHaveLength(2);
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'crash', node: 'db-3' }])).events).toHaveLength(1);
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'restore-backup', node: 'db-4', from: 'backup-mumbai' }])).events).toHaveLength(1);
    expect(errorAt(withDatabase([{ atMs: 0, do: 'crash', node: 'db-0' }]), 'events[0].node').message).toMatch(/db-1 … db-3/);
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', node: 'db-2' }]), 'events[0].node').message).toMatch(/unknown node "db-2"/);
  });

  it('@primary needs a database; @leader needs orchestrators', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', node: '@primary' }]), 'events[0].node').message).toMatch(
      /no database \("database": null\)/,
    );
    const noOrchestrators = withEvents([{ atMs: 0, do: 'crash', node: '@leader' }], { topology: { orchestrators: 0 } });
    expect(errorAt(noOrchestrators, 'events[0].node').message).toMatch(/no orchestrators/);
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'crash', node: '@primary' }])).events).toHaveLength(1);
  });

  it('lb, witness and backup stores only when the topology has them', () => {
    const bare = { topology: { servers: 0 } };
    expect(errorAt(withEvents([{ atMs: 0, do: 'crash', node: 'lb' }], bare), 'events[0].node').message).toMatch(/unknown node "lb"/);
    expect(errorAt(withDatabase([{ atMs: 0, do: 'crash', node: 'witness' }]), 'events[0].node').message).toMatch(/unknown node/);
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'crash', node: 'backup-singapore' }])).events).toHaveLength(1);
  });

  it('"*" stands only inside partition groups', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'cut', between: ['*', 'orch-1'] }]), 'events[0].between[0]').message).toBe(
      '"*" (everyone not named) may only stand inside partition groups',
    );
    expect(parsedOk(withEvents([{ atMs: 0, do: 'partition', groups: [['orch-1'], ['*']] }])).events).toHaveLength(1);
  });

  it('a partition lists each node at most once, "*" included', () => {
    const event = { atMs: 0, do: 'partition', groups: [['orch-1', '*'], ['orch-2', 'orch-1'], ['*']] };
    const errors = errorsOf(withEvents([event]));
    expect(errors).toEqual([
      { path: 'events[0].groups[1][1]', message: '"orch-1" is already in groups[0]; a partition lists each node at most once' },
      { path: 'events[0].groups[2][0]', message: '"*" is already in groups[0]; a partition lists each node at most once' },
    ]);
  });

  it('a partition has at least two groups, none empty', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'partition', groups: [['orch-1']] }]), 'events[0].groups').message).toContain(
      'needs at least 2 entries',
    );
    expect(errorAt(withEvents([{ atMs: 0, do: 'partition', groups: [['orch-1'], []] }]), 'events[0].groups[1]').message).toContain(
      'needs at least 1 entries',
    );
  });

  it('a link joins two different, known nodes', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'cut', between: ['orch-1', 'orch-1'] }]), 'events[0].between').message).toMatch(
      /two different nodes/,
    );
    expect(errorAt(withEvents([{ atMs: 0, do: 'heal-link', between: ['orch-1'] }]), 'events[0].between').message).toBeTruthy();
    expect(errorAt(withEvents([{ atMs: 0, do: 'cut', between: ['orch-1', 'zz'] }]), 'events[0].between[1]').message).toMatch(/unknown node "zz"/);
  });

  it('restart cannot name a selector that always means a running node', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'restart', node: '@leader' }]), 'events[0].node').message).toMatch(
      /always names a running node/,
    );
    expect(parsedOk(withEvents([{ atMs: 0, do: 'restart', node: '@last-crashed' }])).events).toHaveLength(1);
  });

  it('promote acts on a database node', () => {
    expect(errorAt(withDatabase([{ atMs: 0, do: 'promote', node: 'orch-1' }]), 'events[0].node').message).toBe(
      'promote acts on a database node (db-1 … db-3 or @primary); orch-1 is an orchestrator',
    );
    expect(parsedOk(withDatabase([{ atMs: 0, do: 'promote', node: 'db-3' }])).events).toHaveLength(1);
  });
});

describe('regions', () => {
  it('accepts the role key or the display name, and keeps the role key', () => {
    const events = [
      { atMs: 0, do: 'region-down', region: 'singapore' },
      { atMs: 1, do: 'region-up', region: 'dr' },
      { atMs: 2, do: 'region-down', region: 'mumbai' },
    ];
    expect(parsedOk(withEvents(events)).events.map((event) => 'region' in event && event.region)).toEqual(['dr', 'dr', 'primary']);
  });

  it('names the accepted spellings of an unknown region', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'region-down', region: 'singapur' }]), 'events[0].region').message).toBe(
      'unknown region "singapur" (did you mean singapore?); expected "primary", "dr", "mumbai", "singapore"',
    );
  });
});

describe('set', () => {
  it('accepts a known settings leaf with a valid value', () => {
    const events = [
      { atMs: 0, do: 'set', path: 'settings.fencing', value: false },
      { atMs: 0, do: 'set', path: 'settings.healthCheck.intervalMs', value: 2000 },
      { atMs: 0, do: 'set', path: 'settings.preVote', value: true },
      { atMs: 0, do: 'set', path: 'settings.latencyMs.crossRegion', value: [100, 200] },
    ];
    expect(parsedOk(withEvents(events)).events).toEqual(events);
  });

  it('refuses a path that is not a settings leaf, suggesting the likely one', () => {
    const message = errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.fensing', value: true }]), 'events[0].path').message;
    expect(message).toMatch(/^expected one of "settings.fencing", .*did you mean "settings.fencing"\?$/);
    expect(errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.healthCheck', value: {} }]), 'events[0].path')).toBeTruthy();
  });

  it('refuses a value that does not fit the setting', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.fencing', value: 'no' }]), 'events[0].value').message).toBe(
      'expected true or false, got "no" (the value for settings.fencing)',
    );
    expect(errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.lossRate', value: 2 }]), 'events[0].value').message).toMatch(
      /must be at most 1/,
    );
    expect(errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.heartbeatMs' }]), 'events[0].value').message).toMatch(/^missing/);
    expect(
      errorAt(withEvents([{ atMs: 0, do: 'set', path: 'settings.electionTimeoutMs', value: [0, 5] }]), 'events[0].value[0]').message,
    ).toMatch(/must be at least 1/);
  });
});

describe('propose, slow-link, restore-backup', () => {
  it('propose needs a command of 1 to 200 characters', () => {
    expect(errorAt(withEvents([{ atMs: 0, do: 'propose', cmd: '' }]), 'events[0].cmd').message).toBe('must not be empty');
    expect(errorAt(withEvents([{ atMs: 0, do: 'propose', cmd: 'x'.repeat(201) }]), 'events[0].cmd').message).toMatch(/at most 200/);
    expect(errorAt(withEvents([{ atMs: 0, do: 'propose' }]), 'events[0].cmd').message).toBe('missing; expected text');
  });

  it('slow-link takes a latency or a range, normalized to a range', () => {
    const link = { atMs: 0, do: 'slow-link', between: ['orch-1', 'orch-2'] };
    const parsed = parsedOk(withEvents([{ ...link, latencyMs: [10, 20], lossRate: 0.25 }]));
    expect(parsed.events[0]).toMatchObject({ latencyMs: [10, 20], lossRate: 0.25 });
    expect(errorAt(withEvents([{ ...link, latencyMs: 0 }]), 'events[0].latencyMs').message).toBe('must be at least 1, got 0');
    expect(errorAt(withEvents([{ ...link, latencyMs: [20, 10] }]), 'events[0].latencyMs').message).toMatch(/min above max/);
    expect(errorAt(withEvents([{ ...link, latencyMs: 'slow' }]), 'events[0].latencyMs').message).toBe(
      'expected a number or [min, max], two whole numbers of milliseconds, got "slow"',
    );
    expect(errorAt(withEvents([{ ...link, latencyMs: 5, lossRate: -0.1 }]), 'events[0].lossRate').message).toMatch(/at least 0/);
  });

  it('restore-backup reads from a backup store the topology has', () => {
    const restore = (from: string) => ({ atMs: 0, do: 'restore-backup', node: 'db-2', from });
    expect(parsedOk(withDatabase([restore('backup-singapore')])).events).toHaveLength(1);
    expect(errorAt(withDatabase([restore('backup-tokyo')]), 'events[0].from').message).toBe(
      'unknown backup store "backup-tokyo"; expected backup-mumbai or backup-singapore',
    );
    const noBackups = withEvents([restore('backup-mumbai')], { topology: { database: {} } });
    expect(errorAt(noBackups, 'events[0].from').message).toMatch(/no backups/);
  });
});

describe('error reports', () => {
  it('name every problem of a file at once, in file order', () => {
    const result = parseScenario(
      withEvents([{ atMs: 0, do: 'crash', node: 'nobody' }, { atMs: 1, do: 'heal', extra: 1 }], { seed: -1 }),
    );
    expect(!result.ok && result.errors.map((error) => error.path)).toEqual(['seed', 'events[0].node', 'events[1].extra']);
  });

  it('leave node ids unjudged while the topology itself is invalid', () => {
    const result = parseScenario(withEvents([{ atMs: 0, do: 'crash', node: 'nobody' }], { topology: { servers: 99 } }));
    expect(!result.ok && result.errors.map((error) => error.path)).toEqual(['topology.servers']);
  });
});
