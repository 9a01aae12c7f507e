// Proves, over many seeds and random fault schedules under the safe defaults (quorum and fencing on, a synchronous standby), that automatic failover by the orchestrators never gives two writers, never loses a write acknowledged under synchronous replication, never reuses an epoch, and never breaks Raft's own invariants, whatever crashes and partitions hit the orchestrators and the databases.
// PROPERTY_RUNS=300 npx vitest run tests/property/failover-faults.test.ts   searches longer; a failure prints the scenario to replay with `npm run sim`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run';
import { brokenSafety, generated, propertyOptions } from '../support/property';

const RUNS = propertyOptions(20).numRuns;
const DURATION_MS = 40_000;
const FAULT_PHASE_MS = 30_000;
const ORCHS = ['orch-1', 'orch-2', 'orch-3'];
const DBS = ['db-1', 'db-2', 'db-3'];
const NODES = [...ORCHS, ...DBS];

const at = fc.integer({ min: 0, max: FAULT_PHASE_MS });
const faultArb = fc.oneof(
  fc.record({ atMs: at, do: fc.constantFrom('crash', 'restart'), node: fc.constantFrom(...NODES) }),
  fc.record({ atMs: at, do: fc.constant('crash'), node: fc.constantFrom('@leader', '@primary') }),
  fc.record({ atMs: at, do: fc.constant('restart'), node: fc.constant('@last-crashed') }),
  fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.shuffledSubarray(NODES, { minLength: 1, maxLength: 4 }).map((g) => [g, ['*']]) }),
  fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.constant([['@primary'], ['*']]) }),
  fc.record({ atMs: at, do: fc.constantFrom('cut', 'heal-link'), between: fc.uniqueArray(fc.constantFrom(...NODES), { minLength: 2, maxLength: 2 }) }),
  fc.record({ atMs: at, do: fc.constant('heal') }),
);

const scheduleArb = fc.record({
  seed: fc.nat({ max: 0xffff_ffff }),
  faults: fc.array(faultArb, { maxLength: 12 }),
  writesPerSec: fc.constantFrom(10, 40),
  region: fc.constantFrom('primary', 'dr'),
  lossRate: fc.constantFrom(0, 0, 0.03),
});

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function toScenario(s: Schedule) {
  return {
    version: 1,
    title: 'property: automatic failover under safe settings',
    seed: s.seed,
    durationMs: DURATION_MS,
    topology: { orchestrators: 3, election: 'raft', servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async', region: s.region }] } },
    settings: { lossRate: s.lossRate },
    workload: { writesPerSec: s.writesPerSec },
    events: [...s.faults, { atMs: FAULT_PHASE_MS, do: 'heal' }].sort((a, b) => a.atMs - b.atMs),
  };
}

function check(s: Schedule): void {
  const raw = toScenario(s);
  const { report } = runScenario(generated(raw), { keepTrace: false });
  expect(brokenSafety(report.invariants), `replay with npm run sim -- FILE, FILE containing\n${JSON.stringify(raw)}`).toEqual([]);
}

describe('automatic failover under random faults, safe settings', () => {
  it(`never two writers, never a lost synchronous acknowledgement, never a reused epoch (${RUNS} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, check), propertyOptions(RUNS));
  });

  it('a crashed primary is replaced automatically: writes resume without anyone promoting by hand', () => {
    const { report } = runScenario(generated(toScenario({ seed: 9, faults: [{ atMs: 8_000, do: 'crash', node: 'db-1' }], writesPerSec: 10, region: 'primary', lossRate: 0 })), { keepTrace: false });
    expect(report.failovers.map((f) => [f.from, f.to])).toEqual([['db-1', 'db-2']]);
    expect(report.writes.lost).toBe(0);
  });
});
