// Proves that orchestrators restarted after replacements were made say nothing again about them: a
// leader re-applying its Raft log after a restart rebuilds what it knows from the log, but the
// trace (and so the event log and the failover step indicator) only says what happens now, so
// each replacement is decided, and put in service, once in the trace, however often the log is read;
// a replacement made after the restart is told in full.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';

type Replace = Extract<TraceEvent, { type: 'replace' }>;

const allOrchestrators = ['orch-1', 'orch-2', 'orch-3'];
/** A server and a database node replaced, then every orchestrator crashed and restarted: whoever leads next re-applies the whole log. */
const replacedThenRestarted = scenario({
  title: 'replacements made, then the orchestrators restart',
  durationMs: 75_000,
  topology: { orchestrators: 3, election: 'raft', servers: 2, database: { standbys: [{ replication: 'sync' }] } },
  workload: { writesPerSec: 20, requestsPerSec: 10 },
  events: [
    { atMs: 5_000, do: 'crash', node: 'api-1' },
    { atMs: 20_000, do: 'wipe-disk', node: 'db-1' },
    ...allOrchestrators.map((node) => ({ atMs: 50_000, do: 'crash', node })),
    ...allOrchestrators.map((node) => ({ atMs: 51_000, do: 'restart', node })),
    { atMs: 58_000, do: 'crash', node: 'api-2' },
  ],
});

describe('orchestrators restarted after replacements re-apply their log silently', () => {
  const sim = new Simulation(replacedThenRestarted);
  sim.runUntil(replacedThenRestarted.durationMs);
  const trace = sim.trace;
  const steps = trace.filter((e): e is Replace => e.type === 'replace');
  const line = (e: Replace) => `${e.step} ${e.dead} ${e.replacement}`;

  it('made both replacements before the restart, and the leader after it re-applied them', () => {
    const before = steps.filter((e) => e.atMs < 50_000 && e.step === 'in-service').map(line);
    expect(before).toEqual(expect.arrayContaining(['in-service api-1 api-3', 'in-service db-1 db-3']));
    const leadersAfter = trace.filter((e) => e.type === 'role' && e.role === 'leader' && e.atMs > 51_000).map((e) => e.node);
    expect(leadersAfter.length).toBeGreaterThan(0);
    const reapplied = trace.filter((e) => e.type === 'apply' && e.atMs > 51_000 && (e.cmd === 'db-replace db-1 db-3' || e.cmd === 'replace api-1 api-3'));
    expect(reapplied.map((e) => e.node)).toEqual(expect.arrayContaining(leadersAfter.slice(0, 1)));
  });

  it('says each step of each replacement once, and after the restart only those of the replacement made then', () => {
    const said = steps.map(line);
    expect(said.filter((l, i) => said.indexOf(l) !== i)).toEqual([]);
    expect(steps.filter((e) => e.atMs >= 50_000).map(line)).toEqual(['detect api-2 api-4', 'decide api-2 api-4', 'provision api-2 api-4', 'in-service api-2 api-4']);
  });

  it('keeps the system whole', () => {
    expect(brokenInvariants(sim.report())).toEqual([]);
    expect(sim.report().writes.lost).toBe(0);
  });
});
