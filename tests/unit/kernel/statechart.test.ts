// Proves the live statechart's core: the outline is read from the machine definition (Raft's four roles, follower first, the election timer's guarded way to candidate, in-place handlers left out), nested values become state paths, and a running node reports its current state and the move that got it there, named by the event that caused it, from follower through candidate to leader when the leader crashes. The failover agent's states are its plan's steps, each naming the moves it takes (no hub state): in failover-primary-crash the leading agent goes watching → confirming → fencing → promoting → done, the moves of one instant kept in order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { Simulation } from '../../../src/sim';
import { activePaths, statechartOutline, statechartsFor } from '../../../src/sim/machines/statechart';
import { raftProgram } from '../../../src/sim/machines/raft/program';
import { agentProgram } from '../../../src/sim/machines/orchestrator/program';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import { scenario } from '../../support/scenario';

describe('a machine outline', () => {
  it('lists Raft’s roles from its definition, with follower as the initial state', () => {
    const outline = statechartOutline(raftProgram.machine);
    expect(outline.id).toBe('raft');
    expect(outline.states.map((s) => s.path)).toEqual(['follower', 'precandidate', 'candidate', 'leader']);
    expect(outline.states.filter((s) => s.initial).map((s) => s.key)).toEqual(['follower']);
  });

  it('keeps the transitions that move the chart, with their event and guard in words', () => {
    const follower = statechartOutline(raftProgram.machine).states.find((s) => s.key === 'follower')!;
    expect(follower.transitions).toContainEqual({ event: 'timer', guard: 'election timer', targets: ['candidate'] });
    expect(follower.transitions).toContainEqual({ event: 'timer', guard: 'election timer and pre vote enabled', targets: ['precandidate'] });
    // Answering a vote request or an append happens in place: no arrow for it.
    expect(follower.transitions.every((t) => t.targets.length > 0)).toBe(true);
    const candidate = statechartOutline(raftProgram.machine).states.find((s) => s.key === 'candidate')!;
    expect(candidate.transitions).toContainEqual({ event: 'always', guard: 'vote majority', targets: ['leader'] });
  });

  it('nests child states and names them by path', () => {
    const machine = createMachine({
      id: 'toy',
      initial: 'running',
      states: { running: { initial: 'fencing', states: { fencing: { on: { done: 'promoting' } }, promoting: { type: 'final' } } }, stopped: {} },
    });
    const [running] = statechartOutline(machine).states;
    expect(running!.states.map((s) => [s.path, s.initial, s.final])).toEqual([
      ['running.fencing', true, false],
      ['running.promoting', false, true],
    ]);
    expect(running!.states[0]!.transitions).toEqual([{ event: 'done', guard: null, targets: ['running.promoting'] }]);
    expect(activePaths({ running: 'fencing' })).toEqual(['running.fencing']);
    expect(activePaths({ a: 'x', b: { c: 'y' } })).toEqual(['a.x', 'b.c.y']);
  });

  it('gives a scenario one outline per machine it runs', () => {
    const s = scenario({ topology: { orchestrators: 3, servers: 0 } });
    expect(Object.keys(statechartsFor(s.topology, ['orchestrator', 'orchestrator']))).toEqual(['raft']);
  });
});

describe('a running node’s statechart', () => {
  it('follows a follower to candidate and leader after the leader crashes, naming the events', () => {
    const sim = new Simulation(scenario({ seed: 4, durationMs: 30_000, topology: { orchestrators: 3, servers: 0 } }));
    sim.runUntil(8_000);
    const leader = sim.nodes().find((n) => n.view.role === 'leader')!;
    const follower = sim.nodes().find((n) => n.view.role === 'follower')!;
    expect(follower.statecharts).toEqual([expect.objectContaining({ chart: 'raft', active: ['follower'] })]);
    sim.act({ do: 'crash', node: leader.id });
    expect(sim.nodes().find((n) => n.id === leader.id)!.statecharts).toBeUndefined();

    const moves: string[] = [];
    for (let t = 8_000; t <= 20_000; t += 5) {
      sim.runUntil(t);
      for (const n of sim.nodes()) {
        const last = n.statecharts?.[0]?.last;
        const move = last ? `${n.id}: ${last.from.join()} → ${last.to.join()} on ${last.event}` : '';
        if (last && last.atMs > 8_000 && !moves.includes(move)) moves.push(move);
      }
    }
    expect(moves.some((m) => /: follower → candidate on timer election$/.test(m))).toBe(true);
    expect(moves.some((m) => /: candidate → leader on RequestVoteReply from orch-\d$/.test(m))).toBe(true);
    const newLeader = sim.nodes().find((n) => n.view.role === 'leader')!;
    expect(newLeader.statecharts![0]!.active).toEqual(['leader']);
  });
});

