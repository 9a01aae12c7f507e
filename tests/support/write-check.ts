/**
 * Counts, from the trace and the final state of a run, the acknowledged writes that are truly
 * missing: acknowledged to a client, yet not in the final primary's WAL. The report's
 * `writes.lost` must say the same number; this check reads the records themselves (by write id,
 * where the final primary still keeps them) instead of the ledger's timeline arithmetic.
 */
import { Simulation } from '../../src/sim/world/simulation';
import type { DatabaseDisk } from '../../src/sim/machines/database/types';
import { entryAt, type TimelineEntry } from '../../src/sim/machines/database/wal';
import type { Report } from '../../src/sim/report/report';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';

export interface WriteCheck {
  readonly report: Report;
  readonly trace: readonly TraceEvent[];
  /** The running primary of the newest epoch at the end, or null when none runs. */
  readonly finalPrimary: string | null;
  /** Acknowledged writes missing from the final primary (null without one). */
  readonly missing: number | null;
}

export interface Acked {
  readonly write: string;
  readonly epoch: number;
  /** Who opened `epoch` by hand, where its primary's timeline says so (`TimelineEntry.openedBy`). */
  readonly openedBy?: string;
  readonly lsn: number;
}

/** The acknowledged write's epoch, opened by the same hand, is the one `history` gives the record at its LSN. */
export function onTimeline(history: readonly TimelineEntry[], ack: Acked): boolean {
  const entry = entryAt(history, ack.lsn);
  return entry !== null && entry.epoch === ack.epoch && entry.openedBy === ack.openedBy;
}

export function runAndCountMissing(scenario: Scenario, untilMs = scenario.durationMs): WriteCheck {
  const sim = new Simulation(scenario);
  sim.runUntil(untilMs);
  const trace = sim.trace;
  const report = sim.report();
  const primaries = sim.databaseDisks().filter((d): d is { id: string; up: boolean; disk: DatabaseDisk } => d.up && d.disk?.role === 'primary');
  const final = primaries.sort((a, b) => b.disk.epoch - a.disk.epoch)[0];
  if (final === undefined) return { report, trace, finalPrimary: null, missing: null };
  return { report, trace, finalPrimary: final.id, missing: missingFrom(final.disk, acknowledged(trace)) };
}

/** Every acknowledged write with the epoch its primary wrote it in. */
function acknowledged(trace: readonly TraceEvent[]): Acked[] {
  const epochOf = new Map<string, number>();
  const openedByHand = new Map<string, TimelineEntry>();
  const acked: Acked[] = [];
  for (const e of trace) {
    if (e.type === 'writable' && e.on) epochOf.set(e.node, e.epoch);
    if (e.type === 'promoted') {
      const opened = e.history?.[e.history.length - 1];
      if (opened?.openedBy !== undefined) openedByHand.set(e.node, opened);
      else openedByHand.delete(e.node);
    }
    if (e.type === 'write-ack') {
      const epoch = epochOf.get(e.node) ?? 0;
      const byHand = openedByHand.get(e.node);
      acked.push({ write: e.write, epoch, ...(byHand?.epoch === epoch && byHand.openedBy !== undefined ? { openedBy: byHand.openedBy } : {}), lsn: e.lsn });
    }
  }
  return acked;
}

/** How many of `acked` this disk lacks: not flushed, or another write (another timeline) at its LSN. */
export function missingFrom(disk: DatabaseDisk, acked: readonly Acked[]): number {
  const kept = new Map(disk.wal.map((record) => [record.lsn, record.write]));
  let missing = 0;
  for (const a of acked) {
    if (a.lsn > disk.flushLsn) missing++;
    else if (a.lsn > disk.walStartLsn) missing += kept.get(a.lsn) === a.write ? 0 : 1;
    // Recycled into the data files: only the timeline tells whose record it was.
    else missing += onTimeline(disk.history, a) ? 0 : 1;
  }
  return missing;
}
