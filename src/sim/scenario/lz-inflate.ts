/**
 * lz-string's `decompressFromEncodedURIComponent`, step for step, with one difference: it stops
 * as soon as the text it builds grows past a limit. lz-string can expand a short input enormously
 * (a link of 20 000 characters into 50 MB of text), and its own decompressor only says so at the
 * end, after building it all; a link is untrusted input, so this one never builds more than it
 * may keep. For every input within the limit it returns exactly what lz-string returns (tested
 * against it); the one shape of damaged input on which lz-string builds on the value undefined
 * (a first code of 3, which its compressor never writes) counts as damaged here.
 */

/** The alphabet of `compressToEncodedURIComponent`. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const VALUE_OF = new Map([...ALPHABET].map((char, i) => [char, i]));
/** Each character carries 6 bits, read from the highest (32) down. */
const RESET = 32;

export type Inflated =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: 'damaged' | 'too-long' };

const DAMAGED: Inflated = { ok: false, reason: 'damaged' };
const TOO_LONG: Inflated = { ok: false, reason: 'too-long' };

export function inflateFromEncodedURIComponent(encoded: string, maxChars: number): Inflated {
  if (encoded === '') return DAMAGED;
  const input = encoded.replace(/ /g, '+');
  // A character outside the alphabet reads as 0 bits, as in lz-string.
  const valueAt = (index: number): number => VALUE_OF.get(input.charAt(index)) ?? 0;
  let value = valueAt(0);
  let position = RESET;
  let index = 1;
  const readBits = (count: number): number => {
    let bits = 0;
    for (let power = 1; power !== 1 << count; power <<= 1) {
      const bit = value & position;
      position >>= 1;
      if (position === 0) {
        position = RESET;
        value = valueAt(index++);
      }
      if (bit > 0) bits |= power;
    }
    return bits;
  };

  const dictionary: string[] = ['', '', '']; // codes 0, 1, 2 are commands, never looked up
  let enlargeIn = 4;
  let numBits = 3;
  let first: string;
  switch (readBits(2)) {
    case 0: first = String.fromCharCode(readBits(8)); break;
    case 1: first = String.fromCharCode(readBits(16)); break;
    case 2: return { ok: true, text: '' };
    default: return DAMAGED;
  }
  dictionary.push(first);
  let w = first;
  const result = [first];
  let length = first.length;
  for (;;) {
    if (index > input.length) return DAMAGED; // lz-string returns "" here: cut short
    let code = readBits(numBits);
    if (code === 0 || code === 1) {
      dictionary.push(String.fromCharCode(readBits(code === 0 ? 8 : 16)));
      code = dictionary.length - 1;
      enlargeIn--;
    } else if (code === 2) {
      return { ok: true, text: result.join('') };
    }
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
    let entry: string;
    if (code < dictionary.length) entry = dictionary[code]!;
    else if (code === dictionary.length) entry = w + w.charAt(0);
    else return DAMAGED;
    length += entry.length;
    if (length > maxChars) return TOO_LONG;
    result.push(entry);
    dictionary.push(w + entry.charAt(0));
    enlargeIn--;
    w = entry;
    if (enlargeIn === 0) {
      enlargeIn = 2 ** numBits;
      numBits++;
    }
  }
}