describe('the failover agent’s statechart', () => {
  it('has the steps of a failover as states, each naming the moves it takes and where they lead', () => {
    const outline = statechartOutline(agentProgram.machine);
    expect(outline.states.map((s) => s.key)).toEqual(['watching', 'confirming', 'resuming', 'draining', 'fencing', 'fence-failed', 'lease-wait', 'promoting', 'done', 'following']);
    expect(outline.states.filter((s) => s.initial).map((s) => s.key)).toEqual(['watching']);
    const state = (key: string) => outline.states.find((s) => s.key === key)!;
    const targets = (key: string) => Object.fromEntries(state(key).transitions.map((t) => [t.event, t.targets.join()]));
    // No passing-through hub, no eventless transition: every move is named, from the state it leaves.
    expect(outline.states.flatMap((s) => s.transitions).filter((t) => t.event === 'always' || t.targets.includes('next-step'))).toEqual([]);
    expect(targets('watching')).toMatchObject({ proposed: 'confirming', 'plan-in-log': 'following' });
    expect(targets('confirming')).toMatchObject({ 'fence-asked': 'fencing', 'lease-awaited': 'lease-wait', 'promote-sent': 'promoting', 'drain-asked': 'draining', forgotten: 'watching' });
    expect(targets('fencing')).toEqual({ 'fence-result': 'fence-failed', 'promote-sent': 'promoting', redirected: 'done', completed: 'done', abandoned: 'watching', 'stepped-down': 'following', resumed: 'resuming' });
    // A refused fence is an event the state takes under a guard, straight to `fence-failed`.
    expect(state('fencing').transitions).toContainEqual({ event: 'fence-result', guard: 'fence refused', targets: ['fence-failed'] });
    expect(targets('fence-failed')).toMatchObject({ 'fence-asked': 'fencing', 'promote-sent': 'promoting' });
    expect(targets('promoting')).toMatchObject({ redirected: 'done' });
    expect(targets('promoting')).not.toHaveProperty('fence-asked');
    expect(targets('following')).toEqual({ resumed: 'resuming', completed: 'done' });
  });

  it('steps through confirm, fence, promote and done when the primary crashes', () => {
    const parsed = parseScenarioText(readFileSync(new URL('../../../public/scenarios/failover-primary-crash.json', import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error('the bundled scenario does not parse');
    const sim = new Simulation(parsed.scenario);
    const moves = new Map<string, { node: string; atMs: number; move: string }>();
    for (let t = 9_000; t <= 16_000; t += 50) {
      sim.runUntil(t);
      for (const n of sim.nodes()) {
        const agent = n.statecharts?.find((c) => c.chart === agentProgram.machine.id);
        for (const m of agent?.recent ?? []) {
          const move = `${m.from.join()} → ${m.to.join()}`;
          if (m.from.length > 0) moves.set(`${n.id} ${m.atMs} ${move}`, { node: n.id, atMs: m.atMs, move });
        }
      }
    }
    const of = (node: string) => [...moves.values()].filter((m) => m.node === node);
    const leader = [...moves.values()].find((m) => m.move === 'watching → confirming')!.node;
    expect(of(leader).map((m) => m.move)).toEqual(['watching → confirming', 'confirming → fencing', 'fencing → promoting', 'promoting → done']);
    // The commit, the fence and its answer come in one instant: the view keeps each of those moves.
    expect(of(leader)[1]!.atMs).toBe(of(leader)[2]!.atMs);
    // The other agents know of the plan from the log, and leave it to the leader.
    for (const node of ['orch-1', 'orch-2', 'orch-3'].filter((id) => id !== leader)) {
      expect(of(node).map((m) => m.move)).toEqual(['watching → following', 'following → done']);
    }
  });
});
