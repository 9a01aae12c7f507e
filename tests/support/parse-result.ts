/** A parse result is well formed: a scenario, or at least one error with a path and a message. */
import { expect } from 'vitest';
import type { ParseResult } from '../../src/sim/scenario/parse';

export function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expect(result.scenario.version).toBe(1);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const error of result.errors) {
    expect(typeof error.path).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
  }
}
