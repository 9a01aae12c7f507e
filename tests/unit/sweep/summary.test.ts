// Proves a sweep's summary: nearest-rank percentiles, figures read off the report, safe settings
// told apart, and summaries of disjoint seeds merging into exactly the summary of one sweep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preset } from '../../support/scenario';
import {
  brokenUnderSafeSettings,
  mergeSummaries,
  summarize,
  SWEEP_FIGURES,
  SweepError,
  unsafeSettings,
  type SweepRun,
} from '../../../src/sim/sweep/summary';

const run = (seed: number, value: number | null, broken: string[] = []): SweepRun => ({
  seed,
  figures: Object.fromEntries(SWEEP_FIGURES.map((f) => [f, value])) as SweepRun['figures'],
  broken,
  ...(broken.length > 0 ? { link: `#s=${seed}` } : {}),
});

describe('a sweep summary', () => {
  it('gives nearest-rank min, median, p90, p99 and max over the runs that have the figure', () => {
    const runs = Array.from({ length: 100 }, (_, i) => run(i + 1, 100 - i)); // values 1…100 in reverse seed order
    const s = summarize('t', 'h', [], runs).figures.rtoMs;
    expect(s).toEqual({ runs: 100, min: 1, median: 50, p90: 90, p99: 99, max: 100 });
    const withGaps = summarize('t', 'h', [], [run(1, null), run(2, 7), run(3, null)]).figures.firstLeaderMs;
    expect(withGaps).toEqual({ runs: 1, min: 7, median: 7, p90: 7, p99: 7, max: 7 });
    expect(summarize('t', 'h', [], [run(1, null)]).figures.rpoMs).toEqual({ runs: 0, min: null, median: null, p90: null, p99: null, max: null });
  });

  it('lists seeds as ranges and the invariants each broken seed broke, with its link', () => {
    const s = summarize('t', 'h', [], [run(5, 1), run(3, 1, ['single-writer']), run(4, 1), run(9, 1, ['single-writer', 'epochs'])]);
    expect(s.seeds).toEqual([[3, 5], [9, 9]]);
    expect(s.invariants).toEqual({
      'single-writer': { runs: 2, seeds: [{ seed: 3, link: '#s=3' }, { seed: 9, link: '#s=9' }] },
      epochs: { runs: 1, seeds: [{ seed: 9, link: '#s=9' }] },
    });
    expect(brokenUnderSafeSettings(s)).toEqual(['single-writer', 'epochs']);
    expect(brokenUnderSafeSettings({ ...s, unsafe: ['fencing off'] })).toEqual([]);
    expect(() => summarize('t', 'h', [], [run(1, 1), run(1, 2)])).toThrow(SweepError);
  });

  it('merges summaries of disjoint seeds into the summary of one sweep over all of them', () => {
    const runsArb = fc.uniqueArray(
      fc.record({ seed: fc.nat(10_000), value: fc.option(fc.nat(1_000_000)), broken: fc.subarray(['single-writer', 'epochs']) }),
      { selector: (r) => r.seed, maxLength: 60 },
    );
    fc.assert(
      fc.property(runsArb, fc.array(fc.nat(3), { maxLength: 60 }), (specs, parts) => {
        const runs = specs.map((r) => run(r.seed, r.value, r.broken));
        const whole = summarize('t', 'h', [], runs);
        const groups = [[], [], [], []] as SweepRun[][];
        runs.forEach((r, i) => groups[parts[i] ?? 0]!.push(r));
        const merged = mergeSummaries(groups.map((g) => summarize('t', 'h', [], g)));
        expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('refuses to merge summaries of different scenarios or what is not a summary', () => {
    const a = summarize('a', 'aaaa', [], [run(1, 1)]);
    const b = summarize('b', 'bbbb', [], [run(2, 1)]);
    expect(() => mergeSummaries([a, b])).toThrow(/different scenarios/);
    expect(() => mergeSummaries([a, { ...a, perSeed: undefined } as never])).toThrow(/not a sweep summary/);
    expect(() => mergeSummaries([])).toThrow(/nothing to merge/);
  });

  it('names what makes a scenario unsafe, and nothing for the safe defaults', () => {
    expect(unsafeSettings(preset('failover-primary-crash'))).toEqual([]);
    expect(unsafeSettings(preset('failover-split-brain'))).toEqual(['fencing off', 'quorum off', 'no synchronous standby']);
    expect(unsafeSettings(preset('bully-partition'))).toContain('Bully election');
  });
});
