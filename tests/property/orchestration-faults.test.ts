// Proves, over random fault schedules hitting API servers, the load balancer and the orchestrators
// (crashes, wiped disks, restarts, partitions, cut links), that self-healing never breaks Raft's
// invariants nor single-leader (membership changes included), that the kernel never fails, and that
// once the faults stop and the orchestrators that can come back have come back (a majority of them), the service heals:
// every API server that died is replaced, and the load balancer ends with the full count in rotation.
// PROPERTY_RUNS=200 npx vitest run tests/property/orchestration-faults.test.ts   searches longer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { brokenSafety, generated, propertyOptions } from '../support/property';

const RUNS = propertyOptions(40).numRuns;
const SERVERS = 3;
const FAULT_PHASE_MS = 20_000;
// Detection (≤ 3.5 s) + commit + provisioning (5 s) + first checks, twice over for a replacement
// that needs a worker replaced first, and Raft elections in between: generous on purpose.
const DURATION_MS = FAULT_PHASE_MS + 60_000;
const ORCHS = ['orch-1', 'orch-2', 'orch-3'];
const APIS = ['api-1', 'api-2', 'api-3'];
const NODES = [...ORCHS, 'lb', ...APIS];

const at = fc.integer({ min: 0, max: FAULT_PHASE_MS });
const faultArb = fc.oneof(
  fc.record({ atMs: at, do: fc.constantFrom('crash', 'restart'), node: fc.constantFrom(...NODES) }),
  fc.record({ atMs: at, do: fc.constant('crash'), node: fc.constantFrom(...APIS, '@leader') }),
  fc.record({ atMs: at, do: fc.constant('wipe-disk'), node: fc.constantFrom(...APIS, ...ORCHS) }),
  fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.shuffledSubarray(NODES, { minLength: 1, maxLength: 3 }).map((g) => [g, ['*']]) }),
  fc.record({ atMs: at, do: fc.constantFrom('cut', 'heal-link'), between: fc.uniqueArray(fc.constantFrom(...NODES), { minLength: 2, maxLength: 2 }) }),
);

const scheduleArb = fc.record({
  seed: fc.nat({ max: 0xffff_ffff }),
  faults: fc.array(faultArb, { maxLength: 8 }),
  lossRate: fc.constantFrom(0, 0, 0.02),
});

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

function toScenario(s: Schedule) {
  // After the faults: heal the network, bring back the load balancer and every orchestrator that can
  // come back (a wiped or replaced one cannot, and that is what the leader's replacements are for).
  const recovery = [{ atMs: FAULT_PHASE_MS, do: 'heal' }, ...['lb', ...ORCHS].map((node) => ({ atMs: FAULT_PHASE_MS, do: 'restart', node }))];
  return {
    version: 1,
    title: 'property: self-healing under random faults',
    seed: s.seed,
    durationMs: DURATION_MS,
    topology: { orchestrators: 3, election: 'raft', servers: SERVERS, database: null },
    settings: { lossRate: s.lossRate },
    workload: { requestsPerSec: 10 },
    events: [...s.faults.sort((a, b) => a.atMs - b.atMs), ...recovery],
  };
}

let healedRuns = 0;

function check(s: Schedule): void {
  const raw = toScenario(s);
  const replay = `replay with npm run sim -- FILE, FILE containing\n${JSON.stringify(raw)}`;
  const sim = new Simulation(generated(raw), { keepTrace: false });
  sim.runUntil(DURATION_MS);
  const report = sim.report();
  expect(brokenSafety(report.invariants), replay).toEqual([]);
  // Orchestrators lost for good (wiped, or retired when replaced) can leave too few for a majority
  // of the configuration: Raft then rightly decides nothing more (an operator must rebuild the
  // cluster), so only safety is asked of those runs. Healing is asked whenever a leader with its
  // whole configuration running exists at the end.
  const nodes = sim.nodes();
  const leader = nodes.find((n) => n.kind === 'orchestrator' && n.up && n.view.role === 'leader');
  const members = String(leader?.view.detail.members ?? '').split(', ').filter((id) => id !== '');
  if (!leader || !members.every((id) => nodes.find((n) => n.id === id)?.up)) return;
  healedRuns++;
  // Healed: the load balancer has the full count of servers in rotation, and every one is serving.
  const lb = sim.nodes().find((n) => n.id === 'lb')!;
  const inRotation = (lb.backends ?? []).filter((b) => b.inRotation).map((b) => b.id);
  expect(inRotation, replay).toHaveLength(SERVERS);
  for (const id of inRotation) expect(sim.nodes().find((n) => n.id === id)?.view.role, `${id}\n${replay}`).toBe('serving');
  // Every server that is down was replaced.
  for (const node of sim.nodes()) {
    if (node.kind === 'server' && !node.up) expect(node.replacedBy, `${node.id} is down and was never replaced\n${replay}`).toBeDefined();
  }
}

describe('self-healing under random faults', () => {
  it(`never breaks a safety invariant, and always heals once the faults stop (${RUNS} schedules)`, () => {
    healedRuns = 0;
    fc.assert(fc.property(scheduleArb, check), propertyOptions(RUNS));
    // Most schedules must reach the healing check, or the test would ask little of the system.
    expect(healedRuns).toBeGreaterThanOrEqual(Math.ceil(RUNS * 0.6));
  });
});
