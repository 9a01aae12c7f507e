// Proves the report never contradicts the run, with scenarios written from the contract: two Bully coordinators still overlapping when the run ends break single-leader; an asynchronous failover that loses acknowledged writes breaks no-acknowledged-write-lost and says why; and rto.unavailableMs is the time clients truly got no acknowledgement, whether the cause is a failover or a primary refusing writes, with the time without a primary kept apart as rto.noPrimaryMs.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';

/** The latest acknowledgement in `trace` (-1 if none): clients' writes failed from just after it. */
function lastAckAtMs(trace: readonly TraceEvent[]): number {
  return trace.reduce((latest, e) => (e.type === 'write-ack' ? Math.max(latest, e.atMs) : latest), -1);
}

function firstAckAfter(trace: readonly TraceEvent[], atMs: number): number | null {
  return trace.find((e) => e.type === 'write-ack' && e.atMs > atMs)?.atMs ?? null;
}

describe('reports that never contradict the run', () => {
  it('run 1: five Bully orchestrators split {1,2,3} | {4,5} at 6 s and never healed: single-leader broken, the overlap judged at the end of the run', () => {
    const run = scenario({
      durationMs: 30_000,
      topology: { orchestrators: 5, election: 'bully', servers: 0, database: null },
      events: [{ atMs: 6_000, do: 'partition', groups: [['orch-1', 'orch-2', 'orch-3'], ['orch-4', 'orch-5']] }],
    });
    const { report } = runScenario(run);
    const singleLeader = report.invariants.find((i) => i.name === 'single-leader')!;
    expect(singleLeader.ok).toBe(false);
    expect(singleLeader.violations[0]!.message).toMatch(/orch-5 and orch-3 have both been coordinator since [0-9.]+ s \(still at 30\.00 s\)/);
    // The same run stopped early with --until is judged at that moment instead.
    const early = runScenario(run, { untilMs: 20_000 }).report.invariants.find((i) => i.name === 'single-leader')!;
    expect(early.violations[0]!.message).toContain('(still at 20.00 s)');
  });

  it('run 2: an asynchronous standby, the primary\'s disk dies under 200 writes a second: no-acknowledged-write-lost broken, naming asynchronous replication', () => {
    const { report } = runScenario(scenario({
      durationMs: 30_000,
      topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'async' }] } },
      workload: { writesPerSec: 200 },
      events: [{ atMs: 10_000, do: 'wipe-disk', node: 'db-1' }],
    }));
    expect(report.writes.lost).toBeGreaterThan(0);
    expect(report.rpo.lostWrites).toBe(report.writes.lost);
    const check = report.invariants.find((i) => i.name === 'no-acknowledged-write-lost')!;
    expect(check.ok).toBe(false);
    expect(check.violations[0]!.message).toMatch(new RegExp(`${report.writes.lost} acknowledged writes? (is|are) lost`));
    expect(check.violations[0]!.message).toMatch(/before they reached db-2, an asynchronous standby when it was promoted: asynchronous replication .* RPO/);
    // Truly lost at the end: nothing says none is lost.
    expect(check.violations.map((v) => v.message).join(' ')).not.toMatch(/none is lost at the end/);
  });

  it('run 3: one synchronous standby, the primary\'s disk dies at 20 s: the failover takes seconds, but the report counts every second clients got no acknowledgement', () => {
    const { report, trace } = runScenario(scenario({
      durationMs: 60_000,
      topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [{ atMs: 20_000, do: 'wipe-disk', node: 'db-1' }],
    }));
    expect(report.failovers).toHaveLength(1);
    expect(report.writes.lost).toBe(0);
    expect(report.rto.noPrimaryMs).toBeLessThan(5_000);
    // The new primary, with no synchronous standby left, runs degraded and acknowledges writes
    // within seconds of its promotion; the figure says what clients saw, to within one interval
    // between writes (20 ms).
    const promotedAtMs = trace.find((e) => e.type === 'promoted')!.atMs;
    const resumedAtMs = firstAckAfter(trace, 20_000)!;
    expect(resumedAtMs - promotedAtMs).toBeLessThan(3_000);
    const clientsSawMs = resumedAtMs - (lastAckAtMs(trace.filter((e) => e.atMs <= 20_000)) + 1);
    expect(Math.abs(report.rto.unavailableMs - clientsSawMs)).toBeLessThanOrEqual(20);
    expect(report.rto.unavailableMs).toBeLessThan(8_000);
    // And the tier heals: the orchestrators replace the lost node, which is a standby by the end.
    expect(report.databases.replacements).toBe(1);
    const replacement = report.databases.recoveries[0]!;
    expect(replacement.inServiceAtMs).not.toBeNull();
    expect(report.nodes.find((n) => n.id === replacement.replacement)).toMatchObject({ up: true, role: 'standby' });
    expect(report.rto.unavailableMs).toBeGreaterThanOrEqual(report.rto.noPrimaryMs - 20);
    expect(brokenInvariants(report)).toEqual([]);
  });

  // In strict mode, so that the primary refuses writes without its synchronous standby until the
  // orchestrators' replacement is named; by default it goes on degraded
  // (tests/acceptance/degraded-sync.test.ts).
  it('run 4: the synchronous standby\'s disk dies at 15 s, no failover: downtime is what clients saw, though a primary was there all along', () => {
    const { report, trace } = runScenario(scenario({
      durationMs: 100_000,
      settings: { synchronousModeStrict: true },
      topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 50 },
      events: [{ atMs: 15_000, do: 'wipe-disk', node: 'db-2' }],
    }));
    expect(report.failovers).toEqual([]);
    expect(report.rto.noPrimaryMs).toBe(0);
    const resumedAtMs = firstAckAfter(trace, 15_000)!;
    expect(report.databases.replacements).toBe(1);
    const replacement = report.databases.recoveries[0]!.replacement;
    const named = trace.find((e) => e.type === 'sync' && e.standbys.includes(replacement));
    expect(resumedAtMs).toBeGreaterThanOrEqual(named!.atMs);
    expect(resumedAtMs).toBeLessThan(50_000);
    const clientsSawMs = resumedAtMs - (lastAckAtMs(trace.filter((e) => e.atMs <= 15_000)) + 1);
    expect(Math.abs(report.rto.unavailableMs - clientsSawMs)).toBeLessThanOrEqual(20);
    expect(report.rto.unavailableMs).toBeGreaterThan(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('a quiet workload is not downtime: one write every 5 s, all acknowledged, counts nothing', () => {
    const { report } = runScenario(scenario({
      durationMs: 30_000,
      topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'async' }] } },
      workload: { writesPerSec: 0.2 },
    }));
    expect(report.writes.acknowledged).toBeGreaterThan(4);
    expect(report.writes.rejected).toBe(0);
    expect(report.rto).toEqual({ unavailableMs: 0, noPrimaryMs: 0 });
  });
});
