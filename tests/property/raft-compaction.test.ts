// Proves Raft's log compaction under faults: with a snapshot every few entries, random crashes, restarts, wipes and partitions of 3 or 5 orchestrators beside a database never break a safety invariant; and an orchestrator cut off (and perhaps crashed meanwhile) while the others compact their logs catches up by InstallSnapshot once back, its agent then knowing the primary and epoch the leader's agent knows.
// PROPERTY_RUNS=500 npm run test:unit -- tests/property/raft-compaction.test.ts   runs a larger search; a failure prints the scenario to replay with `npm run sim`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { brokenSafety, generated, orchestratorFaults, orchestratorIds, propertyOptions, raftClusterArb } from '../support/property';

const RUNS = propertyOptions(20).numRuns;
const FAULT_PHASE_MS = 30_000;
const CONVERGE_MS = 15_000;

function faultArb(n: number) {
  const { node, at, faults } = orchestratorFaults(n, FAULT_PHASE_MS);
  return fc.oneof(...faults, fc.record({ atMs: at, do: fc.constant('wipe-disk'), node }), fc.record({ atMs: at, do: fc.constant('heal') }));
}

const scheduleArb = raftClusterArb((n) => ({
  every: fc.integer({ min: 2, max: 8 }),
  faults: fc.array(faultArb(n), { maxLength: 10 }),
  /** The orchestrator cut off from the rest, from when to when, and what happens to it meanwhile. */
  laggard: fc.constantFrom(...orchestratorIds(n)),
  cutAtMs: fc.integer({ min: 1_000, max: 5_000 }),
  cutForMs: fc.integer({ min: 20_000, max: 40_000 }),
  meanwhile: fc.constantFrom('nothing', 'crash'),
}));

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function scenario(s: Schedule, events: readonly Record<string, unknown>[], durationMs: number) {
  return {
    version: 1,
    title: 'property: log compaction under faults',
    seed: s.seed,
    durationMs,
    topology: { orchestrators: s.n, servers: 0, database: { standbys: [{ replication: 'sync' }] } },
    settings: { preVote: s.preVote, checkQuorum: s.checkQuorum, raftSnapshotEvery: s.every },
    workload: { writesPerSec: 5 },
    events: [...events].sort((a, b) => (a.atMs as number) - (b.atMs as number)),
  };
}

/** Runs of the random-fault property in which some node compacted its log (one without a majority for long may not). */
const compacted = { runs: 0, of: 0 };

function checkRandomFaults(s: Schedule): void {
  const raw = scenario(s, s.faults, FAULT_PHASE_MS + CONVERGE_MS);
  const sim = new Simulation(generated(raw));
  const reproduce = () => `\nreplay with: npm run sim -- FILE --all, FILE containing\n${JSON.stringify(raw)}`;
  sim.runUntil(FAULT_PHASE_MS);
  sim.act({ do: 'heal' });
  for (const id of orchestratorIds(s.n)) sim.act({ do: 'restart', node: id });
  sim.runUntil(FAULT_PHASE_MS + CONVERGE_MS);
  expect(brokenSafety(sim.invariants()), `safety${reproduce()}`).toEqual([]);
  compacted.of++;
  if (sim.trace.some((e) => e.type === 'snapshot') && sim.trace.some((e) => e.type === 'commit' && e.restored !== undefined)) compacted.runs++;
}

function checkLaggard(s: Schedule): void {
  const { laggard } = s;
  const backAtMs = s.cutAtMs + s.cutForMs;
  const events = [
    { atMs: s.cutAtMs, do: 'partition', groups: [[laggard], ['*']] },
    ...(s.meanwhile === 'nothing' ? [] : [{ atMs: s.cutAtMs + 2_000, do: s.meanwhile, node: laggard }]),
    { atMs: backAtMs, do: 'heal' },
    ...(s.meanwhile === 'nothing' ? [] : [{ atMs: backAtMs, do: 'restart', node: laggard }]),
  ];
  const raw = scenario(s, events, backAtMs + CONVERGE_MS);
  const sim = new Simulation(generated(raw));
  const reproduce = () => `\nreplay with: npm run sim -- FILE --all, FILE containing\n${JSON.stringify(raw)}`;
  sim.runUntil(backAtMs + CONVERGE_MS);
  expect(brokenSafety(sim.invariants()), `safety${reproduce()}`).toEqual([]);

  // Cut off for at least 20 s (some 17 lease entries once the others elect a leader) while they compact every 2–8 entries:
  // what it lacks is compacted away by the time it is back, so only a snapshot can bring it up.
  const installed = sim.trace.filter((e) => e.node === laggard && e.atMs >= backAtMs).flatMap((e) => (e.type === 'install-snapshot' ? [e] : []));
  expect(installed.length, `${laggard} installed a snapshot once back${reproduce()}`).toBeGreaterThan(0);

  const nodes = sim.nodes().filter((n) => n.kind === 'orchestrator');
  const leader = nodes.find((n) => n.up && n.view.role === 'leader');
  const lagging = nodes.find((n) => n.id === laggard)!;
  expect(leader, `a leader${reproduce()}`).toBeDefined();
  const commitOf = (n: typeof lagging) => Number(n.view.detail.commitIndex);
  // Lease entries keep coming (one a second); the follower learns each commit with the next heartbeat.
  expect(commitOf(leader!) - commitOf(lagging), `${laggard} caught up with the leader${reproduce()}`).toBeLessThanOrEqual(2);
  expect(commitOf(lagging)).toBeGreaterThan(installed[0]!.index);
  // Its agent, handed the snapshot's entries, knows what the leader's agent knows of the database.
  expect([lagging.view.detail.watchedPrimary, lagging.view.detail.watchedEpoch], `${laggard}'s agent${reproduce()}`).toEqual([leader!.view.detail.watchedPrimary, leader!.view.detail.watchedEpoch]);
}

describe('Raft log compaction under faults', () => {
  it(`keeps every safety invariant under random faults with a snapshot every few entries (${RUNS} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, checkRandomFaults), propertyOptions(RUNS));
    // The property is about compaction: most runs must have compacted and loaded a snapshot somewhere.
    expect(compacted.runs).toBeGreaterThan(compacted.of / 2);
  });

  it(`brings an orchestrator back from far behind by InstallSnapshot (${RUNS} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, checkLaggard), propertyOptions(RUNS));
  });
});
