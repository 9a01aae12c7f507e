/**
 * `npm run bench`: how fast the engine simulates. One line per figure, never a pass/fail: the
 * machines are shared and noisy, so numbers are read by people, not asserted by tests.
 *
 * Workload: a Raft cluster of 3, 5 and 9 orchestrators under a steady client load of 20 proposals a
 * second, for 10 simulated minutes; then 5 nodes idle (heartbeats only) and under a light load, to
 * show what the load costs. Each figure is the median of a few runs, after one whole untimed run of
 * the same scenario: V8 compiles the hot paths with its optimizing tiers only after some hundreds
 * of milliseconds, and the figures are for the engine at its steady pace (a sweep's, or a long
 * seek's). The target: 5 nodes on RaftScope's workload simulate at least 1,000 simulated seconds
 * per wall second with V8 as shipped (10 simulated minutes in 0.6 s); the line of 5 nodes at 20
 * proposals a second, twice the log traffic, is held to the same figure, and each says how far it
 * is. Events and messages per simulated second are printed too: unlike the wall time, they do not
 * depend on how busy the machine is.
 *
 * V8's allocation-site pretenuring misjudges some of the engine's short-lived per-event objects
 * (XState's arrays of actions above all) as long-lived and allocates them straight into the old
 * generation; the young-generation collections then keep everything they point to alive. Runners
 * take a step's effects straight from the step (`collectingEffects` in machines/step.ts) and
 * machines carry out their steps without `enqueueActions` (`stepAction`), which leaves little
 * for the heuristic to hurt, but it still costs some. We switch it off for this process, before
 * anything runs, as `npm run sim` does too. `npm run bench` then measures the 5-node figures once
 * more with `BENCH_V8_DEFAULTS=1`: V8 as shipped, which is what a browser tab gets.
 */
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parseScenario, runScenario } from '../sim';

const V8_DEFAULTS = process.env.BENCH_V8_DEFAULTS === '1';
if (!V8_DEFAULTS) v8.setFlagsFromString('--no-allocation-site-pretenuring');

const SIM_MS = 10 * 60 * 1000;
const RUNS = 3;
/** Simulated seconds per wall second that 5 nodes should reach, V8 as shipped (at 20 proposals a second, and on RaftScope's workload). */
const TARGET_SIM_S_PER_WALL_S = 1000;

/**
 * RaftScope's own workload, for the figure set against it: an election timeout of 100–200 ms (its
 * leader sends heartbeats at half the shortest), 10–15 ms latency, a client request every 100 ms.
 */
const RAFTSCOPE_SETTINGS = { electionTimeoutMs: [100, 200], heartbeatMs: 50, latencyMs: { local: [10, 15], crossRegion: [60, 90] } };

function scenarioFor(orchestrators: number, proposalsPerSec: number, settings: object = {}) {
  const parsed = parseScenario({
    version: 1,
    title: `bench: ${orchestrators} orchestrators`,
    seed: 7,
    durationMs: SIM_MS,
    topology: { orchestrators, servers: 0 },
    settings,
    workload: { proposalsPerSec },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timedRun(scenario: ReturnType<typeof scenarioFor>) {
  let traced = 0;
  const started = performance.now();
  const { report } = runScenario(scenario, { keepTrace: false, onTrace: () => traced++ });
  return { wallS: (performance.now() - started) / 1000, report, traced };
}

function bench(orchestrators: number, proposalsPerSec: number, raftScope = false): void {
  const scenario = scenarioFor(orchestrators, proposalsPerSec, raftScope ? RAFTSCOPE_SETTINGS : {});
  runScenario(scenario, { keepTrace: false }); // untimed: V8 compiles the hot paths (see above)
  const runs = Array.from({ length: RUNS }, () => timedRun(scenario));
  const { report, traced } = runs[0]!;
  const wallsS = runs.map((r) => r.wallS);
  const wallS = median(wallsS);
  const simS = SIM_MS / 1000;
  const ok = report.invariants.every((i) => i.ok) ? 'invariants ok' : 'INVARIANT BROKEN';
  const rate = simS / wallS;
  console.log(
    `engine raft-${orchestrators} at ${proposalsPerSec} proposals/s${raftScope ? " (RaftScope's workload: 100–200 ms election timeout, 50 ms heartbeats, 10–15 ms latency)" : ''}: ${simS} simulated s in ${wallS.toFixed(3)} wall s (median of ${RUNS}) = ${rate.toFixed(0)} simulated s/wall s, ` +
      `${(report.stats.events / wallS).toFixed(0)} events/wall s (${report.stats.events} events, ${report.stats.messages} messages, ${traced} trace records, ${ok}); ` +
      `per simulated s: ${(report.stats.events / simS).toFixed(0)} events, ${(report.stats.messages / simS).toFixed(0)} messages` +
      (raftScope ? `; ${againstTarget(rate, 'target')}` : orchestrators === 5 && proposalsPerSec === 20 ? `; ${againstTarget(rate, "held, with twice its proposals, to the target of RaftScope's workload")}` : ''),
  );
}

function againstTarget(rate: number, what: string): string {
  const verdict = rate >= TARGET_SIM_S_PER_WALL_S ? 'met' : `NOT met (${((100 * rate) / TARGET_SIM_S_PER_WALL_S).toFixed(0)}%)`;
  return `${what} ≥ ${TARGET_SIM_S_PER_WALL_S} simulated s/wall s with V8 as shipped: ${verdict}${V8_DEFAULTS ? '' : ' (this run is tuned; the target is for the next one)'}`;
}

if (V8_DEFAULTS) {
  console.log('V8 as shipped (as in a browser tab):');
  bench(5, 20);
  bench(5, 10, true);
} else {
  console.log('V8 with --no-allocation-site-pretenuring (as npm run sim runs):');
  for (const n of [3, 5, 9]) bench(n, 20);
  for (const load of [0, 5]) bench(5, load);
}
