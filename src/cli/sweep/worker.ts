/**
 * One thread of a sweep's pool (pool.ts): it receives the scenario once, then seeds, and answers
 * each seed with that run's figures. Runs nothing else, so a run here equals the same run in the
 * main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../../sim';
import { loadSweep } from '../../sim';

const scenario = (workerData as { scenario: Scenario }).scenario;
const { runSeed } = await loadSweep();
parentPort!.on('message', (seed: number) => parentPort!.postMessage(runSeed(scenario, seed)));
