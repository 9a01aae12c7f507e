/**
 * Runs a scenario once per seed: in this thread when one worker is asked for, else on a pool of
 * Node worker threads, each handed the next seed when it finishes one. The runs come back in
 * whatever order they finish; the summary sorts them, so the result does not depend on the pool.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scenario, SweepRun } from '../../sim';
import { loadSweep } from '../../sim';

export const defaultWorkers = (): number => availableParallelism();

/**
 * Worker threads do not inherit tsx's loader, so each one registers it before importing the
 * worker's TypeScript (the command line always runs under tsx).
 */
function tsWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(tsx)}; import { workerData } from 'node:worker_threads'; register(); await import(workerData.entry);`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: { ...(workerData as object), entry: entry.href } });
}

export async function runSeeds(scenario: Scenario, seeds: readonly number[], workers: number, onRun: (done: number) => void): Promise<SweepRun[]> {
  const runs: SweepRun[] = [];
  if (workers <= 1 || seeds.length <= 1) {
    const { runSeed } = await loadSweep();
    for (const seed of seeds) {
      runs.push(runSeed(scenario, seed));
      onRun(runs.length);
    }
    return runs;
  }
  let next = 0;
  const pool = Array.from({ length: Math.min(workers, seeds.length) }, () => tsWorker(new URL('./worker.ts', import.meta.url), { scenario }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= seeds.length) return resolve();
              worker.postMessage(seeds[next++]);
            };
            worker.on('message', (run: SweepRun) => {
              runs.push(run);
              onRun(runs.length);
              feed();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`a sweep worker stopped with code ${code}`))));
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return runs;
}
