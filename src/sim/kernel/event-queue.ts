/**
 * The one queue of everything that will happen in a run, ordered by time, then by lane, then by
 * insertion. Lane 0 is the system's own work (deliveries, timers); lane 1 is scenario events and
 * user actions, which therefore act after everything else due at the same millisecond. That
 * order is what lets a click recorded at time t replay exactly: by the time the user clicked, all
 * of the system's work at t had already run.
 */

export enum Lane {
  System = 0,
  Scenario = 1,
}

interface Entry<T> {
  readonly atMs: number;
  readonly lane: Lane;
  readonly seq: number;
  readonly item: T;
}

function before<T>(x: Entry<T>, y: Entry<T>): boolean {
  if (x.atMs !== y.atMs) return x.atMs < y.atMs;
  if (x.lane !== y.lane) return x.lane < y.lane;
  return x.seq < y.seq;
}

/** A binary min-heap. */
export class EventQueue<T> {
  private readonly heap: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(atMs: number, lane: Lane, item: T): void {
    if (!Number.isFinite(atMs)) throw new RangeError(`EventQueue.push: time must be finite, got ${atMs}`);
    const heap = this.heap;
    const entry: Entry<T> = { atMs, lane, seq: this.seq++, item };
    // Sift up by moving parents down into the hole, then drop the entry in once.
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Time of the next entry, or undefined when empty. */
  peekAtMs(): number | undefined {
    return this.heap[0]?.atMs;
  }

  /** The next entry (its `atMs` and `item`); the entry itself, so a pop allocates nothing. */
  pop(): { readonly atMs: number; readonly item: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop()!;
    const size = heap.length;
    if (size > 0) {
      // Sift down: move the smaller child up into the hole until `last` fits there.
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const child = r < size && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[child]!, last)) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}
