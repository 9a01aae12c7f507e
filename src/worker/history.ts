/**
 * What the page's chart draws: one sample per simulated second of the writes acknowledged and
 * rejected in that second and how far each standby is behind its primary. The session takes the
 * samples as the run passes each whole second; a seek restores them from a checkpoint of the session
 * (or re-simulates them), exactly as they were.
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

/** Where a History stood: what a checkpoint of the session keeps of it. */
export interface HistoryState {
  readonly acknowledged: number;
  readonly rejected: number;
  readonly nextAtMs: number;
  readonly samples: readonly ChartSample[];
}

/** Takes the samples of one run; `take` is called at each whole second, in order. */
export class History {
  private acknowledged = 0;
  private rejected = 0;
  /** Every sample of the run so far (a restored checkpoint sends them all again). */
  private samples: ChartSample[] = [];
  /** How many of `samples` have been drained. */
  private drained = 0;
  nextAtMs = SAMPLE_EVERY_MS;

  /** A history standing where `state` was, with all its samples still to drain. */
  static resume(state: HistoryState): History {
    const history = new History();
    history.acknowledged = state.acknowledged;
    history.rejected = state.rejected;
    history.nextAtMs = state.nextAtMs;
    history.samples = [...state.samples];
    return history;
  }

  save(): HistoryState {
    return { acknowledged: this.acknowledged, rejected: this.rejected, nextAtMs: this.nextAtMs, samples: [...this.samples] };
  }

  take(sim: Simulation): void {
    const meters = sim.meters();
    this.samples.push({
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
    const samples = this.samples.slice(this.drained);
    this.drained = this.samples.length;
    return samples;
  }
}
