// Proves, through the kernel, that the orchestrators heal the database tier: a node whose disk is lost (the primary after a failover, or a standby) is replaced by a new db-K in its data centre, which copies a base backup from the primary, streams, and is the synchronous standby by the end, with nothing lost; a node down past replaceDatabaseAfterMs is replaced too, one back before that is not; the replaced machine never comes back under its old id; and with no orchestrators (a witness) nothing replaces a lost node.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { Report } from '../../src/sim/report/report';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';

type Replace = Extract<TraceEvent, { type: 'replace' }>;

interface Run {
  readonly report: Report;
  readonly trace: readonly TraceEvent[];
  readonly sim: Simulation;
}

function run(s: Scenario): Run {
  const sim = new Simulation(s);
  sim.runUntil(s.durationMs);
  return { report: sim.report(), trace: sim.trace, sim };
}

const replaceSteps = (trace: readonly TraceEvent[]) => trace.filter((e): e is Replace => e.type === 'replace');
const stepAt = (trace: readonly TraceEvent[], step: Replace['step']) => replaceSteps(trace).find((e) => e.step === step);
const acksBetween = (trace: readonly TraceEvent[], fromMs: number, toMs: number) => trace.filter((e) => e.type === 'write-ack' && e.atMs > fromMs && e.atMs <= toMs).length;
const roleOf = (r: Run, id: string) => r.sim.nodes().find((n) => n.id === id);
/** The standbys the primary names synchronous at the end, as its pg_stat_replication rows say. */
const syncRows = (r: Run) => r.sim.nodes().flatMap((n) => (n.view.role === 'primary' ? (n.view.replication ?? []).filter((row) => row.mode === 'sync').map((row) => row.standby) : []));

/** The run 3: one synchronous standby, Raft orchestrators, the primary's disk dies at 20 s, 60 s at 50 writes/s. */
const primaryDiskDies = scenario({
  title: 'the primary disk dies; the orchestrators fail over and replace it',
  durationMs: 60_000,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }] } },
  workload: { writesPerSec: 50 },
  events: [{ atMs: 20_000, do: 'wipe-disk', node: 'db-1' }],
});

describe("the primary's disk dies: failover, then a new database node", () => {
  const r = run(primaryDiskDies);

  it('promotes the synchronous standby and loses nothing', () => {
    expect(r.report.failovers).toHaveLength(1);
    expect(r.report.failovers[0]).toMatchObject({ from: 'db-1', to: 'db-2', lostWrites: 0 });
    expect(r.report.writes.lost).toBe(0);
    expect(brokenInvariants(r.report)).toEqual([]);
  });

  it('commits the replacement in the log and provisions db-3 in the same data centre', () => {
    const steps = replaceSteps(r.trace).filter((e) => e.dead === 'db-1');
    expect(steps.map((e) => e.step)).toEqual(['detect', 'decide', 'provision', 'in-service']);
    expect(steps.every((e) => e.replacement === 'db-3')).toBe(true);
    expect(stepAt(r.trace, 'detect')!.text).toMatch(/disk lost/);
    expect(r.trace.some((e) => e.type === 'apply' && e.cmd === 'db-replace db-1 db-3')).toBe(true);
    expect(r.report.nodes.find((n) => n.id === 'db-3')).toMatchObject({ region: 'mumbai', up: true, role: 'standby' });
    // Provisioned only after the failover made a healthy primary to copy from.
    expect(stepAt(r.trace, 'provision')!.atMs).toBeGreaterThan(r.report.failovers[0]!.completedAtMs!);
  });

  it('copies a base backup from the new primary, streams, and is its synchronous standby by the end', () => {
    const roles = r.trace.filter((e) => e.type === 'role' && e.node === 'db-3').map((e) => (e as Extract<TraceEvent, { type: 'role' }>).role);
    expect(roles).toContain('rebuilding');
    expect(roles.at(-1)).toBe('standby');
    expect(roleOf(r, 'db-3')?.view.role).toBe('standby');
    expect(syncRows(r)).toEqual(['db-3']);
    expect(r.report.databases.replacements).toBe(1);
    expect(r.report.databases.recoveries[0]).toMatchObject({ node: 'db-1', replacement: 'db-3', downAtMs: 20_000 });
    expect(r.report.databases.recoveries[0]!.recoveryMs).toBeLessThan(25_000);
    // Writes are acknowledged again, and keep being, once db-3 is in service.
    const inService = stepAt(r.trace, 'in-service')!.atMs;
    expect(acksBetween(r.trace, inService, 60_000)).toBeGreaterThan(40 * ((60_000 - inService) / 1000));
  });

  it('never promotes the new node, and never brings db-1 back under its id', () => {
    expect(r.trace.filter((e) => e.type === 'promoted').map((e) => e.node)).toEqual(['db-2']);
    expect(roleOf(r, 'db-1')).toMatchObject({ up: false, replacedBy: 'db-3' });
    expect(roleOf(r, 'db-3')).toMatchObject({ replaces: 'db-1' });
    const restarted = run({ ...primaryDiskDies, events: [...primaryDiskDies.events, { atMs: 50_000, do: 'restart', node: 'db-1' }] });
    const fault = restarted.trace.find((e) => e.type === 'fault' && e.atMs === 50_000);
    expect(fault).toMatchObject({ noop: expect.stringMatching(/db-1 was replaced by db-3; its machine was retired for good/) });
    expect(roleOf(restarted, 'db-1')?.up).toBe(false);
  });

  // With no synchronous standby left, the new primary runs degraded (synchronousModeStrict off)
  // and acknowledges writes at once; the replacement is named once it has caught up.
  it('acknowledges writes again within seconds of the promotion', () => {
    const completed = r.report.failovers[0]!.completedAtMs!;
    expect(acksBetween(r.trace, completed, completed + 5000)).toBeGreaterThan(100);
  });
});

