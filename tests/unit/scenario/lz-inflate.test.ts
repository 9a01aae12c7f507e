// Proves the bounded link decompressor gives exactly what lz-string gives, for real links and for damaged ones, and stops at its limit instead of building a huge text.
import fc from 'fast-check';
import LZString from 'lz-string';
import { describe, expect, it } from 'vitest';
import { inflateFromEncodedURIComponent } from '../../../src/sim/scenario/lz-inflate';
import { propertyOptions } from '../../support/property';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/** What lz-string says, in the bounded decompressor's terms (it may also throw or return null or ""). */
function lzString(encoded: string): { ok: true; text: string } | { ok: false } {
  try {
    const text = LZString.decompressFromEncodedURIComponent(encoded);
    return text === null || text === '' ? { ok: false } : { ok: true, text };
  } catch {
    return { ok: false };
  }
}

describe('inflateFromEncodedURIComponent', () => {
  it('reads back every text lz-string compressed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (text) => {
        const inflated = inflateFromEncodedURIComponent(LZString.compressToEncodedURIComponent(text), 10_000);
        expect(inflated).toEqual({ ok: true, text });
      }),
      propertyOptions(300),
    );
  });

  it('agrees with lz-string on damaged input: cut short, altered, or random characters', () => {
    const damaged = fc.oneof(
      fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 400 }),
      fc.tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom(...ALPHABET)).map(([json, at, char]) => {
        const link = LZString.compressToEncodedURIComponent(json);
        const i = at % link.length;
        return at % 2 === 0 ? link.slice(0, i + 1) : `${link.slice(0, i)}${char}${link.slice(i + 1)}`;
      }),
    );
    fc.assert(
      fc.property(damaged, (encoded) => {
        // A first code of 3 (its first character's two highest bits set), which lz-string's compressor
        // never writes, makes lz-string build on the value undefined; the bounded one calls it damaged.
        if ((ALPHABET.indexOf(encoded.charAt(0)) & 0b110000) === 0b110000) {
          expect(inflateFromEncodedURIComponent(encoded, 1_000_000)).toEqual({ ok: false, reason: 'damaged' });
          return;
        }
        const expected = lzString(encoded);
        const inflated = inflateFromEncodedURIComponent(encoded, 1_000_000);
        if (expected.ok) expect(inflated).toEqual({ ok: true, text: expected.text });
        else expect(inflated.ok && inflated.text !== '').toBe(false);
      }),
      propertyOptions(1000),
    );
  });

  it('stops at the limit: a short link that unpacks to far more is refused as too long', () => {
    const bomb = LZString.compressToEncodedURIComponent('a'.repeat(200_000));
    expect(bomb.length).toBeLessThan(1_000);
    expect(inflateFromEncodedURIComponent(bomb, 199_999)).toEqual({ ok: false, reason: 'too-long' });
    expect(inflateFromEncodedURIComponent(bomb, 200_000)).toEqual({ ok: true, text: 'a'.repeat(200_000) });
  });
});
