/**
 * The kernel inside the world (world/simulation.ts), hosting a toy machine (toy.ts) instead of the
 * world's protocols: its queue, timers, network, effect dispatch, crash and restart, and trace
 * stamping, each shown with a machine of a few lines whose behaviour each test writes, driven the
 * way a scenario drives a run (its events, `act`). The kernel alone, with no world at all, and what
 * a world module registers with it are in registration.test.ts.
 *
 * The world picks each node's program from `machines/registry.ts` by the node's kind, and the
 * kinds and ids come from the scenario's topology (`scenario/nodes.ts`), a closed list; so the toy
 * is put in the registry's place for the orchestrators (vi.mock), and plays three orchestrators of
 * a topology with no database and no API servers (no companion agent, no workload). Any trace it
 * writes must be one of the world's `NodeTrace` types (it uses `role` with term 0, which the
 * safety checks accept as harmless).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { resetBehaviour, say, toy } from './toy';

vi.mock('../../../src/sim/machines/registry', async () => {
  const { toyProgram } = await import('./toy');
  return { programFor: () => toyProgram, companionFor: () => null };
});

// The world is imported after the mock is declared (vi.mock is hoisted above imports anyway).
const { Simulation } = await import('../../../src/sim/world/simulation');

// ---- helpers ---------------------------------------------------------------------------------

function world(events: unknown[] = [], more: Record<string, unknown> = {}): Scenario {
  const parsed = parseScenario({
    version: 1,
    seed: 11,
    durationMs: 10_000,
    topology: { orchestrators: 3, election: 'raft', servers: 0, database: null },
    events,
    ...more,
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** The toy's own lines: `atMs node what`. */
function toyLines(trace: readonly TraceEvent[]): string[] {
  return trace.flatMap((e) => (e.type === 'role' && e.role === 'toy' ? [`${e.atMs} ${e.node} ${e.reason}`] : []));
}

function run(scenario: Scenario, untilMs = 1_000) {
  const sim = new Simulation(scenario);
  sim.runUntil(untilMs);
  return sim;
}

beforeEach(resetBehaviour);

// ---- the tests -------------------------------------------------------------------------------

