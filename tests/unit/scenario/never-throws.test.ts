// Proves the parser answers every input with a result, never an exception: arbitrary values, mutated valid scenarios, arbitrary text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario, parseScenarioText } from '../../../src/sim/scenario/parse';
import { expectWellFormed } from '../../support/parse-result';
import { propertyOptions } from '../../support/property';

const valid = {
  version: 1,
  title: 'All kinds',
  durationMs: 30_000,
  topology: {
    orchestrators: 3,
    servers: 2,
    database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }], witness: true },
    backups: { offsite: true },
  },
  settings: { electionTimeoutMs: [500, 900], healthCheck: { failureThreshold: 2 } },
  workload: { writesPerSec: 5, proposalsPerSec: 1 },
  events: [
    { atMs: 1000, do: 'crash', node: '@leader' },
    { atMs: 2000, do: 'partition', groups: [['db-1'], ['*']] },
    { atMs: 3000, do: 'cut', between: ['orch-1', 'orch-2'] },
    { atMs: 4000, do: 'slow-link', between: ['lb', 'api-1'], latencyMs: 50, lossRate: 0.1 },
    { atMs: 5000, do: 'region-down', region: 'singapore' },
    { atMs: 6000, do: 'set', path: 'settings.fencing', value: false },
    { atMs: 7000, do: 'restore-backup', node: 'db-2', from: 'backup-mumbai' },
    { atMs: 8000, do: 'propose', cmd: 'x=1' },
    { atMs: 9000, do: 'heal' },
  ],
};


/** Replaces the value at one random path of `value` by `replacement` (a deep copy is changed). */
function mutateAt(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof value !== 'object' || value === null) return replacement;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return replacement;
  const key = keys[choices[0]! % keys.length]!;
  (copy as Record<string, unknown>)[key] = mutateAt((copy as Record<string, unknown>)[key], choices.slice(1), replacement);
  return copy;
}

describe('parseScenario never throws', () => {
  it('the valid base scenario is valid (so mutations start from something real)', () => {
    expect(parseScenario(valid).ok).toBe(true);
  });

  it('on arbitrary JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expectWellFormed(parseScenario(value))), propertyOptions(500));
  });

  it('on arbitrary JavaScript values', () => {
    const anything = fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withDate: true, withTypedArray: true, withBigInt: true });
    fc.assert(fc.property(anything, (value) => expectWellFormed(parseScenario(value))), propertyOptions(500));
  });

  it('on arbitrary objects that claim version 1', () => {
    const keyed = fc.dictionary(fc.constantFrom('title', 'seed', 'topology', 'settings', 'events', 'workload', 'durationMs', '__proto__', 'constructor'), fc.anything());
    fc.assert(fc.property(keyed, (fields) => expectWellFormed(parseScenario({ ...fields, version: 1 }))), propertyOptions(500));
  });

  it('on a valid scenario with one value anywhere replaced', () => {
    const replacement = fc.oneof(
      fc.jsonValue(),
      fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -0, 2 ** 53, '', '*', '@leader', '@primary', '__proto__', null, undefined),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), replacement, (choices, value) => {
        expectWellFormed(parseScenario(mutateAt(valid, choices, value)));
      }),
      propertyOptions(1000),
    );
  });

  it('on deeply nested junk', () => {
    let nested: unknown = 'orch-1';
    for (let i = 0; i < 5000; i++) nested = [nested];
    expectWellFormed(parseScenario({ version: 1, events: [{ atMs: 0, do: 'partition', groups: nested }] }));
    expectWellFormed(parseScenario({ version: 1, events: nested }));
    expectWellFormed(parseScenarioText(`{"version":1,"events":${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
  });

  it('on a value whose getter throws', () => {
    const hostile = { version: 1, get title(): string { throw new Error('boom'); } };
    expectWellFormed(parseScenario(hostile));
  });
});

describe('parseScenarioText never throws', () => {
  it('on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => expectWellFormed(parseScenarioText(text))), propertyOptions(500));
  });

  it('on arbitrary JSON texts', () => {
    fc.assert(fc.property(fc.json(), (text) => expectWellFormed(parseScenarioText(text))), propertyOptions(500));
  });

  it('on a 10 MB string', () => {
    expectWellFormed(parseScenarioText('x'.repeat(10_000_000)));
    expectWellFormed(parseScenario({ version: 1, title: 'x'.repeat(10_000_000) }));
  });
});
