/**
 * What the checker believes one node's log holds, rebuilt from its `log` trace events alone.
 * Entries are kept in three parallel arrays (term, command, chained hash) so that a change
 * touches only the indexes it names; nothing is copied per event.
 */
import type { LogEntryView } from '../machines/protocol';
import { EMPTY_LOG_HASH, chainHash } from './hash';

export class LogMirror {
  /** The index of the compacted prefix's last entry (0: nothing compacted); entries up to it are not kept. */
  private base = 0;
  /** The term and chained hash at `base`: a snapshot keeps only these of its entries. */
  private baseTerm = 0;
  private baseHash = EMPTY_LOG_HASH;
  /** Entry `base + 1 + k` at `k`. */
  private terms: number[] = [];
  private cmds: string[] = [];
  private hashes: number[] = [];

  /** The index of the last entry (the compacted ones counted). */
  get length(): number {
    return this.base + this.terms.length;
  }

  /** The last compacted index (0: none). */
  get compactedTo(): number {
    return this.base;
  }

  /** 1-based; undefined past the end and below the compacted point. */
  termAt(index: number): number | undefined {
    if (index === this.base && index > 0) return this.baseTerm;
    return index > this.base ? this.terms[index - this.base - 1] : undefined;
  }

  cmdAt(index: number): string | undefined {
    return index > this.base ? this.cmds[index - this.base - 1] : undefined;
  }

  /** The hash of the first `index` entries; EMPTY_LOG_HASH for index 0; undefined below the compacted point. */
  hashAt(index: number): number | undefined {
    if (index === 0) return EMPTY_LOG_HASH;
    if (index === this.base) return this.baseHash;
    return index > this.base ? this.hashes[index - this.base - 1] : undefined;
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

  /** Truncate to `index − 1` entries, then append; `hashes` come from `hashesFrom`. Entries at or below the compacted point are left as they are. */
  replaceFrom(index: number, entries: readonly LogEntryView[], hashes: readonly number[]): void {
    const skip = Math.max(0, this.base + 1 - index);
    const from = index + skip;
    const keep = Math.min(from - 1, this.length);
    // Only a real rewrite truncates: setting `length` even to its own value trims the arrays'
    // spare room, and the next push would then copy the whole mirror to grow it again.
    if (keep < this.length) this.truncate(keep);
    for (let i = keep + 1; i < from; i++) this.push(0, '', EMPTY_LOG_HASH);
    for (let k = skip; k < entries.length; k++) this.push(entries[k]!.term, entries[k]!.cmd, hashes[k] ?? EMPTY_LOG_HASH);
  }

  push(term: number, cmd: string, hash: number): void {
    this.terms.push(term);
    this.cmds.push(cmd);
    this.hashes.push(hash);
  }

  /** Keeps the first `length` entries; below the compacted point, nothing is left (a wiped disk). */
  truncate(length: number): void {
    if (length < this.base) {
      this.base = 0;
      this.baseTerm = 0;
      this.baseHash = EMPTY_LOG_HASH;
      length = 0;
    }
    const kept = length - this.base;
    this.terms.length = kept;
    this.cmds.length = kept;
    this.hashes.length = kept;
  }

  /**
   * The entries up to `index` become a snapshot whose last entry has `term` and chained `hash`;
   * of those after it, the first `keepAfter` stay (those the node kept), the others go.
   */
  compact(index: number, term: number, hash: number, keepAfter: number): void {
    const from = Math.max(0, index - this.base);
    const end = Math.min(this.terms.length, from + keepAfter);
    const start = Math.min(from, end);
    this.terms = this.terms.slice(start, end);
    this.cmds = this.cmds.slice(start, end);
    this.hashes = this.hashes.slice(start, end);
    this.base = index;
    this.baseTerm = term;
    this.baseHash = hash;
  }
}
