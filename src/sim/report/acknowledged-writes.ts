/**
 * The acknowledged writes the write ledger (write-ledger.ts) counts: which are lost, against which
 * promotion, and the worst loss. A write acknowledged in epoch `e` at LSN `l` is held by the
 * timeline of the newest promotion exactly when that timeline's history gives epoch `e` to the
 * record ending at `l`; otherwise it is lost. Each is counted once, against the newest timeline:
 * a later promotion that brings an older timeline back brings its writes back too.
 *
 * Every acknowledgement is kept, since any may be lost by a later promotion (a restore from an old
 * backup), but compactly (ack-segment.ts: about 3.5 bytes a write instead of an object of about
 * 120), so that a long run's memory stays small. `AckBook` is what the ledger asks of it.
 */
import { entryAt, sameOpening, type TimelineEntry } from '../machines/database/wal';
import { AckSegment, normalize } from './ack-segment';

/** A timeline: which epoch wrote the WAL from each position on (oldest first). */
export type Timeline = readonly TimelineEntry[];

export interface AckBook {
  /**
   * A write acknowledged at `lsn` in `epoch`; `degraded`: while its primary had no synchronous
   * standby; `openedBy`: who opened that epoch by hand, when its timeline says so (two timelines
   * of one epoch are told apart by it).
   */
  acknowledged(epoch: number, lsn: number, atMs: number, degraded: boolean, openedBy?: string): void;
  /** A promotion to `epoch` with the promoted node's timeline (`history`; an older trace gives `flushLsn` alone). */
  promoted(epoch: number, flushLsn: number, history: Timeline | undefined): void;
  readonly lost: number;
  /** Of `lost`, those acknowledged while degraded. */
  readonly lostDegraded: number;
  /** Epoch → the lost writes counted against the promotion that opened it (see `blame`). */
  readonly forkLosses: ReadonlyMap<number, number>;
  /** The most writes lost by one promotion, and the span of time they covered. */
  rpo(): { lostWrites: number; lostMs: number };
}

export class AcknowledgedWrites implements AckBook {
  /** Every acknowledged write, compactly: oldest segment first. */
  private readonly segments: AckSegment[] = [];
  /** Epoch (and who opened it by hand) → the segment its next acknowledgement is appended to. */
  private readonly appending = new Map<string, AckSegment>();
  /** The timeline of the newest epoch promoted so far (epoch 1 from the start before any), and that epoch. */
  private timeline: Timeline = [{ epoch: 1, startLsn: 0 }];
  private timelineEpoch = 1;
  private lostCount = 0;
  private lostDegradedCount = 0;
  private worstLostWrites = 0;
  private worstLostMs = 0;
  readonly forkLosses = new Map<number, number>();

  get lost(): number {
    return this.lostCount;
  }

  get lostDegraded(): number {
    return this.lostDegradedCount;
  }

  rpo(): { lostWrites: number; lostMs: number } {
    return { lostWrites: this.worstLostWrites, lostMs: this.worstLostMs };
  }

  acknowledged(epoch: number, lsn: number, atMs: number, degraded: boolean, openedBy?: string): void {
    const key = `${epoch} ${openedBy}`;
    let segment = this.appending.get(key);
    if (segment === undefined || !segment.append(lsn, atMs, degraded)) {
      segment = new AckSegment(epoch, lsn, atMs, degraded, openedBy);
      this.segments.push(segment);
      this.appending.set(key, segment);
    }
    // Acknowledged on a timeline the newest promotion has already left behind: it will be rewound.
    if (!holds(entryAt(this.timeline, lsn), segment)) {
      const blamed = this.blame(epoch);
      segment.loseNewest(blamed);
      this.countLost(1, degraded ? 1 : 0, blamed);
      this.recordWorst(1, atMs, atMs, null);
    }
  }

