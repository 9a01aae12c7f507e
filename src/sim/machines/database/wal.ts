/**
 * Pure helpers for the write-ahead log: LSN formatting, records, retention, and the timeline
 * arithmetic that pg_rewind does (where two histories part ways). It imports nothing, so every part
 * of the core may use its types.
 */

/** One client write in the WAL. `lsn` is the byte position where the record ends. */
export interface WalRecord {
  readonly lsn: number;
  readonly write: string;
  /** The epoch (timeline) of the primary that wrote it. */
  readonly epoch: number;
}

/** Epoch `epoch` began at byte `startLsn`: records ending after it (up to the next entry) belong to it. */
export interface TimelineEntry {
  readonly epoch: number;
  readonly startLsn: number;
  /**
   * The node an operator promoted by hand to open this epoch, where something else keeps the count
   * of epochs (the orchestrators' log, the witness): that keeper may never hear of it and give the
   * same number to another node later (as PostgreSQL's timeline IDs collide without a shared WAL
   * archive). Two timelines of one epoch are then told apart by it. Absent otherwise.
   */
  readonly openedBy?: string;
}

/** Whether two timeline entries name the same epoch opened by the same hand (`openedBy`). */
export function sameOpening(a: TimelineEntry | null, b: TimelineEntry | null): boolean {
  return a === null || b === null ? a === b : a.epoch === b.epoch && a.openedBy === b.openedBy;
}

/** Every client write is one WAL record of this many bytes, so LSN = 100 × writes on a timeline. */
export const WAL_RECORD_BYTES = 100;

const LSN_HIGH_UNIT = 2 ** 32;

/** An LSN as PostgreSQL prints it: high and low 32 bits in upper-case hex, e.g. 8000 → "0/1F40". */
export function formatLsn(lsn: number): string {
  const high = Math.floor(lsn / LSN_HIGH_UNIT);
  const low = lsn - high * LSN_HIGH_UNIT;
  return `${high.toString(16).toUpperCase()}/${low.toString(16).toUpperCase()}`;
}

/** The epoch a record ending at `lsn` belongs to under `history` (0 if none). */
export function epochAt(history: readonly TimelineEntry[], lsn: number): number {
  return entryAt(history, lsn)?.epoch ?? 0;
}

/** The entry whose epoch a record ending at `lsn` belongs to under `history` (null if none): `epochAt` with who opened it. */
export function entryAt(history: readonly TimelineEntry[], lsn: number): TimelineEntry | null {
  let found: TimelineEntry | null = null;
  for (const entry of history) {
    if (entry.startLsn < lsn) found = entry;
    else break;
  }
  return found;
}

/**
 * The last LSN up to which a WAL written under `ours` is also on the timeline `theirs`: up to it,
 * every byte belongs to the same epoch in both. `Infinity` when `ours` is a prefix of `theirs`.
 */
export function divergenceLsn(ours: readonly TimelineEntry[], theirs: readonly TimelineEntry[]): number {
  if (ours.length === 0) return Infinity;
  const bounds = [...new Set([0, ...ours.map((e) => e.startLsn), ...theirs.map((e) => e.startLsn)])].sort((a, b) => a - b);
  for (const bound of bounds) {
    // The segment just after `bound`: both timelines must name the same epoch, opened by the same hand, for it.
    if (!sameOpening(entryAt(ours, bound + 1), entryAt(theirs, bound + 1))) return bound;
  }
  return Infinity;
}

/** Where a node's WAL ends, as a health reply or a node's own state tells it. */
export interface WalEnd {
  readonly epoch: number;
  readonly flushLsn: number;
  readonly history?: readonly TimelineEntry[] | undefined;
}

/** The epoch of the timeline a node's last WAL record is on (0 for an empty data directory; its epoch when the history is not told). */
export function timelineOf(end: WalEnd): number {
  const history = end.history;
  if (history === undefined) return end.epoch;
  return history.length === 0 ? 0 : history[history.length - 1]!.epoch;
}

