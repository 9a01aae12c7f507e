// Proves that the browser worker's lazy registry of node programs (registry-lazy.ts, which the
// worker is built with) loads, for every bundled scenario, every program its nodes run: the same
// programs the static registry gives, and a clear error, not a wrong program, for one not loaded.
import { describe, expect, it } from 'vitest';
import * as lazy from '../../../src/sim/machines/registry-lazy';
import * as eager from '../../../src/sim/machines/registry';
import { Simulation } from '../../../src/sim/world/simulation';
import { scenario } from '../../support/scenario';
import { bundledLessons } from '../../support/bundled-lessons';

describe('the lazy registry of node programs', () => {
  it('refuses to build a node whose program was not loaded, saying which', () => {
    const bully = scenario({ topology: { orchestrators: 3, election: 'bully', servers: 0, database: null } });
    expect(() => lazy.programFor('orchestrator', bully.topology)).toThrow(/bully program was not loaded/);
  });

  it.each(bundledLessons())('%s: after preloading, every node and companion gets the static registry’s program', async (_name, s) => {
    await lazy.preloadPrograms(s.topology);
    expect(lazy.preloadPrograms(s.topology)).toBeNull(); // nothing left to wait for
    const sim = new Simulation(s);
    sim.runUntil(1);
    for (const node of sim.nodes()) {
      expect(lazy.programFor(node.kind, s.topology)).toBe(eager.programFor(node.kind, s.topology));
      expect(lazy.companionFor(node.kind, s.topology)).toBe(eager.companionFor(node.kind, s.topology));
    }
  });
});
