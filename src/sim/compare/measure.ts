/**
 * Runs one comparison scenario and reads its figures: the report's RPO and RTO, and from the
 * trace what happened after the disaster (who took over, when the first write was confirmed
 * again), told in a sentence or two. Nothing here is written by hand: every number is the run's.
 */
import { runScenario } from '../run';
import type { Report } from '../report/types';
import type { Scenario } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';
import { DISASTER_AT_MS, HOUR_MS, strategyOf, type StrategyId } from './scenarios';

export interface ComparisonRow {
  readonly strategy: StrategyId;
  readonly label: string;
  /** The most acknowledged writes one recovery lost (`report.rpo.lostWrites`). */
  readonly rpoWrites: number;
  /** The span of time those writes covered (`report.rpo.lostMs`). */
  readonly rpoMs: number;
  /** Time during which clients attempted writes and none was acknowledged (`report.rto.unavailableMs`), counted to the end of the run. */
  readonly rtoMs: number;
  /** From the disaster to the first write confirmed after it; null when none was by the end of the run. */
  readonly resumedAfterMs: number | null;
  /** A database accepted writes at the end of the run. */
  readonly recovered: boolean;
  /** Every acknowledged write lost over the run (`report.writes.lost`). */
  readonly lostWrites: number;
  /** Safety properties the run broke, by name (`no-acknowledged-write-lost` wherever writes were lost). */
  readonly brokenInvariants: readonly string[];
  /** What happened, in words, from the run's own trace. */
  readonly notes: string;
}

/** What the trace says about the time after the disaster. */
interface AfterDisaster {
  firstAckMs: number | null;
  primaryBackMs: number | null;
  primaryBackNode: string | null;
  restore: { node: string; from: string; bytes: number; atMs: number } | null;
  automatic: { to: string; atMs: number } | null;
  promotedByOperator: { node: string; atMs: number } | null;
  restartedByOperator: { node: string; atMs: number } | null;
  /** Database nodes a failover powered off (fenced) after the disaster. */
  fenced: string[];
  powerBackMs: number | null;
}

function watchAfter(disasterAtMs: number): { observe: (event: TraceEvent) => void; seen: AfterDisaster } {
  const seen: AfterDisaster = { firstAckMs: null, primaryBackMs: null, primaryBackNode: null, restore: null, automatic: null, promotedByOperator: null, restartedByOperator: null, fenced: [], powerBackMs: null };
  const observe = (event: TraceEvent) => {
    if (event.atMs <= disasterAtMs) return;
    switch (event.type) {
      case 'write-ack':
        seen.firstAckMs ??= event.atMs;
        return;
      case 'writable':
        if (event.on && seen.primaryBackMs === null) [seen.primaryBackMs, seen.primaryBackNode] = [event.atMs, event.node];
        return;
      case 'restore':
        if (event.phase === 'done') seen.restore ??= { node: event.node, from: event.from, bytes: event.bytes, atMs: event.atMs };
        return;
      case 'down':
        if (event.reason.startsWith('fenced') && event.node.startsWith('db-')) seen.fenced.push(event.node);
        return;
      case 'failover':
        if (event.step === 'redirect' && event.to !== null) seen.automatic ??= { to: event.to, atMs: event.atMs };
        return;
      case 'fault':
        if (event.noop) return;
        if (event.do === 'promote' && event.node) seen.promotedByOperator ??= { node: event.node, atMs: event.atMs };
        if (event.do === 'restart' && event.node) seen.restartedByOperator ??= { node: event.node, atMs: event.atMs };
        if (event.do === 'region-up') seen.powerBackMs ??= event.atMs;
        return;
      default:
        return;
    }
  };
  return { observe, seen };
}

