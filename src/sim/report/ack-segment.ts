/**
 * Acknowledged writes kept small, for the write ledger (write-ledger.ts): a run at 20 writes a
 * second acknowledges 1.7 million writes a day, and any of them may still be lost by a later
 * promotion (a restore from an old backup, a former timeline brought back), so none can be
 * forgotten; but all the ledger asks of them is by position: how many of one epoch's writes lie
 * in an LSN range, how many of those were degraded, and when the first and last of them were
 * acknowledged.
 *
 * A segment holds acknowledgements of one epoch in arrival order while neither their LSN nor
 * their time goes down (so a range of LSNs is a range of positions, and the newest write of a
 * range is its last). Each is two unsigned varints, the LSN's and the time's step from the one
 * before (usually one byte each: a step of 100 bytes, some tens of ms), with the absolute values
 * every `BLOCK` writes for random access: about 3.5 bytes a write in all (measured over a day at
 * 20 writes a second) instead of an object of about 120. Which writes were degraded, and which are lost (with the epoch each is blamed on), are
 * ranges of positions: they change only at rare moments.
 */

/** A half-open range of positions in a segment, [from, to). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** Lost positions, with the epoch whose promotion they are counted against. */
export interface LostSpan extends Span {
  readonly blamed: number;
}

/** What relabelling a segment changed: writes no longer lost (by the epoch they were blamed on), and writes newly lost. */
export interface Relabel {
  readonly found: { readonly count: number; readonly degraded: number; readonly blamed: number }[];
  readonly lost: { readonly count: number; readonly degraded: number; readonly oldestAtMs: number; readonly newestAtMs: number } | null;
}

/** Positions between stored absolute values. */
const BLOCK = 32;
/** A step above this starts a new segment rather than a long varint (and keeps the arithmetic exact). */
const MAX_STEP = 2 ** 40;

function stepOk(step: number): boolean {
  return Number.isInteger(step) && step >= 0 && step <= MAX_STEP;
}

export class AckSegment {
  count = 1;
  private bytes = new Uint8Array(64);
  private used = 0;
  /** Per block: the absolute LSN and time of its first write, and where its next write's steps start in `bytes`. */
  private readonly blockLsn: number[];
  private readonly blockAtMs: number[];
  private readonly blockOffset: number[] = [0];
  private lastLsn: number;
  private lastAtMs: number;
  /** Degraded positions, in order; the last span grows while degraded writes follow. */
  private readonly degraded: Span[] = [];
  /** Lost positions, in order, disjoint. */
  private lost: LostSpan[] = [];

  constructor(
    readonly epoch: number,
    lsn: number,
    atMs: number,
    degraded: boolean,
    /** Who opened `epoch` by hand, where a keeper of epochs may give its number again (`TimelineEntry.openedBy`). */
    readonly openedBy?: string,
  ) {
    this.blockLsn = [lsn];
    this.blockAtMs = [atMs];
    this.lastLsn = lsn;
    this.lastAtMs = atMs;
    if (degraded) this.degraded.push({ from: 0, to: 1 });
  }

  /** Appends a write; false (nothing changed) when its LSN or time goes down, or its steps are not small whole numbers: it needs a new segment. */
  append(lsn: number, atMs: number, degraded: boolean): boolean {
    const lsnStep = lsn - this.lastLsn;
    const atStep = atMs - this.lastAtMs;
    if (!stepOk(lsnStep) || !stepOk(atStep)) return false;
    const index = this.count;
    if (index % BLOCK === 0) {
      this.blockLsn.push(lsn);
      this.blockAtMs.push(atMs);
      this.blockOffset.push(this.used);
    } else {
      this.writeVarint(lsnStep);
      this.writeVarint(atStep);
    }
    this.count++;
    this.lastLsn = lsn;
    this.lastAtMs = atMs;
    if (degraded) {
      const last = this.degraded[this.degraded.length - 1];
      if (last !== undefined && last.to === index) this.degraded[this.degraded.length - 1] = { from: last.from, to: index + 1 };
      else this.degraded.push({ from: index, to: index + 1 });
    }
    return true;
  }

  /** Marks the newest write lost, blamed on `blamed`. */
  loseNewest(blamed: number): void {
    const index = this.count - 1;
    const last = this.lost[this.lost.length - 1];
    if (last !== undefined && last.to === index && last.blamed === blamed) this.lost[this.lost.length - 1] = { from: last.from, to: index + 1, blamed };
    else this.lost.push({ from: index, to: index + 1, blamed });
  }

  /** The positions whose LSN lies in (lo, hi]. */
  positionsIn(lo: number, hi: number): Span {
    return { from: this.firstAbove(lo), to: this.firstAbove(hi) };
  }

