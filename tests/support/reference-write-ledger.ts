/**
 * The ledger of client writes, kept from the trace: which acknowledged writes are gone, and for
 * how long no database node accepted writes. A write acknowledged in epoch `e` at LSN `l` is held
 * by the timeline of the newest promotion exactly when that timeline's history gives epoch `e`
 * to the record ending at `l` (every epoch has one writer, so one record per LSN); otherwise it is
 * lost: the newest primary's WAL never had it, and whoever has it will rewind it. A write is
 * counted once, against the newest timeline: a later promotion that brings an older timeline
 * back (a former primary promoted again) brings its writes back too. That is exact for the WAL
 * model of src/sim/machines/database, where every promotion opens a new epoch.
 *
 * It also lists the failovers. An automatic one is told by the orchestrators' `failover` trace
 * events: detected when an agent detected the primary's failure, completed at the redirect. A
 * failover by hand runs from the moment the old primary stopped writing to the new one's first
 * write. A failover's lost writes are all those its fork left behind, including writes the old
 * primary acknowledged after the fork (a split brain) that will be rewound on heal.
 */
import type { NodeId } from '../../src/sim/machines/protocol';
import type { TimelineEntry } from '../../src/sim/machines/database/wal';
import { DegradedPrimaries } from '../../src/sim/trace/degraded-primaries';
import type { TraceEvent } from '../../src/sim/trace/trace';

interface Ack {
  readonly write: string;
  readonly node: NodeId;
  readonly epoch: number;
  readonly lsn: number;
  readonly atMs: number;
  /** Acknowledged while its primary had no synchronous standby (durability degraded: a `sync` event with none). */
  readonly degraded: boolean;
  lost: boolean;
  /** While lost: the epoch whose promotion it is counted against. */
  blamed: number;
}

/** A timeline: which epoch wrote the WAL from each position on (oldest first). */
type Timeline = readonly TimelineEntry[];

function epochAt(timeline: Timeline, lsn: number): number {
  let epoch = 0;
  for (const entry of timeline) {
    if (entry.startLsn < lsn) epoch = entry.epoch;
    else break;
  }
  return epoch;
}

export interface Failover {
  detectedAtMs: number;
  completedAtMs: number;
  from: NodeId;
  to: NodeId;
  lostWrites: number;
}

interface FailoverRecord {
  detectedAtMs: number;
  completedAtMs: number;
  readonly from: NodeId;
  readonly to: NodeId;
  /** The epoch the new primary opened: the fork whose losses are this failover's. */
  readonly epoch: number;
  /** Told by the orchestrators' redirect (not inferred from `writable` events). */
  automatic: boolean;
}

export class ReferenceWriteLedger {
  private readonly acks: Ack[] = [];
  /** The timeline of the newest epoch promoted so far (epoch 1 from the start before any), and that epoch. */
  private timeline: Timeline = [{ epoch: 1, startLsn: 0 }];
  private timelineEpoch = 1;
  private readonly writableEpoch = new Map<NodeId, number>();
  /** Node → the epoch it last took writes in (kept after it stops: a write it settles then, a switchover's, is of that epoch). */
  private readonly lastEpoch = new Map<NodeId, number>();
  private lostCount = 0;
  private lostDegradedCount = 0;
  /** Primaries acknowledging on their own flush alone. */
  private readonly degraded = new DegradedPrimaries();
  private worstLostWrites = 0;
  private worstLostMs = 0;
  private unavailableMs = 0;
  /** Since when no node has accepted writes (null while one does, or before the first primary). */
  private unavailableSinceMs: number | null = null;
  private everWritable = false;
  private lastPrimary: NodeId | null = null;
  private lastPrimaryLostAtMs: number | null = null;
  private readonly failovers: FailoverRecord[] = [];
  /** Epoch → the lost writes counted against the promotion that opened it (see `blame`). */
  private readonly forkLosses = new Map<number, number>();
  /** When an orchestrator first detected the failure that the next automatic failover repairs. */
  private detectedAtMs: number | null = null;

  observe(event: TraceEvent): void {
    this.degraded.observe(event);
    switch (event.type) {
      case 'writable':
        if (event.on) this.becameWritable(event.node, event.epoch, event.atMs);
        else this.stoppedWriting(event.node, event.atMs);
        return;
      case 'down':
        if (this.writableEpoch.has(event.node)) this.stoppedWriting(event.node, event.atMs);
        return;
      case 'write-ack':
        this.acknowledged(event.write, event.node, event.lsn, event.atMs);
        return;
      case 'promoted':
        this.promoted(event.epoch, event.flushLsn, event.history);
        return;
      case 'failover':
        if (event.step === 'detect' && event.ok) this.detectedAtMs ??= event.atMs;
        if (event.step === 'redirect' && event.to !== null) this.redirected(event.from, event.to, event.epoch, event.atMs);
        return;
      default:
        return;
    }
  }

