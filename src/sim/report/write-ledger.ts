/**
 * The ledger of client writes, kept from the trace: which acknowledged writes are gone, and for
 * how long no database node accepted writes. A write acknowledged in epoch `e` at LSN `l` is held
 * by the timeline of the newest promotion exactly when that timeline's history gives epoch `e`
 * to the record ending at `l` (every epoch has one writer, so one record per LSN; an epoch an operator
 * opened by hand where the orchestrators or the witness count epochs may be given again, and its
 * timeline names who opened it: `TimelineEntry.openedBy`); otherwise it is
 * lost: the newest primary's WAL never had it, and whoever has it will rewind it. A write is
 * counted once, against the newest timeline: a later promotion that brings an older timeline
 * back (a former primary promoted again) brings its writes back too. That is exact for the WAL
 * model of src/sim/machines/database, where every promotion opens a new epoch (or, by hand, one
 * its timeline tells apart).
 *
 * It also lists the failovers. An automatic one is told by the orchestrators' `failover` trace
 * events: detected when an agent detected the primary's failure, completed at the redirect. A
 * failover by hand runs from the moment the old primary stopped writing to the new one's first
 * write. A failover's lost writes are all those its fork left behind, including writes the old
 * primary acknowledged after the fork (a split brain) that will be rewound on heal.
 *
 * The acknowledged writes themselves are kept, compactly, by acknowledged-writes.ts.
 */
import type { NodeId } from '../machines/protocol';
import { DegradedPrimaries } from '../trace/degraded-primaries';
import type { TraceEvent } from '../trace/trace';
import type { TimelineEntry } from '../machines/database/wal';
import { AcknowledgedWrites, type AckBook } from './acknowledged-writes';

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

export class WriteLedger {
  private readonly writableEpoch = new Map<NodeId, number>();
  /** Node → the epoch it last took writes in (kept after it stops: a write it settles then, a switchover's, is of that epoch). */
  private readonly lastEpoch = new Map<NodeId, number>();
  /** Node → the epoch its last promotion opened, as its timeline names it (with `openedBy` where opened by hand). */
  private readonly opened = new Map<NodeId, TimelineEntry | undefined>();
  /** Primaries acknowledging on their own flush alone. */
  private readonly degraded = new DegradedPrimaries();
  private unavailableMs = 0;
  /** Since when no node has accepted writes (null while one does, or before the first primary). */
  private unavailableSinceMs: number | null = null;
  private everWritable = false;
  private lastPrimary: NodeId | null = null;
  private lastPrimaryLostAtMs: number | null = null;
  private readonly failovers: FailoverRecord[] = [];
  /** When an orchestrator first detected the failure that the next automatic failover repairs. */
  private detectedAtMs: number | null = null;

  /** `acks`: how acknowledged writes are kept; the compact book unless a test hands in another. */
  constructor(private readonly acks: AckBook = new AcknowledgedWrites()) {}

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
      case 'write-ack': {
        const epoch = this.lastEpoch.get(event.node) ?? 0;
        const opened = this.opened.get(event.node);
        this.acks.acknowledged(epoch, event.lsn, event.atMs, this.degraded.has(event.node), opened?.epoch === epoch ? opened.openedBy : undefined);
        return;
      }
      case 'promoted': {
        this.opened.set(event.node, event.history?.[event.history.length - 1]);
        this.acks.promoted(event.epoch, event.flushLsn, event.history);
        return;
      }
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
    for (const [epoch, lost] of this.acks.forkLosses) {
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
    return this.acks.lost;
  }

  /** Of `lost`, the writes acknowledged while durability was degraded (no synchronous standby). */
  get lostDegraded(): number {
    return this.acks.lostDegraded;
  }

  /** Worst case over the run: the most writes lost by one promotion, and the span of time they covered. */
  rpo(): { lostWrites: number; lostMs: number } {
    return this.acks.rpo();
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

}
