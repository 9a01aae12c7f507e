// Proves self-healing orchestration end to end through the kernel, on the article's three failure
// scenarios and the watcher problem: a dead API server is replaced by its worker and the load
// balancer takes the replacement; a dead worker is replaced by the leader through membership
// changes and its servers handed on; a dead leader is succeeded by an elected one that finishes
// its duties; a single orchestrator that dies leaves later deaths unrepaired, and the trace says so;
// a replacement committed late is skipped while the member still answers, and a replacement only
// proposed is not counted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, leaders, scenario } from '../support/scenario';

function preset(id: string) {
  const parsed = parseScenarioText(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function replaceSteps(trace: readonly TraceEvent[], dead: string) {
  return trace.flatMap((e) => (e.type === 'replace' && e.dead === dead ? [{ step: e.step, atMs: e.atMs, by: e.node, replacement: e.replacement }] : []));
}

function applied(trace: readonly TraceEvent[], node: string): string[] {
  return trace.flatMap((e) => (e.type === 'apply' && e.node === node ? [e.cmd] : []));
}

// Defaults: a check every 1000 ms, 500 ms to answer, 3 in a row; a new machine in 5000 ms.
const DETECT_MAX_MS = 3 * 1000 + 500;
const PROVISION_MS = 5000;

describe('self-healing orchestration, through the kernel', () => {
  it('a server dies: its worker replaces it, the load balancer takes the replacement, and clients only retry', () => {
    const { report, trace } = runScenario(preset('servers-server-dies'));
    expect(brokenInvariants(report)).toEqual([]);
    expect(report.servers.replacements).toBe(1);
    const [recovery] = report.servers.recoveries;
    expect(recovery).toMatchObject({ node: 'api-2', replacement: 'api-4', downAtMs: 8000 });
    expect(recovery!.detectedAtMs! - 8000).toBeLessThanOrEqual(DETECT_MAX_MS);
    // Death → detected → committed → provisioned (5 s) → answers → in rotation.
    expect(recovery!.recoveryMs).toBeGreaterThanOrEqual(PROVISION_MS);
    expect(recovery!.recoveryMs).toBeLessThanOrEqual(DETECT_MAX_MS + PROVISION_MS + 1500);
    expect(replaceSteps(trace, 'api-2').map((s) => s.step)).toEqual(['detect', 'decide', 'provision', 'in-service']);
    // The worker that replaced it is a worker, not the leader.
    const leader = leaders(trace)[0]!.node;
    expect(replaceSteps(trace, 'api-2')[0]!.by).not.toBe(leader);
    // A crashed server costs only what it held: almost every write still succeeds, with retries; nothing acknowledged is lost.
    expect(report.requests.retried).toBeGreaterThan(0);
    expect(report.writes.acknowledged).toBeGreaterThanOrEqual(report.writes.attempted - 5);
    expect(report.writes.lost).toBe(0);
    const inRotation = trace.filter((e) => e.type === 'backend' && e.in && e.server === 'api-4');
    expect(inRotation).toHaveLength(1);
    expect(report.nodes.find((n) => n.id === 'api-4')).toMatchObject({ kind: 'server', up: true, role: 'serving' });
  });

  it('a worker dies: the leader replaces it through single-server membership changes and hands on its servers', () => {
    const { report, trace } = runScenario(preset('servers-worker-dies'));
    expect(brokenInvariants(report)).toEqual([]);
    expect(leaders(trace).map((l) => l.node)).toEqual(['orch-1']);
    expect(report.orchestrators.replacements).toBe(1);
    expect(report.orchestrators.recoveries[0]).toMatchObject({ node: 'orch-2', replacement: 'orch-4', downAtMs: 5000 });
    expect(report.orchestrators.recoveries[0]!.inServiceAtMs).not.toBeNull();
    // The configuration changes one server at a time: orch-2 out, then orch-4 in.
    const log = applied(trace, 'orch-3');
    const removeAt = log.indexOf('config remove orch-2');
    const addAt = log.indexOf('config add orch-4');
    expect(removeAt).toBeGreaterThanOrEqual(0);
    expect(addAt).toBeGreaterThan(removeAt);
    // orch-2's servers were assigned to orch-3 before orch-4 joined.
    const reassigned = log.filter((cmd, i) => i < addAt && /^assign api-\d+ orch-3$/.test(cmd));
    expect(reassigned.length).toBeGreaterThan(0);
    // The new member caught up: it applied the same log.
    expect(applied(trace, 'orch-4')).toContain('config add orch-4');
    // And the healed cluster still replaces a dead server (api-1 at 20 s).
    expect(report.servers.recoveries.map((r) => r.node)).toEqual(['api-1']);
    expect(report.servers.recoveries[0]!.inServiceAtMs).not.toBeNull();
  });

  it('the leader dies: a new leader is elected and takes over its duties, replacing the old leader and a server', () => {
    const { report, trace } = runScenario(preset('servers-leader-dies'));
    expect(brokenInvariants(report)).toEqual([]);
    const elected = leaders(trace);
    expect(elected).toHaveLength(2);
    const [first, second] = elected;
    expect(second!.term).toBeGreaterThan(first!.term);
    expect(report.orchestrators.recoveries[0]).toMatchObject({ node: first!.node, downAtMs: 5000 });
    expect(replaceSteps(trace, first!.node)[0]!.by).toBe(second!.node);
    expect(report.servers.recoveries).toHaveLength(1);
    expect(report.servers.recoveries[0]).toMatchObject({ node: 'api-1', downAtMs: 15_000 });
    expect(report.servers.recoveries[0]!.inServiceAtMs).not.toBeNull();
  });

  it('the watcher problem: once the only orchestrator is dead, a dead server is never replaced, and the trace says why', () => {
    const { report, trace } = runScenario(preset('servers-watcher-problem'));
    expect(brokenInvariants(report)).toEqual([]);
    // Before orch-1 dies, it heals; after, nothing does.
    expect(report.servers.recoveries.map((r) => r.node)).toEqual(['api-1']);
    expect(report.nodes.find((n) => n.id === 'api-2')).toMatchObject({ up: false });
    expect(replaceSteps(trace, 'api-2')).toEqual([]);
    const said = trace.filter((e) => e.type === 'unwatched');
    expect(said.map((e) => [e.atMs, e.node])).toEqual([
      [15_000, 'orch-1'],
      [20_000, 'api-2'],
    ]);
    expect(said[1]!.type === 'unwatched' && said[1]!.text).toMatch(/Nobody will replace api-2.*orch-1.*down/);
  });

  it('a server crash fails only the requests it held: with two servers left, the other requests never notice', () => {
    const { report } = runScenario(
      scenario({
        durationMs: 12_000,
        topology: { orchestrators: 3, servers: 3, database: null },
        workload: { requestsPerSec: 50 },
        events: [{ atMs: 6000, do: 'crash', node: 'api-3' }],
      }),
    );
    // 600 requests; those sent to api-3 before the load balancer took it out are retried on another server, and succeed.
    expect(report.requests.attempted).toBe(600);
    expect(report.requests.served).toBeGreaterThanOrEqual(600 - 2); // the last two are still on their way at the end
    expect(report.requests.failed).toBe(0);
    expect(report.requests.retried).toBeGreaterThan(0);
  });

  it('Bully next to Raft: the same partition gives Bully two coordinators and Raft one leader, and single-leader says so', () => {
    const bully = runScenario(preset('bully-partition')).report;
    const raft = runScenario(preset('raft-same-partition')).report;
    const singleLeader = (r: typeof bully) => r.invariants.find((i) => i.name === 'single-leader')!;
    expect(singleLeader(bully).ok).toBe(false);
    expect(singleLeader(bully).violations[0]!.message).toMatch(/orch-5 and orch-2 were both coordinator .*Bully asks no majority/);
    expect(brokenInvariants(bully).map((b) => b.split(':')[0])).toEqual(['single-leader']);
    expect(brokenInvariants(raft)).toEqual([]);
    // The same partition, the same nodes on each side: only the election algorithm differs.
    expect(preset('raft-same-partition').events).toEqual(preset('bully-partition').events);
  });

  it('without API servers the orchestrators do nothing new: no agent duties, no extra traffic', () => {
    const { trace } = runScenario(scenario({ durationMs: 5000, topology: { orchestrators: 3, servers: 0, database: null } }));
    expect(trace.some((e) => e.type === 'assign' || e.type === 'replace')).toBe(false);
  });
});

describe('duties re-check their reason when they commit', () => {
  // Each orchestrator alone: the cut-off leader orch-3 proposes to replace orch-1 and orch-2, and
  // orch-1 to replace api-1, none of which commits then. orch-2's disk is wiped before the heal.
  // orch-3 wins again later and commits its old "replace orch-1" although orch-1 is alive.
  const stale = (events: readonly Record<string, unknown>[] = []) =>
    scenario({
      durationMs: 45_000,
      topology: { orchestrators: 3, election: 'raft', servers: 1, database: null },
      events: [
        { atMs: 3000, do: 'partition', groups: [['orch-1'], ['orch-2'], ['orch-3']] },
        { atMs: 10_000, do: 'wipe-disk', node: 'orch-2' },
        { atMs: 12_000, do: 'heal' },
        ...events,
      ],
    });

  it('a replacement committed late is skipped while the member answers; the wiped member is replaced and the cluster keeps committing', () => {
    const { report, trace } = runScenario(stale([{ atMs: 40_000, do: 'propose', cmd: 'hello' }]));
    expect(replaceSteps(trace, 'orch-1').map((s) => s.step)).toEqual(expect.arrayContaining(['decide', 'skip']));
    expect(replaceSteps(trace, 'orch-1').map((s) => s.step)).not.toContain('provision');
    expect(applied(trace, 'orch-3')).not.toContain('config remove orch-1');
    expect(applied(trace, 'orch-3')).toContain('config remove orch-2');
    expect(report.orchestrators.recoveries).toEqual([expect.objectContaining({ node: 'orch-2' })]);
    // The cluster still commits: the client's command is applied on a majority.
    const appliedHello = new Set(trace.flatMap((e) => (e.type === 'apply' && e.cmd === 'hello' ? [e.node] : [])));
    expect(appliedHello.size).toBeGreaterThanOrEqual(2);
    expect(appliedHello.has('orch-1')).toBe(true);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('servers.replacements counts replacements made, not a replacement only proposed by a cut-off worker', () => {
    const { report, trace } = runScenario(stale());
    expect(replaceSteps(trace, 'api-1').map((s) => s.step)).toContain('detect');
    expect(report.servers).toEqual({ replacements: 0, recoveries: [] });
    const crashed = runScenario(stale([{ atMs: 30_000, do: 'crash', node: 'api-1' }]));
    expect(crashed.report.servers.replacements).toBe(1);
    // The record starts at this death, not at the proposal that never committed at 5.5 s.
    expect(crashed.report.servers.recoveries[0]).toMatchObject({ node: 'api-1', downAtMs: 30_000 });
    expect(crashed.report.servers.recoveries[0]!.detectedAtMs).toBeGreaterThan(30_000);
  });
});
