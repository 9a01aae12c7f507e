// Proves the sweep's histogram bins: one per whole value when few, equal widths otherwise, every run in exactly one bin, seeds kept in order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bins } from '../../../src/app/sweep/bins';

describe('sweep histogram bins', () => {
  it('gives one bin per whole value when the values span few', () => {
    const b = bins([{ seed: 3, value: 2 }, { seed: 1, value: 0 }, { seed: 2, value: 2 }]);
    expect(b.map((x) => [x.lo, x.seeds])).toEqual([[0, [1]], [1, []], [2, [2, 3]]]);
    expect(bins([{ seed: 1, value: 7.5 }, { seed: 2, value: 7.5 }])).toEqual([{ lo: 7.5, hi: 8.5, seeds: [1, 2] }]);
    expect(bins([])).toEqual([]);
  });

  it('puts every run in exactly one bin, the largest value in the last', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.record({ seed: fc.nat(1000), value: fc.oneof(fc.nat(100_000), fc.double({ min: 0, max: 1e6, noNaN: true })) }), { selector: (v) => v.seed, minLength: 1, maxLength: 80 }), (values) => {
        const b = bins(values);
        expect(b.length).toBeLessThanOrEqual(12);
        expect(b.flatMap((x) => x.seeds).sort((p, q) => p - q)).toEqual(values.map((v) => v.seed).sort((p, q) => p - q));
        const max = Math.max(...values.map((v) => v.value));
        const top = values.filter((v) => v.value === max).map((v) => v.seed);
        for (const seed of top) expect(b.at(-1)!.seeds).toContain(seed);
        for (const x of b) for (const seed of x.seeds) {
          const v = values.find((y) => y.seed === seed)!.value;
          expect(v).toBeGreaterThanOrEqual(x.lo - 1e-9);
          expect(v).toBeLessThanOrEqual(x.hi + 1e-9);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
