/**
 * The chained hash of a log: h[n] = chainHash(h[n−1], term, cmd), with h[0] = EMPTY_LOG_HASH.
 * Two logs with equal hashes at index n hold (barring a 1-in-2^53 collision) the same first n
 * entries, so one number comparison stands for a whole prefix comparison.
 *
 * A two-lane multiply-xor hash, 53 bits so that it fits a JavaScript number exactly. Not for
 * security: it only has to be fast, deterministic and spread well.
 */

export const EMPTY_LOG_HASH = 0;

const TWO_POW_32 = 4294967296;
const HIGH_BITS_MASK = 0x1fffff; // 21 bits above the low 32: 53 in all

export function chainHash(previous: number, term: number, cmd: string): number {
  let lane1 = 0x6a09e667 ^ (previous >>> 0);
  let lane2 = 0xbb67ae85 ^ Math.floor(previous / TWO_POW_32);
  [lane1, lane2] = mix(lane1, lane2, term >>> 0);
  [lane1, lane2] = mix(lane1, lane2, cmd.length);
  for (let i = 0; i < cmd.length; i++) [lane1, lane2] = mix(lane1, lane2, cmd.charCodeAt(i));
  return finish(lane1, lane2);
}

function mix(lane1: number, lane2: number, value: number): [number, number] {
  return [Math.imul(lane1 ^ value, 0x9e3779b1), Math.imul(lane2 ^ value, 0x5f356495)];
}

/** Avalanche both lanes into each other so that every input bit reaches every output bit. */
function finish(lane1: number, lane2: number): number {
  let a = Math.imul(lane1 ^ (lane1 >>> 16), 0x85ebca6b);
  a ^= Math.imul(lane2 ^ (lane2 >>> 13), 0xc2b2ae35);
  let b = Math.imul(lane2 ^ (lane2 >>> 16), 0x85ebca6b);
  b ^= Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
  return (b & HIGH_BITS_MASK) * TWO_POW_32 + (a >>> 0);
}
