// Proves that a former primary restarted just before the orchestrators' failover reaches its fence
// step is not powered off: it comes back demoted and takes no writes, says so (to the agent's
// checks, and at once to the orchestrators when it boots), and the fence step treats a node that
// answers as demoted as fenced already. The failover goes on to the standby, the restarted node
// follows the new primary, no second writer appears and no acknowledged write is lost. Tried at
// restart times from more than one health-check timeout before the fence to just after it, so the
// race is hit whatever the exact instant. Before, a node back up to half a second before the fence
// was powered off (STONITH on a node that had already stepped down) and stayed off for good.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

const CRASH_MS = 10_000;

function crashThenRestart(restartAtMs: number | null) {
  const events: Record<string, unknown>[] = [{ atMs: CRASH_MS, do: 'crash', node: 'db-1' }];
  if (restartAtMs !== null) events.push({ atMs: restartAtMs, do: 'restart', node: 'db-1' });
  return scenario({
    seed: 7,
    durationMs: 35_000,
    topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: 'dr' }] } },
    workload: { writesPerSec: 20 },
    events,
  });
}

type Failover = Extract<TraceEvent, { type: 'failover' }>;
const failoverSteps = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover');

describe('a former primary restarted just before the fence', () => {
  // When the fence comes without a restart: the moment the race is about.
  const probe = new Simulation(crashThenRestart(null));
  probe.runUntil(20_000);
  const fenceAtMs = failoverSteps(probe.trace).find((e) => e.step === 'fence')!.atMs;
  const { timeoutMs } = probe.scenario.settings.healthCheck;
  const offsets = Array.from({ length: 16 }, (_, k) => -650 + 50 * k);

  it('is found with a failover whose fence comes a few seconds after the crash', () => {
    expect(fenceAtMs).toBeGreaterThan(CRASH_MS);
    expect(offsets[0]!).toBeLessThan(-timeoutMs); // the loop starts more than one check timeout before the fence
  });

  it.each(offsets)('restarted %i ms from the fence: not powered off, one writer, nothing lost, the tier heals', (offset) => {
    const restartAtMs = Math.round(fenceAtMs + offset);
    const s = crashThenRestart(restartAtMs);
    const result = runAndCountMissing(s);
    // Once back, db-1 is never taken down again (a fence would keep it off for good).
    const downAfter = result.trace.filter((e) => e.type === 'down' && e.node === 'db-1' && e.atMs >= restartAtMs);
    expect(downAfter).toEqual([]);
    expect(failoverSteps(result.trace).filter((e) => !e.ok && e.step === 'fence')).toEqual([]);
    expect(result.finalPrimary).not.toBeNull();
    // One primary, every other node (db-1 included) streaming from it, the ledger exact and nothing lost.
    expectHealed(result, s);
  });
});
