// Small helpers for the scenario tests: build a scenario around a few events, and read errors.
import { expect } from 'vitest';
import { parseScenario, type ScenarioError } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';

export function scenarioWith(fields: Record<string, unknown>): Record<string, unknown> {
  return { version: 1, ...fields };
}

export function parsedOk(value: unknown): Scenario {
  const result = parseScenario(value);
  if (!result.ok) throw new Error(`expected a valid scenario, got:\n${result.errors.map((e) => `${e.path}: ${e.message}`).join('\n')}`);
  return result.scenario;
}

export function errorsOf(value: unknown): readonly ScenarioError[] {
  const result = parseScenario(value);
  expect(result.ok, 'expected the scenario to be refused').toBe(false);
  return result.ok ? [] : result.errors;
}

/** The one error at `path`; fails when there is none. */
export function errorAt(value: unknown, path: string): ScenarioError {
  const errors = errorsOf(value);
  const found = errors.find((error) => error.path === path);
  expect(found, `no error at ${path}; errors were ${JSON.stringify(errors)}`).toBeDefined();
  return found!;
}