/**
 * Whether `a`'s WAL goes further than `b`'s: a newer timeline first, then a higher LSN (as Patroni
 * compares members: timeline before position). WAL of an older timeline beyond where a newer one
 * forked off was never acknowledged (or, with asynchronous replication, was given up when the
 * newer epoch began): a node holding more of it holds nothing the newer timeline lacks.
 */
export function walAhead(a: WalEnd, b: WalEnd): boolean {
  const ta = timelineOf(a);
  const tb = timelineOf(b);
  return ta !== tb ? ta > tb : a.flushLsn > b.flushLsn;
}

/** Index of the first record in `wal` whose lsn is above `lsn` (wal is sorted by lsn). */
export function firstAfter(wal: readonly WalRecord[], lsn: number): number {
  let low = 0;
  let high = wal.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (wal[mid]!.lsn <= lsn) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Up to `maxRecords` records after `lsn`, not beyond `untilLsn`. */
export function recordsAfter(wal: readonly WalRecord[], lsn: number, untilLsn: number, maxRecords: number): WalRecord[] {
  const start = firstAfter(wal, lsn);
  const end = Math.min(firstAfter(wal, untilLsn), start + maxRecords);
  return wal.slice(start, Math.max(start, end));
}

/** Drops, in place, records ending after `lsn`; returns what was dropped. */
export function truncateAfter(wal: WalRecord[], lsn: number): WalRecord[] {
  return wal.splice(firstAfter(wal, lsn));
}

/**
 * WAL is recycled a segment at a time, as PostgreSQL does with its 16 MB files: the retained WAL
 * is between `walKeepBytes` and one segment more, and a trim moves many records at once.
 */
export const WAL_SEGMENT_BYTES = 64 * WAL_RECORD_BYTES;

/**
 * Recycles, in place, whole segments older than the newest `keepBytes` (PostgreSQL's
 * `wal_keep_size`); returns the new start: the LSN before the oldest record kept.
 */
export function recycle(wal: WalRecord[], walStartLsn: number, headLsn: number, keepBytes: number): number {
  if (headLsn - keepBytes - walStartLsn < WAL_SEGMENT_BYTES) return walStartLsn;
  const drop = firstAfter(wal, headLsn - keepBytes);
  if (drop === 0) return walStartLsn;
  const newStart = wal[drop - 1]!.lsn;
  wal.splice(0, drop);
  return newStart;
}

/**
 * The timeline of a node that becomes primary of `epoch` with its WAL flushed to `flushLsn`: its
 * history up to there, then `epoch` from there on. A switch point at or beyond `flushLsn` is left
 * out: a standby learns of its primary's new epoch before it receives that epoch's first record,
 * and promoted before it does, it never had that epoch's WAL (kept, the entry made its timeline
 * run backwards, and every record between the two starts read as the older epoch's: db-2 promoted
 * at 189600 in epoch 3, with epoch 2 starting at 195100, had its own writes counted lost).
 */
export function promotedTimeline(history: readonly TimelineEntry[], epoch: number, flushLsn: number, openedBy?: string): TimelineEntry[] {
  const opened: TimelineEntry = openedBy === undefined ? { epoch, startLsn: flushLsn } : { epoch, startLsn: flushLsn, openedBy };
  return [...history.filter((entry) => entry.epoch < epoch && entry.startLsn < flushLsn), opened];
}

/** Whether `history` is the same list as `other` (they only ever grow at the end or get replaced). */
export function sameHistory(history: readonly TimelineEntry[], other: readonly TimelineEntry[]): boolean {
  if (history.length !== other.length) return false;
  const last = history[history.length - 1];
  const otherLast = other[other.length - 1];
  return last === undefined || (last.epoch === otherLast!.epoch && last.startLsn === otherLast!.startLsn && last.openedBy === otherLast!.openedBy);
}

/**
 * Whether a node whose WAL follows `history` and is flushed to `flushLsn` holds the write
 * recorded at `lsn` in `epoch`: the kernel can count lost writes with it, without the records.
 */
export function holdsWrite(history: readonly TimelineEntry[], flushLsn: number, epoch: number, lsn: number): boolean {
  return lsn <= flushLsn && epochAt(history, lsn) === epoch;
}
