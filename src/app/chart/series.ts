/**
 * The chart's data, worked out from the worker's samples: buckets small enough to draw at any
 * width, the standbys that appear, and a summary of it all in words for screen readers and for
 * anyone who would rather read than look.
 */
import type { ChartSample } from '../../worker/protocol';
import { formatBytes } from '../graph/DatabaseNode';
import { formatClock } from '../failover/words';

/** At most this many bars; a longer run is grouped into buckets of several seconds. */
export const MAX_BUCKETS = 120;

export interface Bucket {
  readonly fromMs: number;
  readonly toMs: number;
  /** Writes per second, averaged over the bucket. */
  readonly acknowledged: number;
  readonly rejected: number;
  /** Standby → the largest lag in the bucket; missing when no primary streamed to it. */
  readonly lagBytes: Readonly<Record<string, number>>;
}

export function buckets(samples: readonly ChartSample[], max = MAX_BUCKETS): Bucket[] {
  const size = Math.max(1, Math.ceil(samples.length / max));
  const out: Bucket[] = [];
  for (let i = 0; i < samples.length; i += size) {
    const group = samples.slice(i, i + size);
    const lag: Record<string, number> = {};
    for (const s of group) for (const [id, bytes] of Object.entries(s.lagBytes)) lag[id] = Math.max(lag[id] ?? 0, bytes);
    const seconds = group.length;
    out.push({
      fromMs: group[0]!.atMs - 1000,
      toMs: group[group.length - 1]!.atMs,
      acknowledged: group.reduce((n, s) => n + s.acknowledged, 0) / seconds,
      rejected: group.reduce((n, s) => n + s.rejected, 0) / seconds,
      lagBytes: lag,
    });
  }
  return out;
}

export function standbysIn(samples: readonly ChartSample[]): string[] {
  const ids = new Set<string>();
  for (const s of samples) for (const id of Object.keys(s.lagBytes)) ids.add(id);
  return [...ids].sort();
}

/** The latest stretch of whole seconds in which no write was acknowledged, or null. */
export function latestOutage(samples: readonly ChartSample[]): { fromMs: number; toMs: number } | null {
  let end = -1;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i]!.acknowledged === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  let start = end;
  while (start > 0 && samples[start - 1]!.acknowledged === 0) start--;
  return { fromMs: samples[start]!.atMs - 1000, toMs: samples[end]!.atMs };
}

function lagNow(last: ChartSample): string {
  const entries = Object.entries(last.lagBytes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'No primary streams to a standby now.';
  return `Replication lag now: ${entries.map(([id, bytes]) => `${id} ${formatBytes(bytes)}`).join(', ')}.`;
}

function worstLag(samples: readonly ChartSample[]): string {
  let worst: { id: string; bytes: number; atMs: number } | null = null;
  for (const s of samples) for (const [id, bytes] of Object.entries(s.lagBytes)) if (worst === null || bytes > worst.bytes) worst = { id, bytes, atMs: s.atMs };
  if (worst === null || worst.bytes === 0) return '';
  return ` The most was ${formatBytes(worst.bytes)} (${worst.id} at ${formatClock(worst.atMs)}).`;
}

export function chartSummary(samples: readonly ChartSample[]): string {
  const last = samples[samples.length - 1];
  if (!last) return 'No whole second has passed yet.';
  const acknowledged = samples.reduce((n, s) => n + s.acknowledged, 0);
  const rejected = samples.reduce((n, s) => n + s.rejected, 0);
  const parts = [`Up to ${formatClock(last.atMs)}: ${acknowledged} writes acknowledged, ${rejected} rejected.`];
  const outage = latestOutage(samples);
  if (outage) parts.push(`No write was acknowledged from ${formatClock(outage.fromMs)} to ${formatClock(outage.toMs)}.`);
  parts.push(lagNow(last) + worstLag(samples));
  return parts.join(' ');
}
