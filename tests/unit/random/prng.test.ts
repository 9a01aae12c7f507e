// Proves the PRNG is a pure function of its seed, that forks are independent and stable, and that its ranges hold.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sim/random/prng';

const draw = (rng: Prng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Prng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    expect(draw(new Prng(42), 50)).toEqual(draw(new Prng(42), 50));
    expect(draw(new Prng(42), 50)).not.toEqual(draw(new Prng(43), 50));
  });

  it('forks by name without drawing from the parent', () => {
    const parent = new Prng(9);
    const before = draw(new Prng(9), 5);
    const a1 = draw(parent.fork('network'), 5);
    expect(draw(parent, 5)).toEqual(before);
    expect(draw(new Prng(9).fork('network'), 5)).toEqual(a1);
    expect(draw(new Prng(9).fork('node:orch-1'), 5)).not.toEqual(a1);
  });

  it('keeps int() within its inclusive bounds and reaches both ends', () => {
    const rng = new Prng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(3, 7);
      expect(v).toBeGreaterThanOrEqual(3);
      expect(v).toBeLessThanOrEqual(7);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
    expect(() => rng.int(5, 4)).toThrow(RangeError);
  });

  it('chance(0) never fires and chance(1) always does', () => {
    const rng = new Prng(5);
    for (let i = 0; i < 100; i++) {
      expect(rng.chance(0)).toBe(false);
      expect(rng.chance(1)).toBe(true);
    }
  });
});
