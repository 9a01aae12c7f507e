/**
 * Which checkpoints a run keeps, so that memory stays bounded however long it runs: one every
 * `CHECKPOINT_EVERY_MS` of simulated time at first; once more than `MAX_CHECKPOINTS` are kept, the
 * spacing doubles and every other one is forgotten (those not on the new spacing), and so on. A
 * run of up to about 16 minutes keeps one every 10 s, up to 33 minutes one every 20 s, up to 66
 * minutes one every 40 s; there are never more than MAX_CHECKPOINTS.
 * The checkpoint at time 0 is always kept.
 */

/** The spacing, in simulated ms, of the checkpoints of a run up to MAX_CHECKPOINTS of them long. */
export const CHECKPOINT_EVERY_MS = 10_000;
/** At most this many checkpoints are kept. */
export const MAX_CHECKPOINTS = 100;

export class CheckpointStore<T extends { readonly atMs: number }> {
  /** Oldest first. */
  private kept: T[] = [];
  private spacingMs: number;

  constructor(
    readonly firstSpacingMs = CHECKPOINT_EVERY_MS,
    readonly max = MAX_CHECKPOINTS,
  ) {
    if (!(firstSpacingMs > 0 && max >= 2)) throw new RangeError('CheckpointStore needs a spacing > 0 and room for 2');
    this.spacingMs = firstSpacingMs;
  }

  /** The spacing now (it doubles each time the store thins out). */
  get everyMs(): number {
    return this.spacingMs;
  }

  get size(): number {
    return this.kept.length;
  }

  /** The times of the checkpoints kept, oldest first. */
  times(): number[] {
    return this.kept.map((k) => k.atMs);
  }

  /** When the next checkpoint is due for a run standing at `nowMs`: the first time on the spacing, from `nowMs` on, that has none. */
  nextDueMs(nowMs: number): number {
    let at = Math.ceil(nowMs / this.spacingMs) * this.spacingMs;
    while (this.at(at) !== undefined) at += this.spacingMs;
    return at;
  }

  /** Keeps `item` (taken at a time on the spacing that has none yet), thinning out if there are too many. */
  add(item: T): void {
    const i = this.kept.findIndex((k) => k.atMs > item.atMs);
    if (this.at(item.atMs) !== undefined) return;
    if (i < 0) this.kept.push(item);
    else this.kept.splice(i, 0, item);
    while (this.kept.length > this.max) {
      this.spacingMs *= 2;
      this.kept = this.kept.filter((k) => k.atMs % this.spacingMs === 0);
    }
  }

  /** The latest checkpoint at or before `ms` that `usable` accepts. */
  latestAtOrBefore(ms: number, usable: (item: T) => boolean = () => true): T | undefined {
    for (let i = this.kept.length - 1; i >= 0; i--) {
      const k = this.kept[i]!;
      if (k.atMs <= ms && usable(k)) return k;
    }
    return undefined;
  }

  /** Forgets the checkpoints `stale` says no longer belong to the run. */
  forget(stale: (item: T) => boolean): void {
    this.kept = this.kept.filter((k) => !stale(k));
  }

  private at(ms: number): T | undefined {
    return this.kept.find((k) => k.atMs === ms);
  }
}
