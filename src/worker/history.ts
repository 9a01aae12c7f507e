/**
 * What the page's chart draws: one sample per simulated second of the writes acknowledged and
 * rejected in that second and how far each standby is behind its primary. The session takes the
 * samples as the run passes each whole second, so a seek (a re-simulation) rebuilds them exactly.
 */
import type { NodeId, NodeState, Simulation } from '../sim';

export const SAMPLE_EVERY_MS = 1000;

export interface ChartSample {
  /** The end of the second this sample covers. */
  readonly atMs: number;
  readonly acknowledged: number;
  readonly rejected: number;
  /** Standby → bytes behind the primary, as the primary reports it; empty when there is no primary. */
  readonly lagBytes: Readonly<Record<NodeId, number>>;
}

/** The lag of each standby streaming from the current primary. */
export function lagOf(nodes: readonly NodeState[], primary: NodeId | null): Record<NodeId, number> {
  const lag: Record<NodeId, number> = {};
  const rows = nodes.find((n) => n.id === primary && n.up)?.view.replication ?? [];
  for (const row of rows) lag[row.standby] = row.lagBytes;
  return lag;
}

/** Takes the samples of one run; `take` is called at each whole second, in order. */
export class History {
  private acknowledged = 0;
  private rejected = 0;
  private pending: ChartSample[] = [];
  nextAtMs = SAMPLE_EVERY_MS;

  take(sim: Simulation): void {
    const meters = sim.meters();
    this.pending.push({
      atMs: this.nextAtMs,
      acknowledged: meters.writes.acknowledged - this.acknowledged,
      rejected: meters.writes.rejected - this.rejected,
      lagBytes: lagOf(sim.nodes(), meters.primary),
    });
    this.acknowledged = meters.writes.acknowledged;
    this.rejected = meters.writes.rejected;
    this.nextAtMs += SAMPLE_EVERY_MS;
  }

  /** The samples taken since the last call. */
  drain(): ChartSample[] {
    const samples = this.pending;
    this.pending = [];
    return samples;
  }
}