  /**
   * Makes exactly the positions outside `held` (in order, disjoint) the lost ones: a lost span
   * that stays lost keeps its blame, a newly lost write is blamed on `blamed`.
   */
  relabel(held: readonly Span[], blamed: number): Relabel {
    const target = complement(held, this.count);
    const found: Relabel['found'][number][] = [];
    const kept: LostSpan[] = [];
    for (const span of this.lost) {
      for (const back of intersect([span], held)) found.push({ count: back.to - back.from, degraded: this.degradedIn(back), blamed: span.blamed });
      for (const still of intersect([span], target)) kept.push({ ...still, blamed: span.blamed });
    }
    const fresh = subtract(target, this.lost);
    let lost: Relabel['lost'] = null;
    for (const span of fresh) {
      const count = span.to - span.from;
      const oldestAtMs = this.atMsOf(span.from);
      const newestAtMs = this.atMsOf(span.to - 1);
      lost = lost === null
        ? { count, degraded: this.degradedIn(span), oldestAtMs, newestAtMs }
        : { count: lost.count + count, degraded: lost.degraded + this.degradedIn(span), oldestAtMs: Math.min(lost.oldestAtMs, oldestAtMs), newestAtMs: Math.max(lost.newestAtMs, newestAtMs) };
      kept.push({ ...span, blamed });
    }
    this.lost = kept.sort((a, b) => a.from - b.from);
    return { found, lost };
  }

  /** When the newest write not lost was acknowledged; -1 when all are lost. */
  newestHeldAtMs(): number {
    let index = this.count - 1;
    for (let i = this.lost.length - 1; i >= 0 && index >= 0; i--) {
      const span = this.lost[i]!;
      if (span.to <= index) break;
      index = Math.min(index, span.from - 1);
    }
    return index >= 0 ? this.atMsOf(index) : -1;
  }

  private degradedIn(span: Span): number {
    let count = 0;
    for (const d of intersect(this.degraded, [span])) count += d.to - d.from;
    return count;
  }

  /** The first position whose LSN is above `lsn` (`count` when none is). */
  private firstAbove(lsn: number): number {
    if (lsn < this.blockLsn[0]!) return 0;
    if (lsn >= this.lastLsn) return this.count;
    // The last block starting at or below `lsn`; the answer is in it or is the next block's start.
    let low = 0;
    let high = this.blockLsn.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.blockLsn[mid]! <= lsn) low = mid;
      else high = mid - 1;
    }
    let index = low * BLOCK;
    let value = this.blockLsn[low]!;
    let offset = this.blockOffset[low]!;
    const end = Math.min(this.count, index + BLOCK);
    while (value <= lsn && ++index < end) {
      const [step, next] = this.readVarint(offset);
      value += step;
      offset = this.readVarint(next)[1];
    }
    return index;
  }

  private atMsOf(index: number): number {
    const block = Math.floor(index / BLOCK);
    let atMs = this.blockAtMs[block]!;
    let offset = this.blockOffset[block]!;
    for (let i = block * BLOCK + 1; i <= index; i++) {
      offset = this.readVarint(offset)[1];
      const [step, next] = this.readVarint(offset);
      atMs += step;
      offset = next;
    }
    return atMs;
  }

  private writeVarint(value: number): void {
    if (this.used + 8 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    let rest = value;
    while (rest >= 128) {
      this.bytes[this.used++] = (rest % 128) | 128;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.used++] = rest;
  }

  /** The varint at `offset`, and where the next one starts. */
  private readVarint(offset: number): [number, number] {
    let value = 0;
    let scale = 1;
    let at = offset;
    for (;;) {
      const byte = this.bytes[at++]!;
      value += (byte & 127) * scale;
      if (byte < 128) return [value, at];
      scale *= 128;
    }
  }
}

// ---- spans: sorted, disjoint lists of [from, to) ------------------------------------------------

/** The parts of `a` inside `b`. */
export function intersect(a: readonly Span[], b: readonly Span[]): Span[] {
  const out: Span[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j]!.to <= x.from) j++;
    for (let k = j; k < b.length && b[k]!.from < x.to; k++) {
      const from = Math.max(x.from, b[k]!.from);
      const to = Math.min(x.to, b[k]!.to);
      if (from < to) out.push({ from, to });
    }
  }
  return out;
}

/** [0, count) outside `spans`. */
export function complement(spans: readonly Span[], count: number): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const s of spans) {
    if (s.from > at) out.push({ from: at, to: Math.min(s.from, count) });
    at = Math.max(at, s.to);
  }
  if (at < count) out.push({ from: at, to: count });
  return out.filter((s) => s.from < s.to);
}

/** The parts of `a` outside `b`. */
export function subtract(a: readonly Span[], b: readonly Span[]): Span[] {
  const end = Math.max(0, ...a.map((s) => s.to), ...b.map((s) => s.to));
  return intersect(a, complement(b, end));
}

/** Sorted, with overlapping or touching spans joined. */
export function normalize(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...spans].filter((x) => x.from < x.to).sort((x, y) => x.from - y.from)) {
    const last = out[out.length - 1];
    if (last !== undefined && s.from <= last.to) out[out.length - 1] = { from: last.from, to: Math.max(last.to, s.to) };
    else out.push(s);
  }
  return out;
}
