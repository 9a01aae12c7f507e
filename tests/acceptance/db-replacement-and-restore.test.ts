// Proves that an operator's restore from a backup and the orchestrators' replacement of a lost
// database node never get in each other's way:
// - a restore onto a new machine takes an id (db-3) the orchestrators' log has not named: their
//   next replacement skips it (db-4), so the cloud really starts the replacement in the lost node's
//   data centre and retires the lost node; before, it asked for db-3, the cloud already had a
//   machine of that name and started nothing, and the lost node was never retired;
// - a restore onto the lost node itself that is still copying when the orchestrators replace that
//   node is abandoned, said in words: a retired machine never comes back under its old id.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';

type Replace = Extract<TraceEvent, { type: 'replace' }>;
type Restore = Extract<TraceEvent, { type: 'restore' }>;

const withBackups = (seed: number, events: Record<string, unknown>[]) =>
  scenario({
    seed,
    durationMs: 70_000,
    topology: { orchestrators: 3, servers: 0, database: { standbys: [{ replication: 'sync', region: 'dr' }] }, backups: { incrementalEveryMs: 10_000, fullEveryMs: 30_000, offsite: false } },
    workload: { writesPerSec: 20 },
    events,
  });

function run(seed: number, events: Record<string, unknown>[]) {
  const sim = new Simulation(withBackups(seed, events));
  sim.runUntil(70_000);
  const replace = sim.trace.filter((e): e is Replace => e.type === 'replace').map((e) => [e.step, e.dead, e.replacement]);
  const restores = sim.trace.filter((e): e is Restore => e.type === 'restore');
  return { sim, replace, restores, node: (id: string) => sim.nodes().find((n) => n.id === id)! };
}

describe('an operator restores a backup while the orchestrators replace a lost database node', () => {
  it.each([1, 2, 3])('onto a new machine db-3: the replacement of db-2 takes db-4, starts in db-2’s data centre and is its synchronous standby; db-2 is retired (seed %i)', (seed) => {
    const { sim, replace, restores, node } = run(seed, [
      { atMs: 35_000, do: 'restore-backup', node: 'db-3', from: 'backup-mumbai' },
      { atMs: 45_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 60_000, do: 'restart', node: 'db-2' },
    ]);
    expect(restores.map((r) => [r.phase, r.node])).toEqual([
      ['started', 'db-3'],
      ['done', 'db-3'],
    ]);
    expect(replace.filter(([step]) => step !== 'detect')).toEqual([
      ['decide', 'db-2', 'db-4'],
      ['provision', 'db-2', 'db-4'],
      ['in-service', 'db-2', 'db-4'],
    ]);
    expect(node('db-4')).toMatchObject({ up: true, region: node('db-2').region, replaces: 'db-2', view: { role: 'standby' } });
    expect(node('db-2')).toMatchObject({ up: false, replacedBy: 'db-4' });
    // Retired for good: the restart at 60 s does nothing.
    expect(sim.trace.find((e) => e.type === 'fault' && e.do === 'restart' && e.node === 'db-2')).toMatchObject({ noop: expect.stringMatching(/replaced by db-4/) });
    expect(node('db-1').view.detail.syncStandby).toBe('db-4');
    expect(node('db-3')).toMatchObject({ up: true, view: { role: 'standby', detail: { upstream: 'db-1' } } });
    expect(sim.report().writes.lost).toBe(0);
    expect(brokenInvariants(sim.report())).toEqual([]);
  });

  it.each([1, 2, 3])('onto db-2 itself, still copying when the orchestrators replace it by db-3: the restore is abandoned, in words, and db-2 stays retired (seed %i)', (seed) => {
    const { sim, replace, restores, node } = run(seed, [
      { atMs: 40_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 41_000, do: 'restore-backup', node: 'db-2', from: 'backup-mumbai' },
    ]);
    expect(replace.filter(([step]) => step !== 'detect')).toEqual([
      ['decide', 'db-2', 'db-3'],
      ['provision', 'db-2', 'db-3'],
      ['in-service', 'db-2', 'db-3'],
    ]);
    expect(restores.map((r) => [r.phase, r.node])).toEqual([
      ['started', 'db-2'],
      ['abandoned', 'db-2'],
    ]);
    expect(restores[1]!.text).toBe('The restore of db-2 from backup-mumbai was abandoned: the orchestrators replaced db-2 by db-3 meanwhile, and its machine was retired for good');
    expect(node('db-2')).toMatchObject({ up: false, replacedBy: 'db-3' });
    expect(node('db-3')).toMatchObject({ up: true, view: { role: 'standby', detail: { upstream: 'db-1' } } });
    expect(sim.report().writes.lost).toBe(0);
    expect(brokenInvariants(sim.report())).toEqual([]);
  });
});
