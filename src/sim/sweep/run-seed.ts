/** One run of a sweep: the scenario at one seed, boiled down to its figures; the same in a Node worker thread, a Web Worker and the main thread. */
import { runScenario } from '../run';
import type { Scenario } from '../scenario/types';
import { encodeScenarioHash } from '../scenario/url';
import { sweepRun, type SweepRun } from './summary';

export function runSeed(scenario: Scenario, seed: number): SweepRun {
  const seeded = { ...scenario, seed };
  const { report } = runScenario(seeded, { keepTrace: false });
  return sweepRun(seed, report, () => `#${encodeScenarioHash(seeded)}`);
}