export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A duration for a sentence: "50 ms" below a second, else "3.0 s". */
export function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function howItRecovered(seen: AfterDisaster, disasterAtMs: number): string {
  const after = (atMs: number) => `${duration(atMs - disasterAtMs)} after the disaster`;
  if (seen.restore) {
    const tookWrites = seen.primaryBackMs === null ? '' : `; it took writes ${after(seen.primaryBackMs)}`;
    return `The operator restored ${seen.restore.node} from ${seen.restore.from} (${(seen.restore.bytes / 1000).toFixed(0)} kB copied)${tookWrites}.`;
  }
  if (seen.automatic) {
    const power = seen.powerBackMs !== null && seen.powerBackMs <= seen.automatic.atMs ? ' once the data centre had power again,' : '';
    return `The orchestrators failed over to ${seen.automatic.to} on their own,${power} ${after(seen.automatic.atMs)}.`;
  }
  if (seen.promotedByOperator) return `The operator promoted ${seen.promotedByOperator.node} ${after(seen.promotedByOperator.atMs)}.`;
  if (seen.primaryBackNode !== null && seen.primaryBackMs !== null) return `${seen.primaryBackNode} took writes again ${after(seen.primaryBackMs)}.`;
  return 'No database took writes again before the run ended.';
}

/** When writes were confirmed well after a primary came back: a synchronous primary waits for its standby. */
function howWritesResumed(seen: AfterDisaster, synchronous: boolean, disasterAtMs: number): string {
  if (seen.primaryBackMs === null) return '';
  const waiting = synchronous ? ', as the new primary waits for a synchronous standby to flush each write' : '';
  if (seen.firstAckMs === null) {
    const fenced = seen.fenced.length > 0 ? ` The failover powered ${listOf(seen.fenced)} off (fencing) and nothing started ${seen.fenced.length === 1 ? 'it' : 'them'} again.` : '';
    return ` No write was confirmed again before the run ended${waiting}.${fenced}`;
  }
  if (seen.firstAckMs - seen.primaryBackMs < 1000) return '';
  const restart = seen.restartedByOperator && seen.restartedByOperator.atMs <= seen.firstAckMs
    ? ` The operator replaced ${seen.restartedByOperator.node}'s disk ${duration(seen.restartedByOperator.atMs - disasterAtMs)} after the disaster; it rebuilt as a standby.`
    : '';
  return ` Writes were confirmed again only ${duration(seen.firstAckMs - disasterAtMs)} after the disaster${waiting}.${restart}`;
}

function lossInWords(report: Report, strategy: StrategyId): string {
  const { lostWrites, lostMs } = report.rpo;
  if (lostWrites === 0 && report.writes.lost === 0) return ' No acknowledged write was lost.';
  const scaled = strategy === 'daily-backups' || strategy === 'hourly-backups' ? `, ${(lostMs / HOUR_MS).toFixed(1)} "hours" on a real schedule` : '';
  const total = report.writes.lost > lostWrites ? ` (${report.writes.lost} over the whole run)` : '';
  const what = lostWrites === 1 ? 'write was' : 'writes were';
  return ` ${lostWrites} acknowledged ${what} lost${total}: the last ${duration(lostMs)} before the failure${scaled}.`;
}

export function measureRun(strategy: StrategyId, scenario: Scenario, disasterAtMs = DISASTER_AT_MS): ComparisonRow {
  const { observe, seen } = watchAfter(disasterAtMs);
  const { report } = runScenario(scenario, { keepTrace: false, onTrace: observe });
  const broken = report.invariants.filter((i) => !i.ok).map((i) => i.name);
  const recovered = report.nodes.some((n) => n.kind === 'database' && n.up && n.role === 'primary');
  const synchronous = scenario.topology.database?.standbys.some((s) => s.replication === 'sync') ?? false;
  const brokenNote = broken.length > 0 ? ` Safety broken: ${broken.join(', ')}.` : '';
  return {
    strategy,
    label: strategyOf(strategy).label,
    rpoWrites: report.rpo.lostWrites,
    rpoMs: report.rpo.lostMs,
    rtoMs: report.rto.unavailableMs,
    resumedAfterMs: seen.firstAckMs === null ? null : seen.firstAckMs - disasterAtMs,
    recovered,
    lostWrites: report.writes.lost,
    brokenInvariants: broken,
    notes: `${howItRecovered(seen, disasterAtMs)}${howWritesResumed(seen, synchronous, disasterAtMs)}${lossInWords(report, strategy)}${brokenNote}`,
  };
}
