// Proves, over many random schedules, that single-server membership changes (remove a member, add a brand-new orch-K) interleaved with lost, duplicated and reordered messages, crashes, restarts and partitions never break a safety invariant — election safety, log matching, leader completeness, state-machine safety, single leader and the rest — as the invariant checker reads the trace, and that once healed the cluster elects a leader that commits and spreads a new command to every member of its configuration.
// PROPERTY_RUNS=2000 PROPERTY_SEED=$RANDOM npm run test:unit -- tests/property/raft-membership.test.ts   searches further; a failure prints the schedule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../src/sim/check/invariants';
import { Simulation } from '../../src/sim/world/simulation';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenSafety, generated, orchestratorFaults, orchestratorIds, propertyOptions, raftClusterArb } from '../support/property';
import { Cluster, type TimelineEntry } from '../unit/raft/harness';

// ---------------------------------------------------------------------------------------------
// Message by message, with the machine-test harness: the adversary picks every delivery.

type Action =
  | { readonly kind: 'deliver' | 'drop' | 'duplicate'; readonly pick: number }
  | { readonly kind: 'timer'; readonly node: number; readonly pick: number }
  | { readonly kind: 'crash' | 'restart'; readonly node: number }
  | { readonly kind: 'isolate'; readonly nodes: readonly number[] }
  | { readonly kind: 'heal' }
  | { readonly kind: 'propose'; readonly node: number; readonly value: number }
  | { readonly kind: 'remove'; readonly pick: number }
  | { readonly kind: 'add' };

const pick = fc.nat({ max: 1000 });
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('drop' as const, 'duplicate' as const), pick }) },
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('timer' as const), node: pick, pick }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const), node: pick }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('isolate' as const), nodes: fc.uniqueArray(fc.nat({ max: 8 }), { minLength: 1, maxLength: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('propose' as const), node: pick, value: fc.nat({ max: 999 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const) }) },
);

const scheduleArb = fc.record({
  size: fc.constantFrom(3, 5),
  preVote: fc.boolean(),
  checkQuorum: fc.boolean(),
  actions: fc.array(actionArb, { minLength: 100, maxLength: 600 }),
});

type Schedule = typeof scheduleArb extends fc.Arbitrary<infer T> ? T : never;

/** Feeds the cluster's timeline to the invariant checker, one step of the schedule per millisecond. */
class TraceFeed {
  readonly checker: InvariantChecker;
  private read = 0;
  private step = 0;

  constructor(private readonly cluster: Cluster) {
    this.checker = new InvariantChecker(cluster.topology);
  }

  /** Everything that happened since the last call, stamped with this step. */
  advance(): void {
    const timeline = this.cluster.timeline;
    for (; this.read < timeline.length; this.read++) this.checker.observe(toTraceEvent(timeline[this.read]!, this.step));
    this.step++;
  }

  broken(): string[] {
    return this.checker.results().filter((r) => !r.ok).map((r) => `${r.name}: ${r.violations[0]?.message}`);
  }
}

function toTraceEvent(entry: TimelineEntry, atMs: number): TraceEvent {
  if ('lifecycle' in entry) return { atMs, type: entry.lifecycle, node: entry.node, reason: entry.lifecycle === 'down' ? 'crashed' : 'restarted', diskLost: false };
  return { ...entry.trace, atMs, node: entry.node } as TraceEvent;
}

/** The running leader of the highest term, if any. */
function topLeader(cluster: Cluster): string | null {
  let best: string | null = null;
  for (const id of cluster.leaders()) if (best === null || cluster.term(id) > cluster.term(best)) best = id;
  return best;
}

function nodeAt(cluster: Cluster, index: number): string {
  return cluster.ids[index % cluster.ids.length]!;
}

class Adversary {
  private nextOrch: number;
  /** How many config changes a leader took into its log. */
  changesAccepted = 0;

  constructor(private readonly cluster: Cluster) {
    this.nextOrch = cluster.ids.length + 1;
  }

