/**
 * The checks on the replicated database, read off `writable`, `write-ack` and `promoted` trace
 * events and the nodes' `down` events: at most one node accepts writes at a time, no acknowledged
 * write is lost (whatever the replication mode; the message says why it was), and epochs fence
 * off old primaries.
 */
import { OpenOverlaps, type Overlap } from './overlaps';
import type { NodeId } from '../machines/protocol';
import { DegradedPrimaries } from '../trace/degraded-primaries';
import type { DatabaseTraceEvent, LifecycleTraceEvent, RestoreTraceEvent } from '../trace/trace';
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
  /** The epoch its node was writable in when it acknowledged it. */
  readonly epoch: number;
  /** Already counted as lost by a fork. */
  lost: boolean;
  /** Acknowledged while its primary had no synchronous standby (durability degraded). */
  readonly degraded: boolean;
}

/** Where a promotion forked a new timeline off the old one. */
interface Fork {
  readonly epoch: number;
  readonly flushLsn: number;
  readonly node: NodeId;
}

const SPLIT_BRAIN = 'Two primaries at once means split brain: their data diverges.';

/** How many recent acknowledgements we keep to name the lost ones; the count needs no list. */
const RECENT_ACKS_KEPT = 1024;
const LOST_WRITES_NAMED = 3;

export class DatabaseChecks {
  private readonly writableSinceMs = new Map<NodeId, number>();
  /** The epoch of each node's latest `writable` event. */
  private readonly epochOf = new Map<NodeId, number>();
  private newestPromotion: Promotion | null = null;
  private readonly recentAcks: Ack[] = [];
  private recentAcksNext = 0;
  private readonly forks: Fork[] = [];
  /** "db-1@3": a node already told to acknowledge on a timeline that epoch 3 forked away from. */
  private readonly toldForsaken = new Set<string>();
  /** Nodes restored from a backup (a later promotion of one loses what came after the backup). */
  private readonly restored = new Set<NodeId>();
  /** Primaries acknowledging on their own flush alone. */
  private readonly degraded = new DegradedPrimaries();

  /** single-writer: two nodes taking writes at once, for longer than an instant (a hand-over in the same millisecond is fine in either order). */
  private readonly overlaps: OpenOverlaps<Overlap>;

  constructor(private readonly report: ReportViolation) {
    this.overlaps = new OpenOverlaps('single-writer', report, {
      ended: (overlap, endMs) => `${listOf(overlap.nodes)} both accepted writes from ${seconds(overlap.startMs)} to ${seconds(endMs)}. ${SPLIT_BRAIN}`,
      ongoing: (overlap, nowMs) => `${listOf(overlap.nodes)} have both been accepting writes since ${seconds(overlap.startMs)} (still at ${seconds(nowMs)}). ${SPLIT_BRAIN}`,
    });
  }

  observe(event: DatabaseTraceEvent | LifecycleTraceEvent | RestoreTraceEvent): void {
    this.degraded.observe(event);
    switch (event.type) {
      case 'restore':
        if (event.phase === 'done') this.restored.add(event.node);
        return;
      case 'writable':
        return event.on ? this.startWriting(event) : this.stopWriting(event.node, event.atMs, event.epoch);
      case 'down':
        return this.stopWriting(event.node, event.atMs, undefined);
      case 'write-ack': return this.onWriteAck(event);
      case 'promoted':
        this.onPromoted(event);
        this.restored.delete(event.node);
        return;
      case 'up': return;
    }
  }

  /** Overlaps still going on; a moment of overlap counts only once time has moved past it. */
  openViolations(nowMs: number): Violation[] {
    return this.overlaps.violations(nowMs);
  }

  private startWriting(event: Of<'writable'>): void {
    this.epochOf.set(event.node, event.epoch);
    if (this.writableSinceMs.has(event.node)) return;
    for (const other of this.writableSinceMs.keys()) {
      this.overlaps.add({ nodes: [other, event.node], startMs: event.atMs });
    }
    this.writableSinceMs.set(event.node, event.atMs);
  }

  private stopWriting(node: NodeId, atMs: number, epoch: number | undefined): void {
    if (epoch !== undefined) this.epochOf.set(node, epoch);
    if (!this.writableSinceMs.delete(node)) return;
    this.overlaps.close(node, atMs);
  }

