/**
 * How the property tests search. Like every run of the simulator, a search is reproducible: by
 * default it uses a fixed seed, so `npm test` (and CI) check the same schedules every time and a
 * landing is never decided by luck. To search new ground, give another seed and more runs:
 * `PROPERTY_SEED=$RANDOM PROPERTY_RUNS=2000 npm run test:unit -- tests/property`. A failure
 * prints the schedule as a scenario to replay with `npm run sim`, and fast-check prints its seed.
 */
import fc from 'fast-check';
import { parseScenario } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';

const DEFAULT_SEED = 20_261_125;

export function propertyOptions(defaultRuns: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.PROPERTY_RUNS ?? defaultRuns);
  const seed = Number(process.env.PROPERTY_SEED ?? DEFAULT_SEED);
  return { numRuns: runs, seed };
}

/** `orch-1` … `orch-n`. */
export const orchestratorIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `orch-${i + 1}`);

/**
 * The faults every orchestrator property throws at a cluster of `n` before `phaseMs`: a node
 * crashed or restarted, the leader crashed, the cluster split. Each test adds its own to these
 * (in this order, so that a fixed seed keeps drawing the same schedules).
 */
export function orchestratorFaults(n: number, phaseMs: number) {
  const node = fc.constantFrom(...orchestratorIds(n));
  const at = fc.integer({ min: 0, max: phaseMs });
  const faults = [
    fc.record({ atMs: at, do: fc.constantFrom('crash', 'restart'), node }),
    fc.record({ atMs: at, do: fc.constant('crash'), node: fc.constant('@leader') }),
    fc.record({ atMs: at, do: fc.constant('partition'), groups: fc.shuffledSubarray(orchestratorIds(n), { minLength: 1, maxLength: n - 1 }).map((g) => [g, ['*']]) }),
  ] as const;
  return { node, at, faults };
}

/** A generated scenario, parsed; one the generator got wrong fails the test as such. */
export function generated(raw: Record<string, unknown>): Scenario {
  const parsed = parseScenario(raw);
  if (!parsed.ok) throw new Error(`generator made an invalid scenario: ${JSON.stringify(parsed.errors)}`);
  return parsed.scenario;
}

/** Each broken safety invariant of a run (a simulation's or a report's), with its first violation. */
export function brokenSafety(invariants: readonly { readonly name: string; readonly ok: boolean; readonly violations: readonly { readonly message: string }[] }[]): string[] {
  return invariants.filter((i) => !i.ok).map((i) => `${i.name}: ${i.violations[0]?.message}`);
}

/** A Raft cluster of 3 or 5 orchestrators with its seed, PreVote and CheckQuorum drawn, and what `more` draws for a cluster of that size. */
export function raftClusterArb<M extends Record<string, fc.Arbitrary<unknown>>>(more: (n: number) => M): fc.Arbitrary<RaftCluster & Drawn<M>> {
  return fc.integer({ min: 0, max: 1 }).chain((big) => {
    const n = big ? 5 : 3;
    const cluster = { seed: fc.nat({ max: 0xffff_ffff }), n: fc.constant(n), preVote: fc.boolean(), checkQuorum: fc.boolean() };
    return fc.record({ ...cluster, ...more(n) }) as unknown as fc.Arbitrary<RaftCluster & Drawn<M>>;
  });
}

interface RaftCluster {
  readonly seed: number;
  readonly n: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
}

/** What a record of arbitraries draws. */
type Drawn<M> = { [K in keyof M]: M[K] extends fc.Arbitrary<infer T> ? T : never };
