/**
 * "Run many seeds" on the page's side: the run on screen (its recorded scenario, the learner's
 * actions included) once per seed, on a pool of Web Workers (the playground's worker script, asked
 * with `sweep`), each handed the next seed when it answers. Progress is kept as the runs come in;
 * Cancel ends the pool. The summary is the command line's (`npm run sim -- FILE --seeds A..B`), so
 * the page and the CLI show the same figures for the same seeds.
 */
import { create } from 'zustand';
import { summarizeScenario, type Scenario, type SweepRun, type SweepSummary } from '../../sim';
import type { FromWorker, ToWorker } from '../../worker/protocol';

/** At most this many seeds in one sweep on the page (the command line takes more). */
export const PAGE_SWEEP_MAX = 2000;

export interface SweepState {
  readonly open: boolean;
  readonly first: number;
  readonly count: number;
  readonly status: 'idle' | 'running' | 'done' | 'cancelled' | 'error';
  readonly done: number;
  readonly total: number;
  readonly workers: number;
  readonly summary: SweepSummary | null;
  /** The scenario swept (every seed's run opens from it). */
  readonly scenario: Scenario | null;
  readonly error: string | null;
}

export const useSweep = create<SweepState>(() => ({
  open: false,
  first: 1,
  count: 50,
  status: 'idle',
  done: 0,
  total: 0,
  workers: 0,
  summary: null,
  scenario: null,
  error: null,
}));

let pool: Worker[] = [];

function stopPool(): void {
  for (const worker of pool) worker.terminate();
  pool = [];
}

/** How many workers: the machine's cores less one for the page, at least one, at most four. */
function poolSize(seeds: number): number {
  const cores = typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2;
  return Math.max(1, Math.min(4, cores - 1, seeds));
}

/** Runs `scenario` at seeds first … first + count − 1. */
export function runSweep(scenario: Scenario, first: number, count: number): void {
  stopPool();
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const runs: SweepRun[] = [];
  let next = 0;
  const size = poolSize(count);
  useSweep.setState({ status: 'running', done: 0, total: count, workers: size, summary: null, scenario, error: null, first, count });
  const feed = (worker: Worker) => {
    if (next >= seeds.length) return;
    const request: ToWorker = { type: 'sweep', scenario, seed: seeds[next++]! };
    worker.postMessage(request);
  };
  const fail = (message: string) => {
    stopPool();
    useSweep.setState({ status: 'error', error: message });
  };
  pool = Array.from({ length: size }, () => {
    const worker = new Worker(new URL('../../worker/sim.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const message = event.data;
      if (message.type === 'sweep-error') return fail(`seed ${message.seed} could not be run: ${message.message}`);
      if (message.type === 'crashed') return fail(message.message);
      if (message.type !== 'swept') return;
      runs.push(message.run);
      if (runs.length === seeds.length) {
        stopPool();
        useSweep.setState({ status: 'done', done: runs.length, summary: summarizeScenario(scenario, runs) });
        return;
      }
      useSweep.setState({ done: runs.length });
      feed(worker);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message || 'a sweep worker could not run');
    };
    return worker;
  });
  for (const worker of pool) feed(worker);
}

export function cancelSweep(): void {
  if (useSweep.getState().status !== 'running') return;
  stopPool();
  useSweep.setState({ status: 'cancelled' });
}

export function setSweepRange(first: number, count: number): void {
  useSweep.setState({ first, count });
}

export function openSweep(): void {
  useSweep.setState({ open: true });
}

export function closeSweep(): void {
  useSweep.setState({ open: false });
}
