/**
 * Sweep throughput (`npx tsx src/bench/sweep.ts`, part of `npm run bench`): how many runs a second
 * `npm run sim -- FILE --seeds A..B` makes with one worker thread and with the pool (the machine's
 * cores), on the automatic-failover lesson (30 simulated seconds, 3 orchestrators, 3 database nodes,
 * 20 writes a second). A number for people, never asserted. One worker runs in this thread, its
 * code compiled and warm; each of the pool's workers first loads and compiles the engine, which
 * takes about as long as tens of runs: the line says how long until the pool's first run was
 * done, and 200 seeds let the pool earn that back.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parseScenarioText } from '../sim';
import { defaultWorkers, runSeeds } from '../cli/sweep/pool';

v8.setFlagsFromString('--no-allocation-site-pretenuring');

const FILE = new URL('../../public/scenarios/failover-primary-crash.json', import.meta.url);
const parsed = parseScenarioText(readFileSync(FILE, 'utf8'));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const scenario = parsed.scenario;
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

async function throughput(workers: number): Promise<void> {
  const started = performance.now();
  let firstS = 0;
  await runSeeds(scenario, SEEDS, workers, (done) => {
    if (done === 1) firstS = (performance.now() - started) / 1000;
  });
  const wallS = (performance.now() - started) / 1000;
  console.log(
    `sweep of "${scenario.title}" (${scenario.durationMs / 1000} simulated s each) with ${workers} worker${workers === 1 ? '' : 's'}: ${SEEDS.length} runs in ${wallS.toFixed(2)} wall s = ${(SEEDS.length / wallS).toFixed(1)} runs/wall s` +
      ` (the first run done after ${firstS.toFixed(2)} s)`,
  );
}

await runSeeds(scenario, [1000], 1, () => {}); // warm up the JIT
await throughput(1);
await throughput(defaultWorkers());
