// Proves the A/B view's first-difference finder: lines compared in order by time and words, a line one run lacks, agreement, and on real runs that PreVote, fencing and the same seed part (or not) where they should.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { abProblem, abScenario, firstDifference, parseScenario, searchFirstDifference, type Scenario, type TracedLine } from '../../../src/sim';
import { parseAbHash } from '../../../src/app/ab/ab-link';

const line = (atMs: number, text: string): TracedLine => ({ atMs, text });

function preset(id: string): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(new URL(`../../../public/scenarios/${id}.json`, import.meta.url), 'utf8')));
  if (!parsed.ok) throw new Error(`${id} does not parse`);
  return parsed.scenario;
}

describe('firstDifference', () => {
  const shared = [line(0, 'orch-1 is up'), line(1200, 'orch-2 became candidate in term 1: election timeout')];

  it('is null when both runs tell the same lines', () => {
    expect(firstDifference(shared, [...shared])).toBeNull();
    expect(firstDifference([], [])).toBeNull();
  });

  it('finds the first line whose words differ, at the earlier time of the two', () => {
    const a = [...shared, line(1500, 'orch-2 elected leader, term 1'), line(9000, 'same later')];
    const b = [...shared, line(1480, 'orch-1 elected leader, term 1'), line(9000, 'same later')];
    expect(firstDifference(a, b)).toEqual({ atMs: 1480, index: 2, a: a[2], b: b[2] });
  });

  it('tells the same words at another time apart', () => {
    const a = [line(1000, 'orch-1 elected leader, term 1')];
    const b = [line(1001, 'orch-1 elected leader, term 1')];
    expect(firstDifference(a, b)).toMatchObject({ atMs: 1000, index: 0 });
  });

  it('says which run has nothing more when one has a line the other lacks', () => {
    const extra = line(4200, 'db-1 is down: fenced');
    expect(firstDifference([...shared, extra], shared)).toEqual({ atMs: 4200, index: 2, a: extra, b: null });
    expect(firstDifference(shared, [...shared, extra])).toEqual({ atMs: 4200, index: 2, a: null, b: extra });
  });
});

describe('searchFirstDifference on real runs', () => {
  it('finds nothing between a run and itself', () => {
    const s = preset('raft-basics');
    expect(searchFirstDifference(s, s, s.durationMs)).toBeNull();
  });

  it('finds where PreVote first changes a Raft election: the first timeout makes a pre-candidate instead of a candidate', () => {
    const s = preset('raft-basics');
    const found = searchFirstDifference(abScenario(s, 'prevote', 'off', s.seed), abScenario(s, 'prevote', 'on', s.seed), s.durationMs);
    expect(found).not.toBeNull();
    expect(found!.a!.text).toMatch(/became candidate in term 1/);
    expect(found!.b!.text).toMatch(/became precandidate in term 0/);
    expect(found!.atMs).toBe(found!.a!.atMs);
  });

  it('finds where fencing first changes a failover: the fence step', () => {
    const s = preset('failover-primary-crash');
    const found = searchFirstDifference(abScenario(s, 'fencing', 'off', s.seed), abScenario(s, 'fencing', 'on', s.seed), s.durationMs);
    expect(found!.a!.text).toMatch(/^Failover fence \(not done\).*fencing is off/);
    expect(found!.b!.text).toMatch(/^Failover fence by .*STONITH/);
  });

  it('dates a difference by the earlier line when one run says something the other does not until later', () => {
    const s = preset('sync-degraded');
    const found = searchFirstDifference(abScenario(s, 'strict', 'off', s.seed), abScenario(s, 'strict', 'on', s.seed), s.durationMs);
    expect(found!.a!.text).toMatch(/no synchronous standby: durability degraded/);
    expect(found!.b!.atMs).toBeGreaterThan(found!.a!.atMs);
    expect(found!.atMs).toBe(found!.a!.atMs);
  });
});

describe('A/B setups', () => {
  it('refuses a setting the scenario cannot compare, an unknown value and a bad seed, in words', () => {
    const raft = preset('raft-basics');
    expect(abProblem(raft, { knob: 'replication', a: 'sync', b: 'async', seed: 1 })).toMatch(/cannot compare Replication: it needs a database with a standby/);
    expect(abProblem(raft, { knob: 'prevote', a: 'off', b: 'maybe', seed: 1 })).toMatch(/PreVote can be “off” or “on”, not “maybe”/);
    expect(abProblem(raft, { knob: 'prevote', a: 'off', b: 'on', seed: -1 })).toMatch(/seed must be a whole number/);
    expect(abProblem(raft, { knob: 'prevote', a: 'off', b: 'on', seed: 7 })).toBeNull();
  });

  it('changes only the setting and the seed', () => {
    const s = preset('db-async-disk-failure');
    const sync = abScenario(s, 'replication', 'sync', 99);
    expect(sync.seed).toBe(99);
    expect(sync.topology.database!.standbys.every((standby) => standby.replication === 'sync')).toBe(true);
    expect({ ...sync, seed: s.seed, topology: s.topology }).toEqual(s);
  });

  it('reads the A/B part of a link, and says what is wrong with a bad one', () => {
    expect(parseAbHash('#preset=raft-basics&t=100')).toBeNull();
    expect(parseAbHash('#preset=raft-basics&ab=prevote.off.on&ab-seed=7')).toEqual({ ok: true, setup: { knob: 'prevote', a: 'off', b: 'on', seed: 7 } });
    expect(parseAbHash('#s=abc&ab=election.raft.bully')).toEqual({ ok: true, setup: { knob: 'election', a: 'raft', b: 'bully', seed: null } });
    expect(parseAbHash('#preset=x&ab=prevote')).toMatchObject({ ok: false, message: expect.stringMatching(/ab= must name a setting and its two values/) });
    expect(parseAbHash('#preset=x&ab=prevote.off.on&ab-seed=-3')).toMatchObject({ ok: false, message: expect.stringMatching(/ab-seed= must be a whole number/) });
  });
});