describe('the kernel hosting a toy machine', () => {
  it('boots every node of the topology and stamps each trace line with the time and the node', () => {
    toy.behaviour.start = (ctx) => [say(`booted with peers ${ctx.peers.join(',')}`)];
    const sim = run(world(), 0);
    expect(toyLines(sim.trace)).toEqual(['0 orch-1 booted with peers orch-2,orch-3', '0 orch-2 booted with peers orch-1,orch-3', '0 orch-3 booted with peers orch-1,orch-2']);
    expect(sim.trace.filter((e) => e.type === 'up').map((e) => e.node)).toEqual(['orch-1', 'orch-2', 'orch-3']);
    expect(sim.nodes().map((n) => [n.id, n.kind, n.up, n.view.role])).toEqual([
      ['orch-1', 'orchestrator', true, 'toy'],
      ['orch-2', 'orchestrator', true, 'toy'],
      ['orch-3', 'orchestrator', true, 'toy'],
    ]);
  });

  it('fires a timer after its delay, a re-armed one only at its last arming, a cancelled one never', () => {
    toy.behaviour.start = (ctx) =>
      ctx.id === 'orch-1'
        ? [
            { type: 'set-timer', name: 'tick', afterMs: 100 },
            { type: 'set-timer', name: 'again', afterMs: 50 },
            { type: 'set-timer', name: 'again', afterMs: 70 },
            { type: 'set-timer', name: 'never', afterMs: 30 },
            { type: 'cancel-timer', name: 'never' },
          ]
        : [];
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(`timer ${event.name}`)] : []);
    expect(toyLines(run(world()).trace)).toEqual(['70 orch-1 timer again', '100 orch-1 timer tick']);
  });

  it('never fires a timer at zero delay: the kernel rounds it up to 1 ms', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'now', afterMs: 0 }] : []);
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(event.name)] : []);
    expect(toyLines(run(world()).trace)).toEqual(['1 orch-1 now']);
  });

  it('draws a random timer within its bounds from the node\'s own seeded stream: the same seed, the same times', () => {
    toy.behaviour.start = () => [{ type: 'set-random-timer', name: 'jitter', minMs: 200, maxMs: 400 }];
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(event.name)] : []);
    const first = toyLines(run(world()).trace);
    expect(first).toHaveLength(3);
    for (const line of first) {
      const atMs = Number(line.split(' ')[0]);
      expect(atMs).toBeGreaterThanOrEqual(200);
      expect(atMs).toBeLessThanOrEqual(400);
    }
    expect(toyLines(run(world()).trace)).toEqual(first);
  });

  it('delivers a message after the link\'s latency, with its sender, and counts it', () => {
    // Sent from a timer, once every node is up.
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'send', afterMs: 100 }] : []);
    toy.behaviour.on = (_ctx, event) =>
      event.type === 'timer' ? [{ type: 'send', to: 'orch-2', msg: { type: 'Ping' } }] : event.type === 'message' ? [say(`${event.msg.type} from ${event.from}`)] : [];
    const sim = run(world());
    const lines = toyLines(sim.trace);
    expect(lines).toHaveLength(1);
    const [atMs, node, ...words] = lines[0]!.split(' ');
    expect(Number(atMs)).toBeGreaterThanOrEqual(101); // the default same-data-centre latency, 1–5 ms
    expect(Number(atMs)).toBeLessThanOrEqual(105);
    expect([node, words.join(' ')]).toEqual(['orch-2', 'Ping from orch-1']);
    expect(sim.report().stats).toMatchObject({ messages: 1, dropped: 0 });
  });

  it('performs a machine\'s effects in the order it emitted them, answers included', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'go', afterMs: 100 }] : []);
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer') return [say('first'), { type: 'send', to: 'orch-2', msg: { type: 'Ping' } }, say('second')];
      if (event.type === 'message' && event.msg.type === 'Ping') return [{ type: 'send', to: event.from, msg: { type: 'Pong' } }];
      return event.type === 'message' ? [say(`${ctx.id} got ${event.msg.type}`)] : [];
    };
    const lines = toyLines(run(world()).trace).map((l) => l.split(' ').slice(1).join(' '));
    expect(lines).toEqual(['orch-1 first', 'orch-1 second', 'orch-1 orch-1 got Pong']);
  });

  it('drops a message across a partition and says nothing to either side', () => {
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer') return [{ type: 'send', to: 'orch-3', msg: { type: 'Ping' } }];
      if (event.type === 'message') return [say(`${ctx.id} got ${event.msg.type}`)];
      return [];
    };
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'send', afterMs: 200 }] : []);
    const sim = run(world([{ atMs: 100, do: 'partition', groups: [['orch-1'], ['*']] }]));
    expect(toyLines(sim.trace)).toEqual([]);
    expect(sim.report().stats).toMatchObject({ messages: 1, dropped: 1 });
  });

  it('keeps a crashed node\'s disk for its restart, forgets the timers of its earlier life, and drops what arrives while it is down', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-2' ? [say(`boot ${ctx.disk.boots}, got ${ctx.disk.got.join(' ') || 'nothing'}`), { type: 'set-timer', name: 'late', afterMs: 300 }] : []);
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer' && event.name === 'late') return [say(`late timer of boot ${ctx.disk.boots}`)];
      if (event.type === 'timer' && ctx.id === 'orch-1') return [{ type: 'send', to: 'orch-2', msg: { type: event.name } }];
      return [];
    };
    const original = toy.behaviour.start;
    toy.behaviour.start = (ctx) => [...original(ctx), ...(ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'Hello', afterMs: 50 } as const, { type: 'set-timer', name: 'Lost', afterMs: 200 } as const] : [])];
    const sim = run(
      world([
        { atMs: 100, do: 'crash', node: 'orch-2' },
        { atMs: 250, do: 'restart', node: 'orch-2' },
      ]),
    );
    expect(toyLines(sim.trace)).toEqual([
      '0 orch-2 boot 1, got nothing',
      '250 orch-2 boot 2, got orch-1:Hello', // Lost arrived while it was down; the timer of boot 1 (due at 300) never fires
      '550 orch-2 late timer of boot 2',
    ]);
    expect(sim.trace.filter((e) => e.node === 'orch-2' && (e.type === 'down' || e.type === 'up')).map((e) => `${e.atMs} ${e.type}`)).toEqual(['0 up', '100 down', '250 up']);
  });

  it('boots a node whose disk was wiped with nothing, and says so in its input', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-3' ? [say(`boot ${ctx.disk.boots}${ctx.wiped ? ', wiped' : ''}`)] : []);
    const sim = new Simulation(world());
    sim.runUntil(100);
    sim.act({ do: 'crash', node: 'orch-3' });
    sim.act({ do: 'restart', node: 'orch-3' });
    sim.runUntil(200);
    sim.act({ do: 'wipe-disk', node: 'orch-3' });
    sim.runUntil(300);
    // A wiped node cannot come back under its old identity.
    sim.act({ do: 'restart', node: 'orch-3' });
    expect(toyLines(sim.trace)).toEqual(['0 orch-3 boot 1', '100 orch-3 boot 2']);
    expect(sim.trace.at(-1)).toMatchObject({ type: 'fault', do: 'restart', node: 'orch-3', noop: expect.any(String) });
  });

  it('runs a scenario event after the system\'s own work at the same millisecond', () => {
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'at-100', afterMs: 100 }] : []);
    toy.behaviour.on = (_ctx, event) => (event.type === 'timer' ? [say(event.name)] : []);
    const sim = run(world([{ atMs: 100, do: 'crash', node: 'orch-1' }]));
    const order = sim.trace.filter((e) => e.atMs === 100).map((e) => (e.type === 'role' ? 'timer' : e.type));
    expect(order).toEqual(['timer', 'fault', 'down']);
  });

  it('gives the same trace for the same scenario and seed, and stands at the time asked', () => {
    toy.behaviour.start = (ctx) => [{ type: 'set-random-timer', name: 'gossip', minMs: 10, maxMs: 90 }, say(`up ${ctx.id}`)];
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer') {
        const to = ctx.peers[ctx.disk.got.length % ctx.peers.length]!;
        return [{ type: 'send', to, msg: { type: 'Gossip' } }, { type: 'set-random-timer', name: 'gossip', minMs: 10, maxMs: 90 }];
      }
      return event.type === 'message' ? [say(`${ctx.id} heard ${event.from}`)] : [];
    };
    const a = run(world([{ atMs: 400, do: 'partition', groups: [['orch-1'], ['*']] }, { atMs: 700, do: 'heal' }]), 2_000);
    const b = run(world([{ atMs: 400, do: 'partition', groups: [['orch-1'], ['*']] }, { atMs: 700, do: 'heal' }]), 2_000);
    expect(a.trace.length).toBeGreaterThan(50);
    expect(b.trace).toEqual(a.trace);
    expect(a.nowMs).toBe(2_000);
    const times = a.trace.map((e) => e.atMs);
    expect(times).toEqual([...times].sort((x, y) => x - y));
  });

  it('delivers a message sent while booting to a peer that boots later in the same millisecond', () => {
    // The three nodes boot at 0 in the topology's order; orch-3 greets orch-1, up already, and
    // orch-1 greets orch-2 and orch-3, which are not up yet but will be long before it arrives.
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-3' ? [] : [{ type: 'send', to: ctx.id === 'orch-1' ? 'orch-2' : 'orch-3', msg: { type: `Hello-from-${ctx.id}` } }]);
    toy.behaviour.on = (_ctx, event) => (event.type === 'message' ? [say(`got ${event.msg.type}`)] : []);
    const sim = run(world());
    expect(toyLines(sim.trace).map((l) => l.split(' ').slice(1).join(' ')).sort()).toEqual(['orch-2 got Hello-from-orch-1', 'orch-3 got Hello-from-orch-2']);
    expect(sim.report().stats).toMatchObject({ messages: 2, dropped: 0 });
  });

  it('delivers a message sent to a down node only if it restarts in the millisecond it was sent, never to a later restart', () => {
    // orch-1 sends at 200 and at 300 to orch-2, crashed at 100; the link takes 10 ms, so both would
    // arrive after a restart. The one of 200 meets a restart at 200 (a scenario event runs after
    // the system's work of that millisecond); the one of 300 a crash at 300 and a restart at 301.
    toy.behaviour.start = (ctx) => (ctx.id === 'orch-1' ? [{ type: 'set-timer', name: 'a', afterMs: 200 }, { type: 'set-timer', name: 'b', afterMs: 300 }] : []);
    toy.behaviour.on = (ctx, event) => {
      if (event.type === 'timer') return [{ type: 'send', to: 'orch-2', msg: { type: `Ping-${event.name}` } }];
      return event.type === 'message' ? [say(`${ctx.id} got ${event.msg.type}`)] : [];
    };
    const events = [
      { atMs: 100, do: 'crash', node: 'orch-2' },
      { atMs: 200, do: 'restart', node: 'orch-2' },
      { atMs: 300, do: 'crash', node: 'orch-2' },
      { atMs: 301, do: 'restart', node: 'orch-2' },
    ];
    const sim = run(world(events, { settings: { latencyMs: { local: [10, 10] } } }));
    expect(toyLines(sim.trace)).toEqual(['210 orch-2 orch-2 got Ping-a']);
    expect(sim.report().stats).toMatchObject({ messages: 2, dropped: 1 });
  });
});
