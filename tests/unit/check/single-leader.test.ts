// Proves `single-leader`: two Bully coordinators at once are caught, so is a Raft leader elected before a majority left the old leader's term (which election-safety misses), while Raft's old minority leader is not blamed once the majority moved on, and the majority follows the configuration in the leader's log.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/sim/run';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import type { Topology } from '../../../src/sim/scenario/types';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { TEST_TOPOLOGY } from '../../support/settings';
import { at, broken, check, resultOf } from './trace-builder';

const RAFT_5: Topology = { ...TEST_TOPOLOGY, orchestrators: 5, election: 'raft' };
const BULLY_5: Topology = { ...TEST_TOPOLOGY, orchestrators: 5, election: 'bully' };

function singleLeader(trace: readonly TraceEvent[], topology: Topology) {
  return resultOf(check(trace, topology), 'single-leader');
}

/** A node moves to `term` as a follower and votes for `candidate`. */
function votes(atMs: number, node: string, term: number, candidate: string): TraceEvent[] {
  return [at.role(atMs, node, 'follower', term), at.vote(atMs, node, term, candidate)];
}

/** `node` campaigns in `term`: it raises its term and votes for itself. */
function campaigns(atMs: number, node: string, term: number): TraceEvent[] {
  return [at.vote(atMs, node, term, node), at.role(atMs, node, 'candidate', term)];
}

describe('single-leader under Bully', () => {
  // bully-partition.json in miniature: orch-1 and orch-2 are cut off and crown orch-2.
  const splitBrain: TraceEvent[] = [
    at.role(280, 'orch-5', 'leader', 1),
    at.leader(280, 'orch-5', 1),
    at.role(5200, 'orch-2', 'leader', 2),
    at.leader(5200, 'orch-2', 2),
    at.role(5200, 'orch-1', 'follower', 2),
  ];

  it('flags two coordinators at once, with when and why in words', () => {
    const trace = [...splitBrain, at.role(15_100, 'orch-2', 'follower', 3)];
    const result = singleLeader(trace, BULLY_5);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([{
      atMs: 5200,
      nodes: ['orch-5', 'orch-2'],
      message:
        'orch-5 and orch-2 were both coordinator from 5.20 s to 15.10 s: Bully asks no majority, so each side of the ' +
        'partition chose its own. At most one node may lead at a time.',
    }]);
    // Each term had one leader: election-safety has nothing to say.
    expect(broken(trace)).not.toContain('election-safety');
  });

  it('flags an overlap still going on at the end of the run', () => {
    const trace = [...splitBrain, at.role(9000, 'orch-3', 'follower', 2)];
    const result = singleLeader(trace, BULLY_5);
    expect(result.violationCount).toBe(1);
    expect(result.violations[0]?.message).toMatch(/^orch-5 and orch-2 have both been coordinator since 5\.20 s \(still at 9\.00 s\)/);
    expect(check(trace, BULLY_5).firstViolation()).toMatchObject({ name: 'single-leader', atMs: 5200 });
  });

  it('never ends a coordinator’s tenure for the others’ epochs, only for its own step-down or crash', () => {
    // Under Raft's rule, four of five in a higher term would have ended orch-5's authority.
    const moved = ['orch-1', 'orch-2', 'orch-3', 'orch-4'].map((node) => at.role(5100, node, 'follower', 2));
    const trace = [at.leader(280, 'orch-5', 1), ...moved, at.leader(5200, 'orch-2', 2), at.role(6000, 'orch-2', 'follower', 2)];
    expect(singleLeader(trace, BULLY_5).ok).toBe(false);
    expect(singleLeader(trace, RAFT_5).ok).toBe(true);
  });

  it('accepts a hand-over: the old coordinator crashes or steps down before (or as) the next one takes over', () => {
    expect(singleLeader([at.leader(280, 'orch-5', 1), at.down(5000, 'orch-5'), at.leader(6000, 'orch-4', 2)], BULLY_5).ok).toBe(true);
    expect(singleLeader([at.leader(280, 'orch-5', 1), at.role(6000, 'orch-5', 'follower', 2), at.leader(6000, 'orch-4', 2)], BULLY_5).ok).toBe(true);
    expect(singleLeader([at.leader(280, 'orch-5', 1), at.leader(900, 'orch-5', 2), at.down(5000, 'orch-5')], BULLY_5).ok).toBe(true);
  });
});

