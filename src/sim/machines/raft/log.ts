/**
 * Reading a node's log by its 1-based indexes once a prefix of it may be a snapshot (dissertation
 * chapter 5). `disk.log` holds the entries after the snapshot only: entry `i` is
 * `log[i - snapshotIndex - 1]`; the snapshot's own index answers with the snapshot's term, and an
 * index below it is compacted away (committed, so every node that holds it holds the same entry).
 */
import type { LogEntry, RaftDisk } from './types';

/** The last index the snapshot covers; 0 without one. */
export function snapshotIndex(disk: RaftDisk): number {
  return disk.snapshot?.index ?? 0;
}

/** The index of the log's last entry (the snapshot's when the log after it is empty). */
export function lastIndex(disk: RaftDisk): number {
  return snapshotIndex(disk) + disk.log.length;
}

/** The term of entry `index`: the snapshot's at its own index, 0 before the log (index 0, compacted) or past its end. */
export function termAt(disk: RaftDisk, index: number): number {
  const base = snapshotIndex(disk);
  if (index === base) return disk.snapshot?.term ?? 0;
  const k = index - base;
  return k >= 1 && k <= disk.log.length ? disk.log[k - 1]!.term : 0;
}

/** Entry `index`, which must be after the snapshot and at most `lastIndex`. */
export function entryAt(disk: RaftDisk, index: number): LogEntry {
  return disk.log[index - snapshotIndex(disk) - 1]!;
}

/** Entries `from` (after the snapshot) up to but not including `to`, as a new array. */
export function entriesBetween(disk: RaftDisk, from: number, to: number): LogEntry[] {
  const base = snapshotIndex(disk);
  return disk.log.slice(from - base - 1, to - base - 1);
}

/** Truncates the log after `index - 1` and appends `entries`, in place (`index` after the snapshot). */
export function replaceLogFrom(disk: RaftDisk, index: number, entries: readonly LogEntry[]): void {
  const log = disk.log;
  const k = index - snapshotIndex(disk);
  // Only a real conflict truncates; the common case, a plain append, leaves `length` alone.
  if (k <= log.length) log.length = k - 1;
  for (const entry of entries) log.push(entry);
}
