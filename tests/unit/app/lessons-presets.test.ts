// Proves the bundled lessons are told in an order the run can follow: step times rise within the run, and every node a step points at exists (and, for `@leader` / `@primary`, is running in that role) at the moment the step becomes current in the scripted run.
import { describe, expect, it } from 'vitest';
import { bundledLessons } from '../../support/bundled-lessons';
import { Simulation } from '../../../src/sim/world/simulation';
import type { Scenario } from '../../../src/sim/scenario/types';
import { resolveNode } from '../../../src/app/lessons/steps';

const lessons = bundledLessons();

function looksAt(scenario: Scenario, atMs: number) {
  const sim = new Simulation(scenario);
  sim.runUntil(atMs);
  return sim.nodes().map((n) => ({ id: n.id, role: n.view.role, up: n.up }));
}

describe('bundled lessons', () => {
  it('there are lessons, and the article’s missing ideas are among them', () => {
    const names = lessons.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['stateless-vs-stateful.json', 'failover-fencing-only.json', 'failover-quorum-only.json', 'combined-setup.json']));
  });

  it.each(lessons)('%s: step times rise and stay within the run', (_, scenario) => {
    const times = scenario.steps!.flatMap((step) => (step.atMs === undefined ? [] : [step.atMs]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const atMs of times) expect(atMs).toBeLessThanOrEqual(scenario.durationMs);
    expect(scenario.steps![0]!.atMs ?? 0).toBe(0);
  });

  it.each(lessons)('%s: each timed step points at a node that is there when the step begins', (_, scenario) => {
    for (const step of scenario.steps!) {
      if (step.node === undefined || step.atMs === undefined || step.node === '@last-crashed') continue;
      const target = resolveNode(step.node, looksAt(scenario, step.atMs), scenario.events, step.atMs);
      expect(target, `${step.node} at ${step.atMs} ms: “${step.text.slice(0, 50)}…”`).not.toBeNull();
    }
  });
});