  /**
   * A promotion to a newer epoch than any before makes its timeline the one every write is
   * counted against: writes it lacks are lost, and writes it holds (an older timeline brought
   * back) are not, whatever earlier promotions said. Without a history (an older trace) the new
   * timeline is the newest one's up to `flushLsn`. A promotion to the newest epoch again decides only
   * when that epoch was opened by another hand (`openedBy`): an operator's promotion by hand comes
   * first (it takes a number above every epoch opened so far), and the keeper of epochs, which never
   * heard of it, gives the same number later to the primary it keeps.
   */
  promoted(epoch: number, flushLsn: number, history: Timeline | undefined): void {
    if (epoch < this.timelineEpoch) return; // an older epoch's late promotion does not decide
    const opened = history?.[history.length - 1];
    if (epoch === this.timelineEpoch && (opened === undefined || sameOpening(opened, this.timeline[this.timeline.length - 1] ?? null))) return;
    this.timeline = history ?? [...this.timeline.filter((e) => e.startLsn < flushLsn), { epoch, startLsn: flushLsn }];
    this.timelineEpoch = epoch;
    const pieces = timelinePieces(this.timeline);
    let newly: { count: number; oldestAtMs: number; newestAtMs: number } | null = null;
    let heldAtMs = -1;
    for (const segment of this.segments) {
      const held = normalize(pieces.filter((p) => holds(p.entry, segment)).map((p) => segment.positionsIn(p.lo, p.hi)));
      const { found, lost } = segment.relabel(held, this.blame(segment.epoch));
      for (const back of found) this.countLost(-back.count, -back.degraded, back.blamed);
      if (lost !== null) {
        this.countLost(lost.count, lost.degraded, this.blame(segment.epoch));
        newly = newly === null
          ? { count: lost.count, oldestAtMs: lost.oldestAtMs, newestAtMs: lost.newestAtMs }
          : { count: newly.count + lost.count, oldestAtMs: Math.min(newly.oldestAtMs, lost.oldestAtMs), newestAtMs: Math.max(newly.newestAtMs, lost.newestAtMs) };
      }
      if (segment.epoch < epoch) heldAtMs = Math.max(heldAtMs, segment.newestHeldAtMs());
    }
    if (newly !== null) this.recordWorst(newly.count, newly.oldestAtMs, newly.newestAtMs, heldAtMs);
  }

  /** The promotion a lost write is counted against: the first epoch of the newest timeline after the write's own. */
  private blame(epoch: number): number {
    return this.timeline.find((e) => e.epoch > epoch)?.epoch ?? this.timelineEpoch;
  }

  /** `count` writes (negative: found again), `degraded` of them degraded, lost or found against the promotion of `blamed`. */
  private countLost(count: number, degraded: number, blamed: number): void {
    this.lostCount += count;
    this.lostDegradedCount += degraded;
    this.forkLosses.set(blamed, (this.forkLosses.get(blamed) ?? 0) + count);
  }

  /** `count` writes newly lost, acknowledged from `oldestAtMs` to `newestAtMs`; the span runs from the newest write still held before them, if any. */
  private recordWorst(count: number, oldestAtMs: number, newestAtMs: number, heldAtMs: number | null): void {
    const spanMs = newestAtMs - (heldAtMs !== null && heldAtMs >= 0 ? heldAtMs : oldestAtMs);
    this.worstLostWrites = Math.max(this.worstLostWrites, count);
    this.worstLostMs = Math.max(this.worstLostMs, spanMs);
  }
}

/** Whether a timeline's entry is the epoch a segment's writes were acknowledged in, opened by the same hand. */
function holds(entry: TimelineEntry | null, segment: AckSegment): boolean {
  return entry !== null && entry.epoch === segment.epoch && entry.openedBy === segment.openedBy;
}

/**
 * The timeline as pieces of the LSN line, (lo, hi], each wholly of one entry: `entryAt` compares
 * an LSN only with the entries' start LSNs, so between two consecutive starts its answer is the
 * same, and the piece's top end tells it.
 */
function timelinePieces(timeline: Timeline): { lo: number; hi: number; entry: TimelineEntry | null }[] {
  const starts = [...new Set(timeline.map((e) => e.startLsn))].sort((a, b) => a - b);
  const pieces: { lo: number; hi: number; entry: TimelineEntry | null }[] = [];
  let lo = Number.NEGATIVE_INFINITY;
  for (const hi of [...starts, Number.POSITIVE_INFINITY]) {
    pieces.push({ lo, hi, entry: entryAt(timeline, hi) });
    lo = hi;
  }
  return pieces;
}
