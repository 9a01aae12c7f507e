/** One run of a sweep: the scenario at one seed, boiled down to its figures (the same in a worker thread and in the main thread). */
import { encodeScenarioHash, runScenario, sweepRun, type Scenario, type SweepRun } from '../../sim';

export function runSeed(scenario: Scenario, seed: number): SweepRun {
  const seeded = { ...scenario, seed };
  const { report } = runScenario(seeded, { keepTrace: false });
  return sweepRun(seed, report, () => `#${encodeScenarioHash(seeded)}`);
}