  perform(action: Action): void {
    const c = this.cluster;
    switch (action.kind) {
      case 'deliver':
      case 'drop':
      case 'duplicate': {
        if (c.inFlight.length === 0) return;
        const index = action.pick % c.inFlight.length;
        if (action.kind === 'deliver') c.deliverAt(index);
        else if (action.kind === 'drop') c.inFlight.splice(index, 1);
        else c.duplicate(index);
        return;
      }
      case 'timer': {
        const id = nodeAt(c, action.node);
        const armed = c.isUp(id) ? c.armedTimers(id) : [];
        if (armed.length > 0) c.fire(id, armed[action.pick % armed.length]!);
        return;
      }
      case 'crash': {
        const id = nodeAt(c, action.node);
        if (c.isUp(id)) c.crash(id);
        return;
      }
      case 'restart': {
        const id = nodeAt(c, action.node);
        if (!c.isUp(id)) c.restart(id);
        return;
      }
      case 'isolate':
        c.isolate(...new Set(action.nodes.map((n) => nodeAt(c, n))));
        return;
      case 'heal':
        return c.heal();
      case 'propose': {
        const id = nodeAt(c, action.node);
        if (c.isUp(id)) c.propose(id, `cmd-${action.value}`);
        return;
      }
      case 'remove': {
        const leader = topLeader(c);
        if (leader === null) return;
        const members = c.members(leader);
        this.proposeChange(leader, `config remove ${members[action.pick % members.length]}`);
        return;
      }
      case 'add': {
        const id = `orch-${this.nextOrch++}`;
        c.addNode(id);
        const leader = topLeader(c);
        if (leader !== null) this.proposeChange(leader, `config add ${id}`);
        return;
      }
    }
  }

  private proposeChange(leader: string, cmd: string): void {
    this.cluster.propose(leader, cmd);
    if (this.cluster.replies.at(-1)?.accepted === true) this.changesAccepted++;
  }
}

/**
 * The liveness phase: no more faults, everybody up. Rounds of "the leader of the highest term,
 * if any, takes a probe and heartbeats; else the election timer fires on the node with the most
 * up-to-date log that will campaign", each followed by delivering everything, until a leader has
 * every running member of its configuration apply its probe. Raft promises progress only once
 * timers let one candidate run alone (randomized timeouts do that in time); picking the most
 * up-to-date one stands for that luck without waiting for it. Lease timers are let run out
 * first, so that a lease left over from the fault phase does not make voters ignore it.
 */
function converge(cluster: Cluster, feed: TraceFeed): string | null {
  cluster.heal();
  for (const id of cluster.ids) if (!cluster.isUp(id)) cluster.restart(id);
  for (let round = 0; round < 40; round++) {
    cluster.deliverAll(100_000);
    feed.advance();
    const leader = topLeader(cluster);
    if (leader !== null) {
      const probe = `probe-${round}`;
      cluster.propose(leader, probe);
      for (let beat = 0; beat < 3 && cluster.state(leader) === 'leader'; beat++) {
        cluster.deliverAll(100_000);
        if (cluster.isArmed(leader, 'heartbeat')) cluster.heartbeat(leader);
        feed.advance();
      }
      if (cluster.state(leader) === 'leader') {
        const members = cluster.members(leader).filter((id) => cluster.isUp(id));
        if (members.every((id) => cluster.applied(id).includes(probe))) return leader;
      }
      continue;
    }
    for (const id of cluster.ids) if (cluster.isArmed(id, 'leader-lease')) cluster.fire(id, 'leader-lease');
    for (const id of byLogRecency(cluster)) {
      cluster.fire(id, 'election');
      if (cluster.state(id) !== 'follower') break; // it campaigns (a node out of the cluster would not)
    }
    feed.advance();
  }
  return null;
}

/** The nodes whose election timer is armed, the most up-to-date log first (§5.4.1's order). */
function byLogRecency(cluster: Cluster): string[] {
  const lastTerm = (id: string) => cluster.log(id).at(-1)?.term ?? 0;
  return cluster.ids
    .filter((id) => cluster.isArmed(id, 'election'))
    .sort((a, b) => lastTerm(b) - lastTerm(a) || cluster.log(b).length - cluster.log(a).length);
}

