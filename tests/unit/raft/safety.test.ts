// Proves that Raft's safety properties hold under random schedules of lost, duplicated and reordered messages, timeouts, crashes, restarts and partitions, and that the cluster converges once healed.
import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sim/random/prng';
import { Cluster } from './harness';
import type { LogEntry } from '../../../src/sim/machines/raft/types';
import type { Settings } from '../../../src/sim/scenario/types';

const STEPS = 3000;
const SEEDS = 12;

/** Watches the cluster after every step and records the first broken rule. */
class SafetyWatch {
  private readonly leaderOfTerm = new Map<number, string>();
  private readonly committed = new Map<number, string>();
  /** Highest index a leader of each term had committed. */
  private readonly leaderCommits = new Map<number, number>();
  /** Commit index of each leader (id@term) when last seen; what it knew as a follower is its start. */
  private readonly leaderCommitSeen = new Map<string, number>();
  private readonly lastTerm = new Map<string, number>();
  private readonly tracesSeen = new Map<string, number>();
  private readonly appliedUpTo = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {}

  check(): void {
    for (const id of this.cluster.ids) this.readTraces(id);
    for (const id of this.cluster.ids) if (this.cluster.isUp(id)) this.checkNode(id);
    this.checkLogMatching();
  }

  private readTraces(id: string): void {
    const traces = this.cluster.tracesOf(id);
    for (let i = this.tracesSeen.get(id) ?? 0; i < traces.length; i++) {
      const t = traces[i]!;
      if (t.type === 'role' && (t.reason === 'started' || t.reason === 'restarted from disk')) this.appliedUpTo.set(id, 0);
      if (t.type === 'leader') {
        const other = this.leaderOfTerm.get(t.term);
        if (other !== undefined && other !== id) throw new Error(`election safety: ${other} and ${id} both lead term ${t.term}`);
        this.leaderOfTerm.set(t.term, id);
      }
      if (t.type === 'apply') {
        const expected = (this.appliedUpTo.get(id) ?? 0) + 1;
        if (t.index !== expected) throw new Error(`${id} applied ${t.index}, expected ${expected}`);
        this.appliedUpTo.set(id, t.index);
        const entry = `${t.term}:${t.cmd}`;
        const known = this.committed.get(t.index);
        if (known !== undefined && known !== entry) throw new Error(`state machine safety at ${t.index}: ${known} vs ${entry} on ${id}`);
        this.committed.set(t.index, entry);
      }
    }
    this.tracesSeen.set(id, traces.length);
  }

  private checkNode(id: string): void {
    const ctx = this.cluster.ctx(id);
    const term = ctx.disk.currentTerm;
    if (term < (this.lastTerm.get(id) ?? 0)) throw new Error(`${id}'s term went back to ${term}`);
    this.lastTerm.set(id, term);
    if (this.cluster.state(id) !== 'leader') return;
    const log = ctx.disk.log;
    const key = `${id}@${term}`;
    const seen = this.leaderCommitSeen.get(key);
    if (seen === undefined) this.checkCompleteness(id, term, log);
    if (seen !== undefined && ctx.commitIndex > seen && log[ctx.commitIndex - 1]!.term !== term) {
      throw new Error(`${id} committed an entry of an older term by counting`);
    }
    this.leaderCommitSeen.set(key, ctx.commitIndex);
    if (ctx.commitIndex > (this.leaderCommits.get(term) ?? 0)) this.leaderCommits.set(term, ctx.commitIndex);
  }

  /** Leader completeness: a leader of term T holds every entry a leader of an earlier term committed. */
  private checkCompleteness(id: string, term: number, log: readonly LogEntry[]): void {
    for (const [earlier, upTo] of this.leaderCommits) {
      if (earlier >= term) continue;
      for (let index = 1; index <= upTo; index++) {
        const entry = log[index - 1];
        const known = this.committed.get(index);
        if (!entry) throw new Error(`leader completeness: ${id} (term ${term}) lacks committed index ${index}`);
        if (known !== undefined && known !== `${entry.term}:${entry.cmd}`) throw new Error(`leader completeness at ${index} on ${id}`);
      }
    }
  }

  /** Log matching: two logs that agree on an index's term agree on everything up to it. */
  private checkLogMatching(): void {
    const up = this.cluster.ids.filter((id) => this.cluster.isUp(id));
    for (let a = 0; a < up.length; a++) {
      for (let b = a + 1; b < up.length; b++) {
        const x = this.cluster.log(up[a]!);
        const y = this.cluster.log(up[b]!);
        let last = Math.min(x.length, y.length);
        while (last > 0 && x[last - 1]!.term !== y[last - 1]!.term) last--;
        for (let i = 0; i < last; i++) {
          if (x[i]!.term !== y[i]!.term || x[i]!.cmd !== y[i]!.cmd) throw new Error(`log matching broken at ${i + 1} between ${up[a]} and ${up[b]}`);
        }
      }
    }
  }
}

function pick<T>(rng: Prng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.int(0, items.length - 1)];
}

/** Fires one armed timer of a random node; heartbeats often, election timeouts now and then, as real clocks would. */
function fireSomeTimer(cluster: Cluster, rng: Prng, up: readonly string[]): void {
  const id = pick(rng, up);
  if (id === undefined) return;
  const armed = cluster.armedTimers(id);
  const timer = armed.includes('heartbeat') && rng.chance(0.8) ? 'heartbeat' : pick(rng, armed);
  // An election timeout is long next to a heartbeat: let most of them pass unfired.
  if (timer === 'election' && rng.chance(0.7)) return;
  if (timer !== undefined) cluster.fire(id, timer);
}

