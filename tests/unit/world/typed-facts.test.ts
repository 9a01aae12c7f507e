// Proves the world hands on what machines say of themselves as typed facts, not display text: the load balancer's servers and rotation, a database node's service, and the `@leader` selector picking the node that leads (Raft leader or Bully coordinator).
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/world/simulation';
import { scenario } from '../../support/scenario';

describe('typed facts in the world', () => {
  it('gives the load balancer’s servers in its order, in rotation once they answer', () => {
    const sim = new Simulation(scenario({ topology: { orchestrators: 0, servers: 3, database: null } }));
    sim.runUntil(5_000);
    const lb = sim.nodes().find((n) => n.kind === 'load-balancer')!;
    expect(lb.backends).toEqual([
      { id: 'api-1', inRotation: true },
      { id: 'api-2', inRotation: true },
      { id: 'api-3', inRotation: true },
    ]);
    expect(sim.nodes().find((n) => n.kind === 'server')?.backends).toBeUndefined();
  });

  it('gives a database node’s service: one writable primary, standbys following it', () => {
    const sim = new Simulation(scenario({ topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async' }] } } }));
    sim.runUntil(8_000);
    const dbs = sim.nodes().filter((n) => n.kind === 'database');
    const writable = dbs.filter((n) => n.service?.writable);
    expect(writable.map((n) => n.id)).toEqual(['db-1']);
    for (const standby of dbs.filter((n) => n.id !== 'db-1')) expect(standby.service).toMatchObject({ writable: false, upstream: 'db-1' });
  });

  for (const election of ['raft', 'bully'] as const) {
    it(`@leader names the ${election} node that leads now`, () => {
      const sim = new Simulation(scenario({ topology: { orchestrators: 3, servers: 0, database: null, election }, events: [{ atMs: 10_000, do: 'crash', node: '@leader' }] }));
      sim.runUntil(9_999);
      const leader = sim.nodes().find((n) => n.kind === 'orchestrator' && n.view.role === 'leader')!;
      expect(leader).toBeDefined();
      sim.runUntil(10_000);
      expect(sim.nodes().find((n) => n.id === leader.id)?.up).toBe(false);
      expect(sim.nodes().filter((n) => !n.up).map((n) => n.id)).toEqual([leader.id]);
    });
  }
});
