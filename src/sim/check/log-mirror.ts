/**
 * What the checker believes one node's log holds, rebuilt from its `log` trace events alone.
 * Entries are kept in three parallel arrays (term, command, chained hash) so that a change
 * touches only the indexes it names; nothing is copied per event.
 */
import type { LogEntryView } from '../machines/protocol';
import { EMPTY_LOG_HASH, chainHash } from './hash';

export class LogMirror {
  private readonly terms: number[] = [];
  private readonly cmds: string[] = [];
  private readonly hashes: number[] = [];

  get length(): number {
    return this.terms.length;
  }

  /** 1-based; undefined past the end. */
  termAt(index: number): number | undefined {
    return this.terms[index - 1];
  }

  cmdAt(index: number): string | undefined {
    return this.cmds[index - 1];
  }

  /** The hash of the first `index` entries; EMPTY_LOG_HASH for index 0. */
  hashAt(index: number): number | undefined {
    return index === 0 ? EMPTY_LOG_HASH : this.hashes[index - 1];
  }

  /**
   * The hashes `entries` would have if they replaced the log from `index` on. A start beyond
   * the end cannot come from a machine that follows protocol.ts; the missing entries then
   * count as empty, so the indexes stay aligned.
   */
  hashesFrom(index: number, entries: readonly LogEntryView[]): number[] {
    let previous = this.hashAt(Math.min(index - 1, this.length)) ?? EMPTY_LOG_HASH;
    return entries.map((entry) => (previous = chainHash(previous, entry.term, entry.cmd)));
  }

  /** Truncate to `index − 1` entries, then append; `hashes` come from `hashesFrom`. */
  replaceFrom(index: number, entries: readonly LogEntryView[], hashes: readonly number[]): void {
    const keep = Math.min(index - 1, this.length);
    // Only a real rewrite truncates: setting `length` even to its own value trims the arrays'
    // spare room, and the next push would then copy the whole mirror to grow it again.
    if (keep < this.length) this.truncate(keep);
    for (let i = keep + 1; i < index; i++) this.push(0, '', EMPTY_LOG_HASH);
    entries.forEach((entry, i) => this.push(entry.term, entry.cmd, hashes[i] ?? EMPTY_LOG_HASH));
  }

  push(term: number, cmd: string, hash: number): void {
    this.terms.push(term);
    this.cmds.push(cmd);
    this.hashes.push(hash);
  }

  truncate(length: number): void {
    this.terms.length = length;
    this.cmds.length = length;
    this.hashes.length = length;
  }
}
