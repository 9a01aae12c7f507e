// Proves the acceptance scenarios for the orchestrators' Raft, run through the whole engine: election, leader crash, isolation, minority commits, restart from disk.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { runScenario } from '../../src/sim/run';
import { brokenInvariants, leaders, scenario } from '../support/scenario';

const ELECTION_MAX_MS = 2000;

describe('Raft among the orchestrators, through the kernel', () => {
  it('1. three orchestrators elect one leader within a few election timeouts, and the term then stays put', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { report, trace } = runScenario(scenario({ seed, durationMs: 60_000, topology: { orchestrators: 3, servers: 0 } }));
      const elected = leaders(trace);
      expect(elected.length, `seed ${seed}`).toBeGreaterThanOrEqual(1);
      expect(elected[0]!.atMs, `seed ${seed}`).toBeLessThan(4 * ELECTION_MAX_MS);
      expect(elected.length, `seed ${seed}: no faults, so no re-election`).toBe(1);
      const terms = new Set(report.nodes.map((n) => n.term));
      expect(terms.size, `seed ${seed}: all agree on the term`).toBe(1);
      expect(brokenInvariants(report)).toEqual([]);
    }
  });

  it('2. when the leader crashes nobody campaigns before an election timeout; a leader of a higher term follows; the old one steps down on return', () => {
    const s = scenario({
      seed: 4,
      durationMs: 30_000,
      topology: { orchestrators: 3, servers: 0 },
      events: [
        { atMs: 10_000, do: 'crash', node: '@leader' },
        { atMs: 20_000, do: 'restart', node: 'orch-1' },
        { atMs: 20_000, do: 'restart', node: 'orch-2' },
        { atMs: 20_000, do: 'restart', node: 'orch-3' },
      ],
    });
    const { report, trace } = runScenario(s);
    const crash = trace.find((e) => e.type === 'fault' && e.do === 'crash')!;
    const first = leaders(trace)[0]!;
    expect(crash.type === 'fault' && crash.node).toBe(first.node);
    const campaigns = trace.filter((e) => e.type === 'role' && e.role === 'candidate' && e.atMs > 10_000);
    expect(campaigns[0]!.atMs).toBeGreaterThanOrEqual(10_000 + 1000 - 100); // min election timeout minus one heartbeat
    const next = leaders(trace).find((l) => l.atMs > 10_000)!;
    expect(next.term).toBeGreaterThan(first.term);
    expect(next.node).not.toBe(first.node);
    const oldNode = report.nodes.find((n) => n.id === first.node)!;
    expect(oldNode.up).toBe(true);
    expect(oldNode.role).toBe('follower');
    expect(report.nodes.filter((n) => n.role === 'leader')).toHaveLength(1);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('3. with the leader and one follower cut off, the lone node never becomes leader; when one returns, a leader is elected', () => {
    const sim = new Simulation(scenario({ seed: 2, durationMs: 40_000, topology: { orchestrators: 3, servers: 0 } }));
    sim.runUntil(8_000);
    const leader = sim.nodes().find((n) => n.view.role === 'leader')!;
    const lone = sim.nodes().find((n) => n.view.role !== 'leader')!;
    const others = sim.nodes().map((n) => n.id).filter((id) => id !== lone.id);
    sim.act({ do: 'crash', node: leader.id });
    for (const id of others) if (id !== leader.id) sim.act({ do: 'cut', between: [lone.id, id] });
    sim.runUntil(25_000);
    expect(sim.trace.some((e) => e.type === 'leader' && e.node === lone.id)).toBe(false);
    sim.act({ do: 'heal' });
    sim.runUntil(40_000);
    expect(sim.trace.some((e) => e.type === 'leader' && e.atMs > 25_000)).toBe(true);
    expect(brokenInvariants(sim.report())).toEqual([]);
  });

  it('4. a minority cannot commit: with 3 of 5 cut off from the leader, its proposal stays uncommitted until heal', () => {
    const sim = new Simulation(scenario({ seed: 3, durationMs: 30_000, topology: { orchestrators: 5, servers: 0 } }));
    sim.runUntil(8_000);
    const leader = sim.nodes().find((n) => n.view.role === 'leader')!.id;
    const buddy = sim.nodes().find((n) => n.id !== leader)!.id;
    sim.act({ do: 'partition', groups: [[leader, buddy], ['*']] });
    sim.act({ do: 'propose', cmd: 'minority-write' });
    sim.runUntil(15_000);
    const applied = (cmd: string) => sim.trace.filter((e) => e.type === 'apply' && e.cmd === cmd);
    expect(sim.trace.some((e) => e.type === 'propose' && e.node === leader && e.accepted && e.cmd === 'minority-write')).toBe(true);
    expect(applied('minority-write')).toHaveLength(0);
    // Without CheckQuorum the cut-off leader still believes it leads; the majority elects a newer one and commits.
    const majorityLeader = sim.trace.find((e) => e.type === 'leader' && e.atMs > 8_000 && e.node !== leader && e.node !== buddy);
    expect(majorityLeader).toBeDefined();
    expect(sim.trace.some((e) => e.type === 'commit' && e.atMs > 8_000 && e.node !== leader && e.node !== buddy)).toBe(true);
    sim.act({ do: 'heal' });
    sim.runUntil(22_000);
    sim.act({ do: 'propose', cmd: 'after-heal' });
    sim.runUntil(30_000);
    expect(new Set(applied('after-heal').map((e) => e.node)).size).toBe(5);
    expect(applied('minority-write')).toHaveLength(0); // overwritten by the majority's log, never applied
    expect(brokenInvariants(sim.report())).toEqual([]);
  });

  it('a restarted orchestrator keeps its term and log from disk; a wiped one cannot come back under its old identity', () => {
    const sim = new Simulation(scenario({ seed: 5, durationMs: 30_000, topology: { orchestrators: 3, servers: 0 }, workload: { proposalsPerSec: 5 } }));
    sim.runUntil(10_000);
    const follower = sim.nodes().find((n) => n.view.role === 'follower')!;
    const termBefore = follower.view.term;
    sim.act({ do: 'crash', node: follower.id });
    sim.act({ do: 'restart', node: follower.id });
    const after = sim.nodes().find((n) => n.id === follower.id)!;
    expect(after.view.term).toBe(termBefore);
    expect(Number(after.view.detail.logLength)).toBeGreaterThan(10);
    sim.act({ do: 'wipe-disk', node: follower.id });
    const refused = sim.act({ do: 'restart', node: follower.id });
    expect(refused.do).toBe('restart');
    const lastFault = sim.trace.filter((e) => e.type === 'fault').at(-1)!;
    expect(lastFault.type === 'fault' && lastFault.noop).toMatch(/disk/);
    expect(sim.nodes().find((n) => n.id === follower.id)!.up).toBe(false);
  });

  it('proposals flow: every command the client sends is applied on every node once the cluster is healthy', () => {
    const { trace, report } = runScenario(scenario({ seed: 8, durationMs: 20_000, topology: { orchestrators: 5, servers: 0 }, workload: { proposalsPerSec: 10 } }));
    const sent = trace.filter((e) => e.type === 'propose' && e.accepted).map((e) => (e.type === 'propose' ? e.cmd : ''));
    expect(sent.length).toBeGreaterThan(150);
    const appliedOn = (node: string) => new Set(trace.filter((e) => e.type === 'apply' && e.node === node).map((e) => (e.type === 'apply' ? e.cmd : '')));
    for (const n of report.nodes) {
      const applied = appliedOn(n.id);
      const early = sent.filter((_, i) => i < sent.length - 20); // the last ones may still be in flight at the end
      expect(early.filter((c) => !applied.has(c)), n.id).toEqual([]);
    }
  });
});