function describeSchedule(s: Schedule): string {
  return `size ${s.size}, preVote ${s.preVote}, checkQuorum ${s.checkQuorum}, actions ${JSON.stringify(s.actions)}`;
}

const stats = { runs: 0, withChanges: 0 };

function checkSchedule(s: Schedule): void {
  const cluster = new Cluster(s.size, { preVote: s.preVote, checkQuorum: s.checkQuorum });
  const feed = new TraceFeed(cluster);
  const adversary = new Adversary(cluster);
  feed.advance();
  for (const action of s.actions) {
    adversary.perform(action);
    feed.advance();
  }
  expect(feed.broken(), `safety during faults: ${describeSchedule(s)}`).toEqual([]);
  const leader = converge(cluster, feed);
  expect(feed.broken(), `safety after healing: ${describeSchedule(s)}`).toEqual([]);
  expect(leader, `a leader commits and spreads a command after healing: ${describeSchedule(s)}`).not.toBeNull();
  stats.runs++;
  if (adversary.changesAccepted > 0) stats.withChanges++;
}

// ---------------------------------------------------------------------------------------------
// Through the kernel: the same changes as client proposals, under timed faults.

const FAULT_PHASE_MS = 30_000;

function kernelFaultArb(n: number) {
  const { at, faults } = orchestratorFaults(n, FAULT_PHASE_MS);
  return fc.oneof(
    ...faults,
    fc.record({ atMs: at, do: fc.constant('heal') }),
    fc.record({ atMs: at, do: fc.constant('propose'), cmd: fc.constantFrom(...orchestratorIds(n)).map((id) => `config remove ${id}`) }),
    // The kernel boots no orch-K of its own here: an added member that never answers is a slow member, and safety must not care.
    fc.record({ atMs: at, do: fc.constant('propose'), cmd: fc.constant('config add') }),
  );
}

const kernelScheduleArb = raftClusterArb((n) => ({ faults: fc.array(kernelFaultArb(n), { maxLength: 14 }) }));

type KernelSchedule = typeof kernelScheduleArb extends fc.Arbitrary<infer T> ? T : never;

function kernelScenario(s: KernelSchedule) {
  let next = s.n + 1;
  const events = s.faults
    .map((e) => ('cmd' in e && e.cmd === 'config add' ? { ...e, cmd: `config add orch-${next++}` } : e))
    .sort((a, b) => a.atMs - b.atMs);
  return {
    version: 1,
    title: 'property: membership changes under faults',
    seed: s.seed,
    durationMs: FAULT_PHASE_MS + 10_000,
    topology: { orchestrators: s.n, servers: 0 },
    settings: { preVote: s.preVote, checkQuorum: s.checkQuorum },
    workload: { proposalsPerSec: 2 },
    events,
  };
}

const kernelStats = { runs: 0, withChanges: 0 };

function checkKernelSchedule(s: KernelSchedule): void {
  const raw = kernelScenario(s);
  const sim = new Simulation(generated(raw));
  sim.runUntil(raw.durationMs);
  expect(brokenSafety(sim.invariants()), `replay with npm run sim: ${JSON.stringify(raw)}`).toEqual([]);
  kernelStats.runs++;
  if (sim.trace.some((e) => e.type === 'apply' && e.cmd.startsWith('config '))) kernelStats.withChanges++;
}

describe('Raft membership changes under random faults', () => {
  const runs = propertyOptions(150).numRuns;
  it(`message by message: safe throughout, and converges after heal (${runs} schedules)`, () => {
    fc.assert(fc.property(scheduleArb, checkSchedule), propertyOptions(150));
    // The search must really exercise changes, not only faults.
    expect(stats.withChanges).toBeGreaterThan(stats.runs / 3);
  });

  const kernelRuns = propertyOptions(40).numRuns;
  it(`through the kernel, as client proposals: safe throughout (${kernelRuns} schedules)`, () => {
    fc.assert(fc.property(kernelScheduleArb, checkKernelSchedule), propertyOptions(40));
    expect(kernelStats.withChanges).toBeGreaterThan(kernelStats.runs / 3);
  });
});