/** One random thing happens: a delivery (in any order), a loss, a duplicate, a timer, a proposal, a crash, a partition. */
function randomStep(cluster: Cluster, rng: Prng, step: number): void {
  const roll = rng.float();
  const up = cluster.ids.filter((id) => cluster.isUp(id));
  const down = cluster.ids.filter((id) => !cluster.isUp(id));
  const n = cluster.inFlight.length;
  if (roll < 0.6) {
    // Messages travel faster than clocks tick: deliver a few at once, in random order.
    for (let k = rng.int(1, 10); k > 0 && cluster.inFlight.length > 0; k--) cluster.deliverAt(rng.int(0, cluster.inFlight.length - 1));
  } else if (roll < 0.63) {
    if (n > 0) cluster.inFlight.splice(rng.int(0, n - 1), 1);
  } else if (roll < 0.66) {
    if (n > 0) cluster.duplicate(rng.int(0, n - 1));
  } else if (roll < 0.8) {
    fireSomeTimer(cluster, rng, up);
  } else if (roll < 0.97) {
    const target = rng.chance(0.8) ? pick(rng, cluster.leaders()) : pick(rng, up);
    if (target !== undefined) cluster.propose(target, `cmd-${step}`);
  } else if (roll < 0.975) {
    if (up.length > 0) cluster.crash(pick(rng, up)!);
  } else if (roll < 0.99) {
    if (down.length > 0) cluster.restart(pick(rng, down)!);
  } else if (roll < 0.995) {
    cluster.heal();
    cluster.isolate(...cluster.ids.filter(() => rng.chance(0.35)));
  } else {
    cluster.heal();
  }
}

function isUpToDateFirst(cluster: Cluster): string {
  const score = (id: string): [number, number] => {
    const log = cluster.log(id);
    return [log.at(-1)?.term ?? 0, log.length];
  };
  return [...cluster.ids].sort((a, b) => {
    const [ta, la] = score(a);
    const [tb, lb] = score(b);
    return tb - ta || lb - la;
  })[0]!;
}

/** Heal everything and run timeouts until one leader commits a last command everywhere. */
function converge(cluster: Cluster, watch: SafetyWatch): void {
  cluster.heal();
  for (const id of cluster.ids) if (!cluster.isUp(id)) cluster.restart(id);
  cluster.deliverAll();
  const currentLeader = (): string | undefined => {
    const maxTerm = Math.max(...cluster.ids.map((id) => cluster.term(id)));
    return cluster.leaders().find((id) => cluster.term(id) === maxTerm);
  };
  for (let round = 0; round < 10 && !currentLeader(); round++) {
    for (const id of cluster.ids) if (cluster.isArmed(id, 'leader-lease')) cluster.fire(id, 'leader-lease');
    const best = isUpToDateFirst(cluster);
    if (cluster.isArmed(best, 'election')) cluster.fire(best, 'election');
    cluster.deliverAll();
    watch.check();
  }
  const leader = currentLeader();
  expect(leader).toBeDefined();
  cluster.propose(leader!, 'final');
  cluster.deliverAll();
  cluster.heartbeat(leader!);
  cluster.heartbeat(leader!);
  watch.check();
  for (const id of cluster.ids) {
    expect(cluster.log(id)).toEqual(cluster.log(leader!));
    expect(cluster.ctx(id).commitIndex).toBe(cluster.log(leader!).length);
  }
}

const modes: [string, Partial<Settings>][] = [
  ['plain', {}],
  ['PreVote', { preVote: true }],
  ['CheckQuorum', { checkQuorum: true }],
  ['PreVote and CheckQuorum', { preVote: true, checkQuorum: true }],
];

describe('raft safety under random schedules', () => {
  for (const [name, settings] of modes) {
    it(`keeps every safety property and converges after healing (${name})`, () => {
      let committed = 0;
      let leaders = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        const rng = new Prng(seed);
        const cluster = new Cluster(seed % 2 === 0 ? 5 : 3, settings);
        const watch = new SafetyWatch(cluster);
        try {
          for (let step = 0; step < STEPS; step++) {
            randomStep(cluster, rng, step);
            watch.check();
          }
          converge(cluster, watch);
        } catch (error) {
          throw new Error(`seed ${seed} (${name}): ${(error as Error).message}`, { cause: error });
        }
        committed += cluster.ctx('orch-1').commitIndex;
        leaders += cluster.ids.reduce((sum, id) => sum + cluster.tracesOfType(id, 'leader').length, 0);
      }
      // The schedules must be eventful for the checks above to mean anything.
      expect(committed).toBeGreaterThan(SEEDS * 50);
      expect(leaders).toBeGreaterThan(SEEDS * 3);
    });
  }

  it('the watch itself catches a broken rule', () => {
    const cluster = new Cluster(3);
    const watch = new SafetyWatch(cluster);
    cluster.elect('orch-1');
    cluster.tracesOf('orch-2').push({ type: 'leader', term: 1 });
    expect(() => watch.check()).toThrow(/election safety/);
  });
});
