// Proves that an orchestrator's replacement committed late, just as the orchestrator comes back,
// does not retire it: the leader, alone with one member crashed and another wiped, proposes both
// replacements but cannot commit them; the crashed one restarts and its Raft member's answer is
// what lets the entries commit. The leader then judges the member by a check sent after the commit
// (not by failures counted while it was down, nor by a check in flight from then): it answers, so it
// keeps its place (`keep`, trace `skip`), and the wiped one is replaced, removed first then its
// replacement added, so the cluster goes on committing. Before, the restarted member was retired on
// the spot and the configuration of four (two of them gone) never committed again. Also the sweep's
// run (seed 606) that ended with no database primary for that reason.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';

type Replace = Extract<TraceEvent, { type: 'replace' }>;
const replaceSteps = (trace: readonly TraceEvent[]) => trace.filter((e): e is Replace => e.type === 'replace').map((e) => [e.step, e.dead, e.replacement]);
const retired = (trace: readonly TraceEvent[]) => trace.filter((e) => e.type === 'down' && e.reason.startsWith('retired')).map((e) => (e as { node: string }).node);

function schedule(seed: number) {
  const base = (events: Record<string, unknown>[]) =>
    scenario({
      seed,
      durationMs: 40_000,
      topology: { orchestrators: 3, election: 'raft', servers: 1, database: { standbys: [{ replication: 'sync' }] } },
      workload: { writesPerSec: 20, requestsPerSec: 10 },
      events,
    });
  const probe = new Simulation(base([]));
  probe.runUntil(2500);
  const leader = probe.trace.filter((e) => e.type === 'leader').at(-1)!.node;
  const [crashed, wiped] = ['orch-1', 'orch-2', 'orch-3'].filter((o) => o !== leader) as [string, string];
  const s = base([
    { atMs: 3000, do: 'crash', node: crashed },
    { atMs: 3000, do: 'wipe-disk', node: wiped },
    { atMs: 15_000, do: 'restart', node: crashed },
  ]);
  return { s, leader, crashed, wiped };
}

describe('an orchestrator restarts just as its replacement commits', () => {
  it.each([1, 2, 3])('it keeps its place, the wiped one is replaced, and the cluster commits to the end (seed %i)', (seed) => {
    const { s, leader, crashed, wiped } = schedule(seed);
    const sim = new Simulation(s);
    sim.runUntil(s.durationMs);
    const steps = replaceSteps(sim.trace).filter(([step]) => step !== 'detect');
    expect(steps).toEqual([
      ['decide', crashed, 'orch-4'],
      ['skip', crashed, 'orch-4'],
      ['decide', wiped, 'orch-5'],
      ['provision', wiped, 'orch-5'],
      ['in-service', wiped, 'orch-5'],
    ]);
    expect(retired(sim.trace)).toEqual([]); // the wiped one was down already: retiring it says nothing more
    const orchestrators = sim.nodes().filter((n) => n.kind === 'orchestrator' && n.up);
    const lead = orchestrators.find((n) => n.view.role === 'leader')!;
    expect(lead.id).toBe(leader);
    expect(lead.view.detail.members).toBe([crashed, leader, 'orch-5'].sort().join(', '));
    // Nothing left uncommitted: the configuration keeps a majority that answers.
    expect(lead.view.detail.commitIndex).toBe(lead.view.detail.logLength);
  });

  it('the sweep’s run raft3-orchestrator-back-as-its-replacement-commits ends with a leader committing, db-3 primary again and both others following it', () => {
    const result = expectSweepCaseHealed('raft3-orchestrator-back-as-its-replacement-commits', 'db-3');
    expect(retired(result.trace)).not.toContain('orch-1');
  });
});
