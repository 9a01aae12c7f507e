/** Runs a scenario headless from start to end: what the CLI, the tests and the benchmarks call. */
import { Simulation, type SimulationOptions } from './kernel/simulation';
import type { Report } from './report/report';
import type { Scenario } from './scenario/types';
import type { TraceEvent } from './trace/trace';

export interface RunResult {
  readonly report: Report;
  readonly trace: readonly TraceEvent[];
}

/** The report as `npm run sim --json` prints it and the page downloads it: the same bytes for the same scenario and seed. */
export function reportText(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function runScenario(scenario: Scenario, options: SimulationOptions & { untilMs?: number } = {}): RunResult {
  const sim = new Simulation(scenario, options);
  sim.runUntil(options.untilMs ?? scenario.durationMs);
  return { report: sim.report(), trace: sim.trace };
}
