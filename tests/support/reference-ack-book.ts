/**
 * The write ledger's acknowledged writes as it first kept them: every acknowledgement an object,
 * every promotion a pass over all of them. Too big for long runs (about 120 bytes a write), but
 * plain to read: tests/unit/report/write-ledger-oracle.test.ts holds the compact book
 * (src/sim/report/acknowledged-writes.ts) to exactly its answers.
 */
import { entryAt } from '../../src/sim/machines/database/wal';
import type { AckBook, Timeline } from '../../src/sim/report/acknowledged-writes';

interface Ack {
  readonly epoch: number;
  readonly openedBy: string | undefined;
  readonly lsn: number;
  readonly atMs: number;
  readonly degraded: boolean;
  lost: boolean;
  /** While lost: the epoch whose promotion it is counted against. */
  blamed: number;
}

export class ReferenceAckBook implements AckBook {
  private readonly acks: Ack[] = [];
  private timeline: Timeline = [{ epoch: 1, startLsn: 0 }];
  private timelineEpoch = 1;
  lost = 0;
  lostDegraded = 0;
  private worstLostWrites = 0;
  private worstLostMs = 0;
  readonly forkLosses = new Map<number, number>();

  rpo(): { lostWrites: number; lostMs: number } {
    return { lostWrites: this.worstLostWrites, lostMs: this.worstLostMs };
  }

  acknowledged(epoch: number, lsn: number, atMs: number, degraded: boolean, openedBy?: string): void {
    const ack: Ack = { epoch, openedBy, lsn, atMs, degraded, lost: false, blamed: 0 };
    this.acks.push(ack);
    if (!this.held(ack)) {
      this.setLost(ack, true);
      this.recordWorst([ack], null);
    }
  }

  promoted(epoch: number, flushLsn: number, history: Timeline | undefined): void {
    if (epoch < this.timelineEpoch) return;
    // The newest epoch again counts only when another hand opened it.
    const opened = history?.[history.length - 1];
    if (epoch === this.timelineEpoch && (opened === undefined || opened.openedBy === this.timeline[this.timeline.length - 1]?.openedBy)) return;
    this.timeline = history ?? [...this.timeline.filter((e) => e.startLsn < flushLsn), { epoch, startLsn: flushLsn }];
    this.timelineEpoch = epoch;
    const newlyLost: Ack[] = [];
    let heldAtMs = -1;
    for (const ack of this.acks) {
      const held = this.held(ack);
      if (held && ack.epoch < epoch) heldAtMs = Math.max(heldAtMs, ack.atMs);
      if (held === !ack.lost) continue;
      this.setLost(ack, !held);
      if (!held) newlyLost.push(ack);
    }
    this.recordWorst(newlyLost, heldAtMs);
  }

  private held(ack: Ack): boolean {
    const entry = entryAt(this.timeline, ack.lsn);
    return entry !== null && entry.epoch === ack.epoch && entry.openedBy === ack.openedBy;
  }

  private setLost(ack: Ack, lost: boolean): void {
    if (lost) ack.blamed = this.timeline.find((e) => e.epoch > ack.epoch)?.epoch ?? this.timelineEpoch;
    ack.lost = lost;
    this.lost += lost ? 1 : -1;
    if (ack.degraded) this.lostDegraded += lost ? 1 : -1;
    this.forkLosses.set(ack.blamed, (this.forkLosses.get(ack.blamed) ?? 0) + (lost ? 1 : -1));
  }

  private recordWorst(lost: Ack[], heldAtMs: number | null): void {
    if (lost.length === 0) return;
    const newest = lost.reduce((max, a) => Math.max(max, a.atMs), -Infinity);
    const oldest = lost.reduce((min, a) => Math.min(min, a.atMs), Infinity);
    const spanMs = newest - (heldAtMs !== null && heldAtMs >= 0 ? heldAtMs : oldest);
    this.worstLostWrites = Math.max(this.worstLostWrites, lost.length);
    this.worstLostMs = Math.max(this.worstLostMs, spanMs);
  }
}
