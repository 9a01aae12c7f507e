/**
 * The ledger of client writes, kept from the trace: which acknowledged writes are gone, and for
 * how long no database node accepted writes. A write is lost when it was acknowledged on a
 * timeline (epoch) that a promotion forked away from before reaching it: the new primary's WAL
 * ends at `flushLsn`, so every acknowledgement of an older epoch past that LSN will be rewound.
 * That is exact for the WAL model of src/sim/machines/database: LSNs grow along a timeline, and a
 * promotion's `flushLsn` says where the new timeline leaves the old one.
 *
 * It also lists the failovers. An automatic one is told by the orchestrators' `failover` trace
 * events: detected when an agent detected the primary's failure, completed at the redirect. A
 * failover by hand runs from the moment the old primary stopped writing to the new one's first
 * write. A failover's lost writes are all those its fork left behind, including writes the old
 * primary acknowledged after the fork (a split brain) that will be rewound on heal.
 */
import type { NodeId } from '../machines/protocol';
import type { TraceEvent } from '../trace/trace';

interface Ack {
  readonly write: string;
  readonly node: NodeId;
  readonly epoch: number;
  readonly lsn: number;
  readonly atMs: number;
  lost: boolean;
}

interface Fork {
  readonly epoch: number;
  readonly flushLsn: number;
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

export class WriteLedger {
  private readonly acks: Ack[] = [];
  private readonly forks: Fork[] = [];
  private readonly writableEpoch = new Map<NodeId, number>();
  private lostCount = 0;
  private worstLostWrites = 0;
  private worstLostMs = 0;
  private unavailableMs = 0;
  /** Since when no node has accepted writes (null while one does, or before the first primary). */
  private unavailableSinceMs: number | null = null;
  private everWritable = false;
  private lastPrimary: NodeId | null = null;
  private lastPrimaryLostAtMs: number | null = null;
  private readonly failovers: FailoverRecord[] = [];
  /** Epoch → acknowledged writes its fork left behind. */
  private readonly forkLosses = new Map<number, number>();
  /** When an orchestrator first detected the failure that the next automatic failover repairs. */
  private detectedAtMs: number | null = null;

  observe(event: TraceEvent): void {
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
        this.promoted(event.epoch, event.flushLsn);
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
    return this.failovers.map((f) => ({
      detectedAtMs: f.detectedAtMs,
      completedAtMs: f.completedAtMs,
      from: f.from,
      to: f.to,
      lostWrites: this.forkLosses.get(f.epoch) ?? 0,
    }));
  }

  get lost(): number {
    return this.lostCount;
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
    const epoch = this.writableEpoch.get(node) ?? 0;
    const ack: Ack = { write, node, epoch, lsn, atMs, lost: false };
    this.acks.push(ack);
    // Acknowledged on a timeline that a promotion has already left behind: it will be rewound.
    const fork = this.forks.find((f) => f.epoch > epoch && f.flushLsn < lsn);
    if (fork) {
      this.markLost([ack], null);
      this.forkLosses.set(fork.epoch, (this.forkLosses.get(fork.epoch) ?? 0) + 1);
    }
  }

  private promoted(epoch: number, flushLsn: number): void {
    this.forks.push({ epoch, flushLsn });
    const lost = this.acks.filter((a) => !a.lost && a.epoch < epoch && a.lsn > flushLsn);
    const heldAtMs = this.acks.reduce((latest, a) => (!a.lost && a.epoch < epoch && a.lsn <= flushLsn ? Math.max(latest, a.atMs) : latest), -1);
    this.markLost(lost, heldAtMs);
    this.forkLosses.set(epoch, (this.forkLosses.get(epoch) ?? 0) + lost.length);
  }

  private markLost(lost: Ack[], heldAtMs: number | null): void {
    if (lost.length === 0) return;
    for (const a of lost) a.lost = true;
    this.lostCount += lost.length;
    const newest = Math.max(...lost.map((a) => a.atMs));
    const oldest = Math.min(...lost.map((a) => a.atMs));
    const spanMs = newest - (heldAtMs !== null && heldAtMs >= 0 ? heldAtMs : oldest);
    this.worstLostWrites = Math.max(this.worstLostWrites, lost.length);
    this.worstLostMs = Math.max(this.worstLostMs, spanMs);
  }
}
