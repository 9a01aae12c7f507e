/**
 * What the regression tests of the full-stack sweep's cases share: reading a recorded run from
 * `tests/acceptance/sweep-cases/`, and checking that a run ends healed.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import { parseScenario } from '../../src/sim/scenario/parse';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants } from './scenario';
import { runAndCountMissing, type WriteCheck } from './write-check';

/** A recorded run (heal included) from `tests/acceptance/sweep-cases/NAME.json`. */
export function sweepCase(name: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../acceptance/sweep-cases/${name}.json`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

/** Runs the sweep's recorded case `name` to its end: the simulation, and the nodes whose disks were wiped (the check's `wiped`). */
export function playSweepCase(name: string): { sim: Simulation; wiped: Set<string> } {
  const scenario = sweepCase(name);
  const sim = new Simulation(scenario);
  sim.runUntil(scenario.durationMs);
  return { sim, wiped: new Set(sim.trace.flatMap((e) => (e.type === 'down' && e.diskLost === true ? [e.node] : []))) };
}

/**
 * How the run ends: one primary taking writes, acknowledged lately, every other running database
 * node streaming from it. The ledger is exact (`writes.lost` is the number of acknowledged writes
 * missing from the final primary), and under the safe defaults it is zero, unless `lossAccepted`:
 * asynchronous replication or degraded durability and a lost disk destroyed the only copy of some.
 */
export function expectHealed(result: WriteCheck, scenario: Scenario, lossAccepted = false): void {
  const sim = new Simulation(scenario);
  sim.runUntil(scenario.durationMs);
  const databases = sim.nodes().filter((n) => n.kind === 'database');
  const primaries = databases.filter((n) => n.up && n.view.role === 'primary' && n.view.detail.writable === true);
  expect(primaries.map((n) => n.id)).toEqual([result.finalPrimary]);
  const others = databases.filter((n) => n.up && n.id !== result.finalPrimary);
  expect(others.map((n) => [n.id, n.view.role, n.view.detail.upstream])).toEqual(others.map((n) => [n.id, 'standby', result.finalPrimary]));
  const acks = result.trace.filter((e) => e.type === 'write-ack');
  expect(acks[acks.length - 1]!.atMs).toBeGreaterThan(scenario.durationMs - 5000);
  expect(result.report.writes.lost).toBe(result.missing);
  if (lossAccepted) return;
  expect(result.missing).toBe(0);
  expect(brokenInvariants(result.report)).toEqual([]);
}

/**
 * Runs the sweep's recorded case `name` with its writes counted, and checks it ends healed (see
 * `expectHealed`), with `primary` the final primary when one is named; the run, for more checks.
 */
export function expectSweepCaseHealed(name: string, primary?: string, lossAccepted = false): WriteCheck {
  const scenario = sweepCase(name);
  const result = runAndCountMissing(scenario);
  if (primary !== undefined) expect(result.finalPrimary).toBe(primary);
  expectHealed(result, scenario, lossAccepted);
  return result;
}

/**
 * `node`, promoted in `epoch`, stopped taking writes (its lease ran out, it heard of a newer epoch,
 * or it was powered off) before any other node was promoted: never two writers.
 */
export function expectNobodyPromotedBeside(trace: readonly TraceEvent[], node: string, epoch: number): void {
  const promoted = trace.find((e) => e.type === 'promoted' && e.node === node && e.epoch === epoch);
  expect(promoted).toBeDefined();
  const stopped = trace.find((e) => e.atMs >= promoted!.atMs && 'node' in e && e.node === node && ((e.type === 'writable' && !e.on) || e.type === 'down'));
  const next = trace.find((e) => e.type === 'promoted' && e.atMs >= promoted!.atMs && e.node !== node);
  if (next === undefined) return;
  expect(stopped).toBeDefined();
  expect(stopped!.atMs).toBeLessThanOrEqual(next.atMs);
}
