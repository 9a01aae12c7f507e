/** Small formatting helpers for the failover and chart views. */

/** A moment of simulated time, "12.3 s" (or "2 min 5.0 s"). */
export function formatClock(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${((ms % 60_000) / 1000).toFixed(1)} s`;
}
