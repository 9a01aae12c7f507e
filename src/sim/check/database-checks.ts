/**
 * The checks on the replicated database, read off `writable`, `write-ack` and `promoted` trace
 * events and the nodes' `down` events: at most one node accepts writes at a time, a
 * synchronous failover loses no acknowledged write, and epochs fence off old primaries.
 */
import { closeOverlaps, type Overlap } from './overlaps';
import type { NodeId } from '../machines/protocol';
import type { DatabaseTraceEvent, LifecycleTraceEvent } from '../trace/trace';
import { type ReportViolation, type Violation, listOf, seconds } from './violations';

type Of<T extends DatabaseTraceEvent['type']> = Extract<DatabaseTraceEvent, { type: T }>;

/** Two nodes writable at once, from `startMs` until one of them stops. */

interface Promotion {
  readonly node: NodeId;
  readonly epoch: number;
  readonly atMs: number;
}

interface Ack {
  readonly write: string;
  readonly lsn: number;
}

/** How many recent acknowledgements we keep to name the lost ones; the count needs no list. */
const RECENT_ACKS_KEPT = 1024;
const LOST_WRITES_NAMED = 3;

export class DatabaseChecks {
  private readonly writableSinceMs = new Map<NodeId, number>();
  /** The epoch of each node's latest `writable` event. */
  private readonly epochOf = new Map<NodeId, number>();
  private readonly overlaps: Overlap[] = [];
  private newestPromotion: Promotion | null = null;
  private readonly recentAcks: Ack[] = [];
  private recentAcksNext = 0;

  constructor(private readonly report: ReportViolation) {}

  observe(event: DatabaseTraceEvent | LifecycleTraceEvent): void {
    switch (event.type) {
      case 'writable': return event.on ? this.startWriting(event) : this.stopWriting(event.node, event.atMs, event.epoch);
      case 'down': return this.stopWriting(event.node, event.atMs, undefined);
      case 'write-ack': return this.onWriteAck(event);
      case 'promoted': return this.onPromoted(event);
      case 'up': return;
    }
  }

  /** Overlaps still going on; a moment of overlap counts only once time has moved past it. */
  openViolations(nowMs: number): Violation[] {
    return this.overlaps
      .filter((overlap) => nowMs > overlap.startMs)
      .map((overlap) => ({
        atMs: overlap.startMs,
        nodes: [...overlap.nodes],
        message:
          `${listOf(overlap.nodes)} have both been accepting writes since ${seconds(overlap.startMs)} ` +
          `(still at ${seconds(nowMs)}). Two primaries at once means split brain: their data diverges.`,
      }));
  }

  private startWriting(event: Of<'writable'>): void {
    this.epochOf.set(event.node, event.epoch);
    if (this.writableSinceMs.has(event.node)) return;
    for (const other of this.writableSinceMs.keys()) {
      this.overlaps.push({ nodes: [other, event.node], startMs: event.atMs });
    }
    this.writableSinceMs.set(event.node, event.atMs);
  }

  // single-writer: an overlap is a violation once it has lasted longer than an instant, so a
  // hand-over in the same millisecond (one stops as the other starts) is fine in either order.
  private stopWriting(node: NodeId, atMs: number, epoch: number | undefined): void {
    if (epoch !== undefined) this.epochOf.set(node, epoch);
    if (!this.writableSinceMs.delete(node)) return;
    closeOverlaps(this.overlaps, node, atMs, (overlap, endMs) => this.reportOverlap(overlap, endMs));
  }

  private reportOverlap(overlap: Overlap, endMs: number): void {
    this.report('single-writer', {
      atMs: overlap.startMs,
      nodes: [...overlap.nodes],
      message:
        `${listOf(overlap.nodes)} both accepted writes from ${seconds(overlap.startMs)} to ${seconds(endMs)}. ` +
        `Two primaries at once means split brain: their data diverges.`,
    });
  }

  // epochs: a node acknowledges writes only in the newest epoch.
  private onWriteAck(event: Of<'write-ack'>): void {
    this.rememberAck(event);
    const newest = this.newestPromotion;
    const epoch = this.epochOf.get(event.node) ?? 0;
    if (newest === null || epoch >= newest.epoch) return;
    this.report('epochs', {
      atMs: event.atMs,
      nodes: [event.node, newest.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} acknowledged write ${event.write} in epoch ${epoch}, although ` +
        `${newest.node} had been promoted in epoch ${newest.epoch} at ${seconds(newest.atMs)}. ` +
        `Writes of an old epoch must be refused (fencing).`,
    });
  }

  private onPromoted(event: Of<'promoted'>): void {
    this.checkEpochRises(event);
    this.checkNoAcknowledgedWriteLost(event);
    if (this.newestPromotion === null || event.epoch > this.newestPromotion.epoch) {
      this.newestPromotion = { node: event.node, epoch: event.epoch, atMs: event.atMs };
    }
  }

  // epochs: each promotion starts an epoch higher than any promotion before it, and than the
  // epoch any other node has been writable in.
  private checkEpochRises(event: Of<'promoted'>): void {
    const highest = this.highestEpochBefore(event.node);
    if (highest === null || event.epoch > highest.epoch) return;
    this.report('epochs', {
      atMs: event.atMs,
      nodes: [event.node, highest.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} was promoted in epoch ${event.epoch}, but ${highest.node} ` +
        `already had epoch ${highest.epoch}. Each promotion must start a higher epoch, so that the old ` +
        `primary's writes can be told apart and refused.`,
    });
  }

  private highestEpochBefore(promoted: NodeId): { node: NodeId; epoch: number } | null {
    let highest: { node: NodeId; epoch: number } | null = this.newestPromotion;
    for (const [node, epoch] of this.epochOf) {
      if (node !== promoted && (highest === null || epoch > highest.epoch)) highest = { node, epoch };
    }
    return highest;
  }

  // no-acknowledged-write-lost. Only synchronous promotions count: with asynchronous
  // replication an acknowledged write may not have reached the standby yet, and losing it on
  // failover is the lesson such a scenario teaches (the report's `rpo` measures it), not a bug.
  // With synchronous replication every acknowledged write was flushed on the standby first,
  // so a gap here means the system broke its promise.
  private checkNoAcknowledgedWriteLost(event: Of<'promoted'>): void {
    if (!event.synchronous || event.highestAckedLsn <= event.flushLsn) return;
    const lost = this.recentAcks.filter((ack) => ack.lsn > event.flushLsn && ack.lsn <= event.highestAckedLsn);
    this.report('no-acknowledged-write-lost', {
      atMs: event.atMs,
      nodes: [event.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} was promoted with its log flushed to LSN ${event.flushLsn}, ` +
        `but writes up to LSN ${event.highestAckedLsn} had been acknowledged under synchronous replication: ` +
        `${event.highestAckedLsn - event.flushLsn} bytes of acknowledged writes are lost${namedWrites(lost)}.`,
    });
  }

  private rememberAck(event: Of<'write-ack'>): void {
    const ack = { write: event.write, lsn: event.lsn };
    if (this.recentAcks.length < RECENT_ACKS_KEPT) this.recentAcks.push(ack);
    else this.recentAcks[this.recentAcksNext] = ack;
    this.recentAcksNext = (this.recentAcksNext + 1) % RECENT_ACKS_KEPT;
  }
}

function namedWrites(lost: readonly Ack[]): string {
  if (lost.length === 0) return '';
  const sorted = [...lost].sort((x, y) => x.lsn - y.lsn);
  const named = sorted.slice(0, LOST_WRITES_NAMED).map((ack) => ack.write);
  const more = sorted.length - named.length;
  return ` (among them ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''})`;
}
