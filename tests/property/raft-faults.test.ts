// Proves, over many seeds and random fault schedules, that no safety invariant ever breaks and that after the faults heal the cluster converges: exactly one leader within a bound, every applied command applied on every running node.
// PROPERTY_RUNS=2000 npm run test:unit -- tests/property   runs a larger search; a failure prints the scenario to replay with `npm run sim`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { brokenSafety, generated, orchestratorFaults, orchestratorIds as orchestrators, propertyOptions, raftClusterArb } from '../support/property';

const RUNS = propertyOptions(60).numRuns;
const FAULT_PHASE_MS = 30_000;
const CONVERGE_MS = 20_000; // ten maximum election timeouts

function faultArb(n: number) {
  const { node, at, faults } = orchestratorFaults(n, FAULT_PHASE_MS);
  return fc.oneof(
    ...faults,
    fc.record({ atMs: at, do: fc.constantFrom('cut', 'heal-link'), between: fc.uniqueArray(node, { minLength: 2, maxLength: 2 }) }),
    fc.record({ atMs: at, do: fc.constant('heal') }),
    fc.record({ atMs: at, do: fc.constant('propose'), cmd: fc.integer({ min: 1, max: 999 }).map((k) => `cmd-${k}`) }),
  );
}

const scheduleArb = raftClusterArb((n) => ({
  lossRate: fc.constantFrom(0, 0, 0.05),
  proposalsPerSec: fc.constantFrom(0, 2, 10),
  faults: fc.array(faultArb(n), { maxLength: 14 }),
  wiped: fc.subarray(orchestrators(n), { maxLength: (n - 1) / 2 }),
  wipeAtMs: fc.integer({ min: 0, max: FAULT_PHASE_MS }),
}));

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function toScenario(s: Schedule) {
  const events = [...s.faults, ...s.wiped.map((node) => ({ atMs: s.wipeAtMs, do: 'wipe-disk', node }))].sort((a, b) => a.atMs - b.atMs);
  // Proposals stop with the faults, so that convergence can be checked.
  const raw = {
    version: 1,
    title: 'property: random faults',
    seed: s.seed,
    durationMs: FAULT_PHASE_MS + CONVERGE_MS,
    topology: { orchestrators: s.n, servers: 0 },
    settings: { preVote: s.preVote, checkQuorum: s.checkQuorum, lossRate: s.lossRate },
    workload: { proposalsPerSec: 0 },
    events: [
      ...events,
      ...Array.from({ length: Math.round((s.proposalsPerSec * FAULT_PHASE_MS) / 1000) }, (_, i) => ({ atMs: Math.floor((i * 1000) / s.proposalsPerSec), do: 'propose', cmd: `load-${i}` })),
    ].sort((a, b) => a.atMs - b.atMs),
  };
  return raw;
}

function check(s: Schedule): void {
  const raw = toScenario(s);
  const sim = new Simulation(generated(raw));
  const reproduce = () => `\nreplay with: npm run sim -- FILE --all, FILE containing\n${JSON.stringify(raw)}`;

  sim.runUntil(FAULT_PHASE_MS);
  sim.act({ do: 'heal' });
  for (const id of orchestrators(s.n)) sim.act({ do: 'restart', node: id });
  sim.runUntil(FAULT_PHASE_MS + CONVERGE_MS);

  expect(brokenSafety(sim.invariants()), `safety${reproduce()}`).toEqual([]);

  const up = sim.nodes().filter((n) => n.up);
  const leaders = up.filter((n) => n.view.role === 'leader');
  expect(leaders.map((n) => n.id), `exactly one leader after heal${reproduce()}`).toHaveLength(1);
  const term = leaders[0]!.view.term;
  expect(up.filter((n) => n.view.term !== term).map((n) => n.id), `everyone in the leader's term${reproduce()}`).toEqual([]);

  // Every command applied anywhere is applied on every running node in its current life.
  const appliedAnywhere = new Set<string>();
  const appliedThisLife = new Map<string, Set<string>>();
  for (const e of sim.trace) {
    if (e.type === 'up') appliedThisLife.set(e.node, new Set());
    if (e.type === 'apply') {
      appliedAnywhere.add(`${e.index}:${e.cmd}`);
      appliedThisLife.get(e.node)?.add(`${e.index}:${e.cmd}`);
    }
  }
  for (const n of up) {
    const missing = [...appliedAnywhere].filter((c) => !appliedThisLife.get(n.id)?.has(c));
    expect(missing.slice(0, 5), `${n.id} applied everything${reproduce()}`).toEqual([]);
  }
}

describe('Raft under random faults', () => {
  it(`keeps every safety invariant and converges after heal (${RUNS} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, check), propertyOptions(RUNS));
  });
});
