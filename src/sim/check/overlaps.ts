/**
 * Two nodes holding something only one may hold (the right to take writes, leadership) at
 * overlapping times. Both `single-writer` and `single-leader` keep such overlaps open while they
 * last and judge each when one of its nodes lets go.
 */
import type { NodeId } from '../machines/protocol';

export interface Overlap {
  /** The one holding it first, then the one that took it beside it. */
  readonly nodes: readonly [NodeId, NodeId];
  readonly startMs: number;
}

/**
 * Ends every open overlap `node` is part of, at `atMs`. One that lasted longer than an instant is
 * a violation, passed to `report`; a hand-over within one millisecond (one lets go as the other
 * takes hold) is fine in either order.
 */
export function closeOverlaps<O extends Overlap>(overlaps: O[], node: NodeId, atMs: number, report: (overlap: O, endMs: number) => void): void {
  for (let i = overlaps.length - 1; i >= 0; i--) {
    const overlap = overlaps[i];
    if (overlap === undefined || !overlap.nodes.includes(node)) continue;
    overlaps.splice(i, 1);
    if (atMs > overlap.startMs) report(overlap, atMs);
  }
}
