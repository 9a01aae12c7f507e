// Proves the order that keeps degraded synchronous replication safe: a primary whose synchronous
// standby is cut off goes on acknowledging writes only once the orchestrators' log holds that it
// named nobody, so when that primary then crashes, the agents never promote the cut-off standby
// (which still says it was named) short of the writes acknowledged while degraded; the old primary,
// back with its disk, is promoted again and nothing acknowledged is lost. In strict mode the same
// schedule acknowledges nothing without the standby, which is then promoted without loss.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/world/simulation';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../../support/scenario';

const CUT_MS = 5_000;
const CRASH_MS = 12_000;
const RESTART_MS = 25_000;

function schedule(strict: boolean) {
  return scenario({
    durationMs: 40_000,
    settings: { synchronousModeStrict: strict },
    topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
    workload: { writesPerSec: 50 },
    events: [
      { atMs: CUT_MS, do: 'cut', between: ['db-1', 'db-2'] },
      { atMs: CRASH_MS, do: 'crash', node: 'db-1' },
      { atMs: RESTART_MS, do: 'restart', node: 'db-1' },
    ],
  });
}

function acksBetween(trace: readonly TraceEvent[], fromMs: number, toMs: number): number {
  return trace.filter((e) => e.type === 'write-ack' && e.atMs > fromMs && e.atMs < toMs).length;
}

describe('a degraded primary crashes: the former synchronous standby is not promoted', () => {
  it('non-strict: writes acknowledged while degraded keep db-2 from being promoted; db-1 comes back as primary, nothing lost', () => {
    const sim = new Simulation(schedule(false));
    sim.runUntil(RESTART_MS - 1);
    const trace = sim.trace;
    const degradedAt = trace.find((e) => e.type === 'sync' && e.node === 'db-1' && e.standbys.length === 0)?.atMs;
    expect(degradedAt).toBeDefined();
    // Degraded within the sender timeout and one lease renewal of the cut.
    expect(degradedAt! - CUT_MS).toBeLessThan(3_500);
    expect(acksBetween(trace, degradedAt!, CRASH_MS)).toBeGreaterThan(100);
    // The cut-off standby still says it was named; the agents see the primary fail and promote nobody.
    expect(sim.nodes().find((n) => n.id === 'db-2')!.view.role).toBe('standby');
    expect(trace.some((e) => e.type === 'promoted')).toBe(false);
    expect(trace.some((e) => e.type === 'failover' && e.step === 'detect' && !e.ok)).toBe(true);

    sim.runUntil(40_000);
    const promoted = sim.trace.filter((e) => e.type === 'promoted');
    expect(promoted.map((e) => e.node)).toEqual(['db-1']);
    const report = sim.report();
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('strict: nothing is acknowledged without db-2, so db-2 is promoted when db-1 crashes, and nothing is lost', () => {
    const sim = new Simulation(schedule(true));
    sim.runUntil(40_000);
    const trace = sim.trace;
    expect(trace.some((e) => e.type === 'sync' && e.standbys.length === 0)).toBe(false);
    // A write db-2 flushed just before the cut may still be acknowledged; nothing after that.
    expect(acksBetween(trace, CUT_MS + 100, CRASH_MS)).toBe(0);
    expect(trace.find((e) => e.type === 'promoted')?.node).toBe('db-2');
    const report = sim.report();
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });
});

describe('witness mode: the witness learns of the degraded mode before the primary acknowledges alone', () => {
  it('the cut-off standby is refused the lock after the degraded primary crashes; the old primary takes it back, nothing lost', () => {
    const run = scenario({
      durationMs: 40_000,
      topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }], witness: true } },
      workload: { writesPerSec: 50 },
      events: [
        { atMs: CUT_MS, do: 'cut', between: ['db-1', 'db-2'] },
        { atMs: CRASH_MS, do: 'crash', node: 'db-1' },
        { atMs: RESTART_MS, do: 'restart', node: 'db-1' },
      ],
    });
    const sim = new Simulation(run);
    sim.runUntil(40_000);
    const trace = sim.trace;
    const degradedAt = trace.find((e) => e.type === 'sync' && e.node === 'db-1' && e.standbys.length === 0)!.atMs;
    expect(degradedAt - CUT_MS).toBeLessThan(3_500);
    expect(acksBetween(trace, degradedAt, CRASH_MS)).toBeGreaterThan(100);
    const refused = trace.find((e) => e.type === 'failover' && e.to === 'db-2' && !e.ok && e.atMs > CRASH_MS);
    expect(refused?.type === 'failover' && refused.text).toMatch(/ran degraded/);
    expect(trace.filter((e) => e.type === 'promoted').map((e) => e.node)).toEqual(['db-1']);
    const report = sim.report();
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('strict: the primary never asks to run degraded, and db-2 takes over after the crash with nothing lost', () => {
    const run = scenario({
      durationMs: 30_000,
      settings: { synchronousModeStrict: true },
      topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }], witness: true } },
      workload: { writesPerSec: 50 },
      events: [
        { atMs: CUT_MS, do: 'cut', between: ['db-1', 'db-2'] },
        { atMs: CRASH_MS, do: 'crash', node: 'db-1' },
      ],
    });
    const sim = new Simulation(run);
    sim.runUntil(30_000);
    expect(sim.trace.some((e) => e.type === 'sync' && e.standbys.length === 0)).toBe(false);
    expect(sim.trace.find((e) => e.type === 'promoted')?.node).toBe('db-2');
    expect(sim.report().writes.lost).toBe(0);
    expect(brokenInvariants(sim.report())).toEqual([]);
  });
});