  /** The failovers so far, for the report. */
  failoverList(): Failover[] {
    // Losses of an epoch no listed failover opened count toward the latest failover before it, so the shares add up to `lost`.
    const shares = new Map<number, number>();
    const epochs = this.failovers.map((f) => f.epoch);
    for (const [epoch, lost] of this.forkLosses) {
      if (lost === 0) continue;
      const owner = epochs.includes(epoch) ? epoch : (epochs.filter((e) => e < epoch).sort((a, b) => b - a)[0] ?? epochs[0]);
      if (owner !== undefined) shares.set(owner, (shares.get(owner) ?? 0) + lost);
    }
    const counted = new Set<number>();
    return this.failovers.map((f) => {
      const lostWrites = counted.has(f.epoch) ? 0 : (shares.get(f.epoch) ?? 0);
      counted.add(f.epoch);
      return { detectedAtMs: f.detectedAtMs, completedAtMs: f.completedAtMs, from: f.from, to: f.to, lostWrites };
    });
  }

  get lost(): number {
    return this.lostCount;
  }

  /** Of `lost`, the writes acknowledged while durability was degraded (no synchronous standby). */
  get lostDegraded(): number {
    return this.lostDegradedCount;
  }

  /** Worst case over the run: the most writes lost by one promotion, and the span of time they covered. */
  rpo(): { lostWrites: number; lostMs: number } {
    return { lostWrites: this.worstLostWrites, lostMs: this.worstLostMs };
  }

  /** Total time, up to `endMs`, during which no node accepted writes (after the first one did). */
  unavailableUntil(endMs: number): number {
    return this.unavailableMs + (this.unavailableSinceMs === null ? 0 : Math.max(0, endMs - this.unavailableSinceMs));
  }

  private becameWritable(node: NodeId, epoch: number, atMs: number): void {
    if (this.unavailableSinceMs !== null) this.unavailableMs += atMs - this.unavailableSinceMs;
    this.unavailableSinceMs = null;
    this.writableEpoch.set(node, epoch);
    this.lastEpoch.set(node, epoch);
    this.everWritable = true;
    if (this.lastPrimary !== null && this.lastPrimary !== node && this.lastPrimaryLostAtMs !== null) {
      this.failovers.push({ detectedAtMs: this.lastPrimaryLostAtMs, completedAtMs: atMs, from: this.lastPrimary, to: node, epoch, automatic: false });
    }
    this.lastPrimary = node;
    this.lastPrimaryLostAtMs = null;
  }

  /** The orchestrators redirected clients to `to`: their failover, timed from their own detection. */
  private redirected(from: NodeId, to: NodeId, epoch: number, atMs: number): void {
    const known = this.failovers.find((f) => f.epoch === epoch && f.to === to);
    const detectedAtMs = this.detectedAtMs ?? atMs;
    this.detectedAtMs = null;
    if (known?.automatic) return; // another agent told the same redirect (quorum off)
    if (known) Object.assign(known, { detectedAtMs, completedAtMs: atMs, automatic: true });
    else this.failovers.push({ detectedAtMs, completedAtMs: atMs, from, to, epoch, automatic: true });
  }

  private stoppedWriting(node: NodeId, atMs: number): void {
    this.writableEpoch.delete(node);
    if (node === this.lastPrimary && this.lastPrimaryLostAtMs === null) this.lastPrimaryLostAtMs = atMs;
    if (this.writableEpoch.size === 0 && this.everWritable && this.unavailableSinceMs === null) this.unavailableSinceMs = atMs;
  }

  private acknowledged(write: string, node: NodeId, lsn: number, atMs: number): void {
    const epoch = this.lastEpoch.get(node) ?? 0;
    const ack: Ack = { write, node, epoch, lsn, atMs, degraded: this.degraded.has(node), lost: false, blamed: 0 };
    this.acks.push(ack);
    // Acknowledged on a timeline the newest promotion has already left behind: it will be rewound.
    if (!this.held(ack)) {
      this.setLost(ack, true);
      this.recordWorst([ack], null);
    }
  }

  private held(ack: Ack): boolean {
    return epochAt(this.timeline, ack.lsn) === ack.epoch;
  }

  /**
   * A promotion to a newer epoch than any before makes its timeline the one every write is
   * counted against: writes it lacks are lost, and writes it holds (an older timeline brought
   * back) are not, whatever earlier promotions said. Without a history (an older trace) the new
   * timeline is the newest one's up to `flushLsn`.
   */
  private promoted(epoch: number, flushLsn: number, history: Timeline | undefined): void {
    if (epoch <= this.timelineEpoch) return; // an older epoch's late promotion does not decide
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

  /** The promotion a lost write is counted against: the first epoch of the newest timeline after the write's own. */
  private blame(ack: Ack): number {
    return this.timeline.find((e) => e.epoch > ack.epoch)?.epoch ?? this.timelineEpoch;
  }

  private setLost(ack: Ack, lost: boolean): void {
    if (lost) ack.blamed = this.blame(ack);
    ack.lost = lost;
    this.lostCount += lost ? 1 : -1;
    if (ack.degraded) this.lostDegradedCount += lost ? 1 : -1;
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
