// Proves the chained log hash is deterministic, fits in 53 bits, and changes with the previous hash, the term and the command.
import { describe, expect, it } from 'vitest';
import { EMPTY_LOG_HASH, chainHash } from '../../../src/sim/check/hash';

describe('chainHash', () => {
  it('gives the same hash for the same inputs', () => {
    expect(chainHash(EMPTY_LOG_HASH, 3, 'set x=1')).toBe(chainHash(EMPTY_LOG_HASH, 3, 'set x=1'));
  });

  it('depends on every input', () => {
    const base = chainHash(EMPTY_LOG_HASH, 3, 'set x=1');
    expect(chainHash(1, 3, 'set x=1')).not.toBe(base);
    expect(chainHash(EMPTY_LOG_HASH, 4, 'set x=1')).not.toBe(base);
    expect(chainHash(EMPTY_LOG_HASH, 3, 'set x=2')).not.toBe(base);
    expect(chainHash(2 ** 40, 3, 'set x=1')).not.toBe(chainHash(2 ** 41, 3, 'set x=1'));
  });

  it('is a safe integer and spreads 10,000 distinct entries over distinct hashes', () => {
    const seen = new Set<number>();
    let previous = EMPTY_LOG_HASH;
    for (let i = 0; i < 10_000; i++) {
      previous = chainHash(previous, 1 + (i % 7), `cmd-${i % 100}`);
      expect(Number.isSafeInteger(previous) && previous >= 0).toBe(true);
      seen.add(previous);
    }
    expect(seen.size).toBe(10_000);
  });
});