describe('single-leader under Raft', () => {
  const orch1Leads: TraceEvent[] = [
    ...campaigns(1000, 'orch-1', 1),
    ...['orch-2', 'orch-3', 'orch-4'].flatMap((node) => votes(1002, node, 1, 'orch-1')),
    at.role(1004, 'orch-1', 'leader', 1),
    at.leader(1004, 'orch-1', 1),
  ];

  it('accepts an old leader cut off in a minority: its authority ends when a majority moves to the next term', () => {
    const trace = [
      ...orch1Leads,
      // 6 s: orch-1 is cut off; the four others elect orch-3 in term 2. orch-1 never hears of it until the heal.
      ...campaigns(7000, 'orch-3', 2),
      ...votes(7002, 'orch-2', 2, 'orch-3'),
      ...votes(7003, 'orch-4', 2, 'orch-3'),
      at.role(7005, 'orch-3', 'leader', 2),
      at.leader(7005, 'orch-3', 2),
      at.role(16_000, 'orch-1', 'follower', 2),
    ];
    expect(singleLeader(trace, RAFT_5)).toMatchObject({ ok: true, violationCount: 0 });
    expect(broken(trace)).toEqual([]);
  });

  it('flags a leader elected before a majority left the old leader’s term, which election-safety cannot see', () => {
    const trace = [
      ...orch1Leads,
      ...campaigns(7000, 'orch-3', 2),
      ...votes(7002, 'orch-2', 2, 'orch-3'),
      // A wrong count: two of five is not a majority, yet orch-3 takes over.
      at.role(7010, 'orch-3', 'leader', 2),
      at.leader(7010, 'orch-3', 2),
      ...votes(7500, 'orch-4', 2, 'orch-3'), // now three of five have moved on: orch-1's authority ends
    ];
    const result = singleLeader(trace, RAFT_5);
    expect(result.violations).toEqual([{
      atMs: 7010,
      nodes: ['orch-1', 'orch-3'],
      message:
        'orch-1 and orch-3 were both leader from 7.01 s to 7.50 s: orch-3 became leader of term 2 while 3 of the 5 in ' +
        'orch-1\'s configuration (orch-1, orch-2, orch-3, orch-4, orch-5) were still at term 1 or below, a majority orch-1 ' +
        'could still lead; electing a new leader must first leave the old one without such a majority. At most one node may lead at a time.',
    }]);
    expect(broken(trace, RAFT_5)).toEqual(['single-leader']);
  });

  it('counts the majority in the old leader’s current configuration, as its log says', () => {
    const three: Topology = { ...TEST_TOPOLOGY, orchestrators: 3, election: 'raft' };
    const grown: TraceEvent[] = [
      ...campaigns(1000, 'orch-1', 1),
      ...votes(1002, 'orch-2', 1, 'orch-1'),
      at.leader(1004, 'orch-1', 1),
      at.log(1004, 'orch-1', 1, [[1, '(no-op)']]),
      at.log(2000, 'orch-1', 2, [[1, 'config add orch-4']]),
      at.log(3000, 'orch-1', 3, [[1, 'config add orch-5']]),
    ];
    const takeover = [...campaigns(7000, 'orch-3', 2), ...votes(7002, 'orch-2', 2, 'orch-3'), at.leader(7005, 'orch-3', 2), at.down(9000, 'orch-1')];
    // Two of the first three would be a majority; two of the five orch-1 now has are not.
    expect(singleLeader([...grown.slice(0, 6), ...takeover], three).ok).toBe(true);
    const result = singleLeader([...grown, ...takeover], three);
    expect(result.violationCount).toBe(1);
    expect(result.violations[0]?.message).toContain('(orch-1, orch-2, orch-3, orch-4, orch-5)');

    // And the other way: after removing two, orch-2 and orch-3 are a majority of the three left.
    const shrunk: TraceEvent[] = [
      ...orch1Leads,
      at.log(1004, 'orch-1', 1, [[1, '(no-op)'], [1, 'config remove orch-5'], [1, 'config remove orch-4']]),
      ...campaigns(7000, 'orch-3', 2),
      ...votes(7002, 'orch-2', 2, 'orch-3'),
      at.leader(7005, 'orch-3', 2),
      at.down(9000, 'orch-1'),
    ];
    expect(singleLeader(shrunk, RAFT_5).ok).toBe(true);
    // A config entry that was overwritten no longer counts.
    const rolledBack = [...shrunk.slice(0, orch1Leads.length + 1), at.log(1500, 'orch-1', 2, [[1, 'x']]), ...shrunk.slice(orch1Leads.length + 1)];
    expect(singleLeader(rolledBack, RAFT_5).ok).toBe(false);
  });

  it('with an even number of members, half moving on is enough: the other half is no majority', () => {
    const four: Topology = { ...TEST_TOPOLOGY, orchestrators: 4, election: 'raft' };
    const trace = [
      at.leader(1004, 'orch-1', 1),
      ...campaigns(7000, 'orch-3', 2),
      ...votes(7002, 'orch-4', 2, 'orch-3'),
      at.leader(7005, 'orch-3', 2),
      at.down(9000, 'orch-1'),
    ];
    expect(singleLeader(trace, four).ok).toBe(true);
    expect(singleLeader(trace, RAFT_5).ok).toBe(false);
  });

  it('ends a tenure when the leader steps down or goes down', () => {
    const handOver = (end: TraceEvent) => [...orch1Leads, end, ...campaigns(3000, 'orch-2', 2), at.leader(3005, 'orch-2', 2), at.role(9000, 'orch-2', 'follower', 3)];
    expect(singleLeader(handOver(at.down(2000, 'orch-1')), RAFT_5).ok).toBe(true);
    expect(singleLeader(handOver(at.role(2000, 'orch-1', 'follower', 1)), RAFT_5).ok).toBe(true);
  });
});

describe('single-leader through the engine, on the bundled partition lessons', () => {
  function presetReport(id: string) {
    const parsed = parseScenarioText(readFileSync(new URL(`../../../public/scenarios/${id}.json`, import.meta.url), 'utf8'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return runScenario(parsed.scenario).report;
  }

  it('Bully gives two coordinators for the partition; Raft one leader', () => {
    const bully = presetReport('bully-partition').invariants.find((i) => i.name === 'single-leader');
    expect(bully?.ok).toBe(false);
    expect(bully?.violations[0]?.message).toMatch(/^orch-5 and orch-2 were both coordinator from \d+\.\d\d s to 15\.\d\d s: Bully asks no majority/);
    const raft = presetReport('raft-partition').invariants.find((i) => i.name === 'single-leader');
    expect(raft).toMatchObject({ ok: true, violations: [] });
  });
});
