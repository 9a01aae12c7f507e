/**
 * `npm run bench`: how fast the engine simulates. One line per figure, never a pass/fail: the
 * machines are shared and noisy, so numbers are read by people, not asserted by tests.
 *
 * Workload: a Raft cluster of 3, 5 and 9 orchestrators under a steady client load of 20
 * proposals a second, for 10 simulated minutes (the target: 5 nodes in under 1 wall second).
 */
import { performance } from 'node:perf_hooks';
import { runScenario } from '../sim/run';
import { parseScenario } from '../sim/scenario/parse';

const SIM_MS = 10 * 60 * 1000;

function scenarioFor(orchestrators: number) {
  const parsed = parseScenario({
    version: 1,
    title: `bench: ${orchestrators} orchestrators`,
    seed: 7,
    durationMs: SIM_MS,
    topology: { orchestrators, servers: 0 },
    workload: { proposalsPerSec: 20 },
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function bench(orchestrators: number): void {
  const scenario = scenarioFor(orchestrators);
  runScenario({ ...scenario, durationMs: 5000 }); // warm up the JIT
  const started = performance.now();
  let traced = 0;
  const { report } = runScenario(scenario, { keepTrace: false, onTrace: () => traced++ });
  const wallS = (performance.now() - started) / 1000;
  const simS = SIM_MS / 1000;
  const ok = report.invariants.every((i) => i.ok) ? 'invariants ok' : 'INVARIANT BROKEN';
  console.log(
    `engine raft-${orchestrators}: ${simS} simulated s in ${wallS.toFixed(3)} wall s = ${(simS / wallS).toFixed(0)} simulated s/wall s, ` +
      `${(report.stats.events / wallS).toFixed(0)} events/wall s (${report.stats.events} events, ${report.stats.messages} messages, ${traced} trace records, ${ok})`,
  );
}

for (const n of [3, 5, 9]) bench(n);
