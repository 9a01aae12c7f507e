/** Runs a scenario headless from start to end: what the CLI, the tests and the benchmarks call. */
import { Simulation, type SimulationOptions } from './world/simulation';
import type { Report } from './report/types';
import type { Scenario } from './scenario/types';
import type { TraceEvent } from './trace/trace';

export interface RunResult {
  readonly report: Report;
  readonly trace: readonly TraceEvent[];
}

/**
 * The report as `npm run sim --json` prints it and the page downloads it: the same bytes for the
 * same scenario and seed. JSON.stringify leaves DEL, the C1 controls and the Unicode line
 * separators raw; they are escaped too (the same JSON value), since this text goes to terminals.
 */
export function reportText(report: Report): string {
  return `${JSON.stringify(report, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function runScenario(scenario: Scenario, options: SimulationOptions & { untilMs?: number } = {}): RunResult {
  const sim = new Simulation(scenario, options);
  sim.runUntil(options.untilMs ?? scenario.durationMs);
  return { report: sim.report(), trace: sim.trace };
}
