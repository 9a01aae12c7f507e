/**
 * Two nodes holding something only one may hold (the right to take writes, leadership) at
 * overlapping times. Both `single-writer` and `single-leader` keep such overlaps open while they
 * last and judge each when one of its nodes lets go.
 */
import type { NodeId } from '../machines/protocol';
import type { InvariantName, ReportViolation, Violation } from './violations';

export interface Overlap {
  /** The one holding it first, then the one that took it beside it. */
  readonly nodes: readonly [NodeId, NodeId];
  readonly startMs: number;
}

/** How a check words an overlap: one that ended at `endMs`, and one still going on at `nowMs`. */
export interface OverlapWords<O extends Overlap> {
  ended(overlap: O, endMs: number): string;
  ongoing(overlap: O, nowMs: number): string;
}

/** The overlaps going on now for one invariant: opened as a second node takes hold, judged as one lets go. */
export class OpenOverlaps<O extends Overlap> {
  private readonly open: O[] = [];

  constructor(
    private readonly invariant: InvariantName,
    private readonly report: ReportViolation,
    private readonly words: OverlapWords<O>,
  ) {}

  add(overlap: O): void {
    this.open.push(overlap);
  }

  /**
   * Ends every open overlap `node` is part of, at `atMs`. One that lasted longer than an instant is
   * a violation; a hand-over within one millisecond (one lets go as the other takes hold) is fine
   * in either order.
   */
  close(node: NodeId, atMs: number): void {
    for (let i = this.open.length - 1; i >= 0; i--) {
      const overlap = this.open[i];
      if (overlap === undefined || !overlap.nodes.includes(node)) continue;
      this.open.splice(i, 1);
      if (atMs > overlap.startMs) this.report(this.invariant, { atMs: overlap.startMs, nodes: [...overlap.nodes], message: this.words.ended(overlap, atMs) });
    }
  }

  /** Overlaps still going on; a moment of overlap counts only once time has moved past it. */
  violations(nowMs: number): Violation[] {
    return this.open.filter((overlap) => nowMs > overlap.startMs).map((overlap) => ({ atMs: overlap.startMs, nodes: [...overlap.nodes], message: this.words.ongoing(overlap, nowMs) }));
  }
}