  // epochs: a node acknowledges writes only in the newest epoch.
  private onWriteAck(event: Of<'write-ack'>): void {
    const ack = this.rememberAck(event);
    this.checkAckOnForsakenTimeline(ack, event.node, event.atMs);
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

  // no-acknowledged-write-lost: a promotion forks a new timeline off the promoted node's WAL at
  // its flushed LSN; every write acknowledged on an older epoch beyond that LSN will be rewound.
  // It breaks whatever the replication mode, and says why in words: under synchronous
  // replication the system broke its promise; under asynchronous replication (or a restore from
  // a backup) the run shows the price of that choice, its RPO.
  private checkNoAcknowledgedWriteLost(event: Of<'promoted'>): void {
    this.forks.push({ epoch: event.epoch, flushLsn: event.flushLsn, node: event.node });
    const lost = this.recentAcks.filter((ack) => !ack.lost && ack.epoch < event.epoch && ack.lsn > event.flushLsn);
    for (const ack of lost) ack.lost = true;
    // The ring may have forgotten older acknowledgements; the LSNs still say that some were lost.
    if (lost.length === 0 && event.highestAckedLsn <= event.flushLsn) return;
    const restored = this.restored.has(event.node);
    this.report('no-acknowledged-write-lost', {
      atMs: event.atMs,
      nodes: [event.node],
      message:
        `At ${seconds(event.atMs)} ${event.node} was promoted with its log flushed to LSN ${event.flushLsn}, ` +
        `but writes up to LSN ${Math.max(event.highestAckedLsn, ...lost.map((ack) => ack.lsn))} had been acknowledged: ` +
        `${countOf(lost)} acknowledged ${lost.length === 1 ? 'write is' : 'writes are'} lost${namedWrites(lost)}. ` +
        whyLost(event.node, event.synchronous, restored, lost.length > 0 && lost.every((ack) => ack.degraded)),
    });
  }

  // no-acknowledged-write-lost, after the fork: a node still writing on an older timeline (split
  // brain) acknowledges writes that the newer epoch's timeline never had. Told once per node and epoch.
  private checkAckOnForsakenTimeline(ack: Ack, node: NodeId, atMs: number): void {
    const fork = this.forks.find((f) => f.epoch > ack.epoch && f.flushLsn < ack.lsn);
    if (fork === undefined) return;
    ack.lost = true;
    const key = `${node}@${fork.epoch}`;
    if (this.toldForsaken.has(key)) return;
    this.toldForsaken.add(key);
    this.report('no-acknowledged-write-lost', {
      atMs,
      nodes: [node, fork.node],
      message:
        `At ${seconds(atMs)} ${node} acknowledged write ${ack.write} (LSN ${ack.lsn}) in epoch ${ack.epoch}, after ` +
        `${fork.node} had been promoted in epoch ${fork.epoch} from LSN ${fork.flushLsn}: the new timeline never ` +
        `had it, so it will be rewound. Two primaries at once (split brain) lose the losing side's writes.`,
    });
  }

  private rememberAck(event: Of<'write-ack'>): Ack {
    const ack = { write: event.write, lsn: event.lsn, epoch: this.epochOf.get(event.node) ?? 0, lost: false, degraded: this.degraded.has(event.node) };
    if (this.recentAcks.length < RECENT_ACKS_KEPT) this.recentAcks.push(ack);
    else this.recentAcks[this.recentAcksNext] = ack;
    this.recentAcksNext = (this.recentAcksNext + 1) % RECENT_ACKS_KEPT;
    return ack;
  }
}

/** Why acknowledged writes were lost, in words a learner can act on. */
function whyLost(node: NodeId, synchronous: boolean, restored: boolean, degraded: boolean): string {
  if (degraded) {
    return (
      'They were acknowledged while durability was degraded (no synchronous standby): the primary confirmed them on its own disk alone, ' +
      'as synchronous replication without strict mode does to keep taking writes, so no standby had them.'
    );
  }
  if (synchronous) return 'They were acknowledged under synchronous replication, which promises that every acknowledged write is on the promoted standby: that promise broke.';
  if (restored) return `${node} was restored from a backup: writes acknowledged after that backup are gone (the RPO of backups).`;
  return (
    `They were acknowledged before they reached ${node}, an asynchronous standby when it was promoted: ` +
    'asynchronous replication acknowledges a write before any standby has it, and this loss is its RPO.'
  );
}

/** "6", or "at least 1024" when the ring of recent acknowledgements had forgotten some. */
function countOf(lost: readonly Ack[]): string {
  return lost.length < RECENT_ACKS_KEPT ? String(lost.length) : `at least ${lost.length}`;
}

function namedWrites(lost: readonly Ack[]): string {
  if (lost.length === 0) return '';
  const sorted = [...lost].sort((x, y) => x.lsn - y.lsn);
  const named = sorted.slice(0, LOST_WRITES_NAMED).map((ack) => ack.write);
  const more = sorted.length - named.length;
  return more > 0 ? ` (among them ${named.join(', ')} and ${more} more)` : ` (${named.join(', ')})`;
}