describe("a standby's disk dies", () => {
  const standbyDiskDies = scenario({
    durationMs: 60_000,
    topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync', region: 'dr' }, { replication: 'async' }] } },
    workload: { writesPerSec: 50 },
    events: [{ atMs: 10_000, do: 'wipe-disk', node: 'db-2' }],
  });
  const r = run(standbyDiskDies);

  it('is replaced without a failover by db-4, in its data centre and with its replication mode', () => {
    expect(r.report.failovers).toEqual([]);
    expect(replaceSteps(r.trace).map((e) => [e.step, e.dead, e.replacement])).toEqual([
      ['detect', 'db-2', 'db-4'],
      ['decide', 'db-2', 'db-4'],
      ['provision', 'db-2', 'db-4'],
      ['in-service', 'db-2', 'db-4'],
    ]);
    expect(r.report.nodes.find((n) => n.id === 'db-4')).toMatchObject({ region: 'singapore', up: true, role: 'standby' });
    expect(syncRows(r)).toEqual(['db-4']);
    expect(r.report.writes.lost).toBe(0);
    expect(brokenInvariants(r.report)).toEqual([]);
  });
});

describe('a database node down past replaceDatabaseAfterMs', () => {
  const crashed = (restartAtMs: number | null) =>
    scenario({
      durationMs: 45_000,
      topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async' }] } },
      settings: { replaceDatabaseAfterMs: 10_000 },
      workload: { writesPerSec: 20 },
      events: [{ atMs: 5000, do: 'crash', node: 'db-3' }, ...(restartAtMs === null ? [] : [{ atMs: restartAtMs, do: 'restart', node: 'db-3' }])],
    });

  it('is replaced once it has been down that long (its disk is fine, but it does not come back)', () => {
    const r = run(crashed(null));
    const detect = stepAt(r.trace, 'detect')!;
    expect(detect).toMatchObject({ dead: 'db-3', replacement: 'db-4' });
    expect(detect.text).toMatch(/down for 1\d s/);
    expect(detect.atMs).toBeGreaterThanOrEqual(15_000);
    expect(stepAt(r.trace, 'in-service')).toMatchObject({ dead: 'db-3', replacement: 'db-4' });
    expect(roleOf(r, 'db-4')?.view.role).toBe('standby');
    expect(brokenInvariants(r.report)).toEqual([]);
  });

  it('is not replaced when it comes back first, and keeps its place', () => {
    const r = run(crashed(12_000));
    expect(replaceSteps(r.trace)).toEqual([]);
    expect(r.sim.nodes().some((n) => n.id === 'db-4')).toBe(false);
    expect(roleOf(r, 'db-3')?.view.role).toBe('standby');
  });
});

describe('with no orchestrators (a witness), nothing replaces a lost node', () => {
  it('the standby whose disk died stays down, and no new node appears', () => {
    const r = run(
      scenario({
        durationMs: 60_000,
        topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }], witness: true } },
        workload: { writesPerSec: 20 },
        events: [{ atMs: 10_000, do: 'wipe-disk', node: 'db-2' }],
      }),
    );
    expect(replaceSteps(r.trace)).toEqual([]);
    expect(r.sim.nodes().filter((n) => n.kind === 'database').map((n) => n.id)).toEqual(['db-1', 'db-2']);
    expect(roleOf(r, 'db-2')?.up).toBe(false);
    expect(r.report.databases.replacements).toBe(0);
  });
});

/** Both standbys' disks die in the same moment: two replacements are needed in one health-check round. */
const bothStandbysLost = scenario({
  title: 'both standbys lose their disks at once',
  durationMs: 60_000,
  topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async' }] } },
  workload: { writesPerSec: 10 },
  events: [
    { atMs: 10_000, do: 'wipe-disk', node: 'db-2' },
    { atMs: 10_000, do: 'wipe-disk', node: 'db-3' },
  ],
});

describe('two standbys lost at once', () => {
  const r = run(bothStandbysLost);

  it('asks for one replacement at a time, each under its own id, and never names an id it then gives to another', () => {
    const detects = replaceSteps(r.trace).filter((e) => e.step === 'detect');
    expect(detects.map((e) => [e.dead, e.replacement])).toEqual([
      ['db-2', 'db-4'],
      ['db-3', 'db-5'],
    ]);
    expect(new Set(r.trace.filter((e) => e.type === 'apply' && e.cmd.startsWith('db-replace')).map((e) => (e as { cmd: string }).cmd))).toEqual(
      new Set(['db-replace db-2 db-4', 'db-replace db-3 db-5']),
    );
  });

  it('brings both replacements into service, loses nothing and breaks no invariant', () => {
    const inService = replaceSteps(r.trace).filter((e) => e.step === 'in-service');
    expect(inService.map((e) => e.replacement).sort()).toEqual(['db-4', 'db-5']);
    expect(r.report.writes.lost).toBe(0);
    expect(brokenInvariants(r.report)).toEqual([]);
  });
});
