/**
 * "Skip to the fault": an embed's reader gives it seconds, so a lesson whose first fault comes
 * later offers to play from just before it. From `FAULT_LEAD_MS` before the fault, at the embed's
 * speed (at least EMBED_SPEED simulated ms per wall ms; hurrying through quiet time only goes
 * faster), the fault is on screen within FAULT_LEAD_MS / EMBED_SPEED = 8 s of the click.
 */
import { formatMs } from '../../sim';
import { commands } from '../store/engine';
import { useSim } from '../store/sim-store';

/** How long before the first fault the skip lands: enough to see the calm before it. */
export const FAULT_LEAD_MS = 800;

/** When the scenario's first scripted event (its first fault) happens, or null when it has none. */
export function firstFaultAtMs(events: readonly { readonly atMs: number }[] | undefined): number | null {
  if (!events || events.length === 0) return null;
  return Math.min(...events.map((e) => e.atMs));
}

export function SkipToFault() {
  const faultAtMs = useSim((s) => firstFaultAtMs(s.recorded?.events));
  const nowMs = useSim((s) => s.nowMs);
  if (faultAtMs === null || nowMs >= faultAtMs - FAULT_LEAD_MS) return null;
  return (
    <button type="button" className="embed-skip" data-fault-at={faultAtMs} data-lands-at={faultAtMs - FAULT_LEAD_MS} onClick={() => commands.playFrom(faultAtMs - FAULT_LEAD_MS)}>
      <span aria-hidden="true">⏭ </span>Skip to the fault at {formatMs(faultAtMs)}
    </button>
  );
}
