/**
 * Downtime as the clients see it: `rto.unavailableMs`.
 *
 * Definition. Take the moments at which a client was told a write succeeded (acknowledgements
 * the client heard, in time). They cut the run into gaps: from one acknowledgement to the next,
 * and from the last one to the end of the run (or, before the first one, from the start). A gap
 * is down from the earliest write attempted in it that failed (refused, or timed out unanswered)
 * to the gap's end. `unavailableMs` is the total over all gaps.
 *
 * So it is the time during which clients attempted writes and none was acknowledged, whatever
 * the cause: a failover, a primary that refuses writes while it waits for a synchronous standby,
 * a dark data centre, a dead load balancer. It does not depend on the write rate beyond its
 * resolution: a quiet gap between two acknowledgements counts nothing unless a write in it
 * failed, and an outage is measured from the first failed attempt, so it is exact to within one
 * interval between writes (1 / writesPerSec). A write still waiting for its answer when the run
 * ends is not counted: it has not failed yet.
 *
 * The time without any node accepting writes is another figure, `rto.noPrimaryMs`.
 */
export class ClientDowntime {
  private totalMs = 0;
  /** When the latest acknowledgement was heard; -1 before the first. */
  private lastAckMs = -1;
  /** The earliest failed attempt since the latest acknowledgement (the open gap's downtime start). */
  private openSinceMs: number | null = null;
  /**
   * Recent acknowledgements, oldest first: a write that fails late (a timeout) may have been
   * attempted before some of them, in a gap that has closed since.
   */
  private readonly recentAcks: number[] = [];
  /** For each recently closed gap, by the acknowledgement that closed it: since when it was counted down. */
  private readonly closedGaps = new Map<number, number>();

  /** A client heard that its write succeeded. */
  acknowledged(atMs: number): void {
    if (this.openSinceMs !== null) {
      this.totalMs += atMs - this.openSinceMs;
      this.closedGaps.set(atMs, this.openSinceMs);
    }
    this.openSinceMs = null;
    this.lastAckMs = atMs;
    this.recentAcks.push(atMs);
  }

  /** A write attempted at `attemptedAtMs` failed (refused or timed out). */
  failed(attemptedAtMs: number): void {
    if (attemptedAtMs >= this.lastAckMs) {
      if (this.openSinceMs === null || attemptedAtMs < this.openSinceMs) this.openSinceMs = attemptedAtMs;
      return;
    }
    // Its gap has closed already: it ended at the first acknowledgement after the attempt.
    const endMs = this.recentAcks.find((ackMs) => ackMs > attemptedAtMs);
    if (endMs === undefined) return; // older than anything kept: see `forgetBefore`
    const countedFromMs = this.closedGaps.get(endMs);
    if (countedFromMs === undefined) this.totalMs += endMs - attemptedAtMs;
    else if (attemptedAtMs < countedFromMs) this.totalMs += countedFromMs - attemptedAtMs;
    if (countedFromMs === undefined || attemptedAtMs < countedFromMs) this.closedGaps.set(endMs, attemptedAtMs);
  }

  /** No write attempted before `atMs` is still waiting for its answer: what only they needed can go. */
  forgetBefore(atMs: number): void {
    let drop = 0;
    // Keep the first acknowledgement after `atMs`... and every later one.
    while (drop < this.recentAcks.length && this.recentAcks[drop]! <= atMs) drop++;
    if (drop === 0) return;
    for (const ackMs of this.recentAcks.splice(0, drop)) this.closedGaps.delete(ackMs);
  }

  /** Since when writes have been failing with none acknowledged since (the open gap's start), or null. */
  failingSince(): number | null {
    return this.openSinceMs;
  }

  /** The total up to `nowMs`, the open gap included. */
  totalUntil(nowMs: number): number {
    return this.totalMs + (this.openSinceMs === null ? 0 : Math.max(0, nowMs - this.openSinceMs));
  }
}
