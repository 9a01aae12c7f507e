/**
 * How the property tests search. Like every run of the simulator, a search is reproducible: by
 * default it uses a fixed seed, so `npm test` (and CI) check the same schedules every time and a
 * landing is never decided by luck. To search new ground, give another seed and more runs:
 * `PROPERTY_SEED=$RANDOM PROPERTY_RUNS=2000 npm run test:unit -- tests/property`. A failure
 * prints the schedule as a scenario to replay with `npm run sim`, and fast-check prints its seed.
 */
const DEFAULT_SEED = 20_261_125;

export function propertyOptions(defaultRuns: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.PROPERTY_RUNS ?? defaultRuns);
  const seed = Number(process.env.PROPERTY_SEED ?? DEFAULT_SEED);
  return { numRuns: runs, seed };
}
