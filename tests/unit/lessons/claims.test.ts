// Proves a step's claims are judged on the moment given, with words for each that fails, and that live values fill a step's text.
import { describe, expect, it } from 'vitest';
import { firstFailure, judgeClaims } from '../../../src/sim/lesson/claims';
import { fillLive } from '../../../src/sim/lesson/live';
import type { LessonMoment, MomentNode } from '../../../src/sim/lesson/moment';

const orch = (id: string, role: string, term: number, up = true): MomentNode => ({ id, kind: 'orchestrator', up, role, term, writable: false });
const db = (id: string, role: string, writable: boolean, up = true): MomentNode => ({ id, kind: 'database', up, role, term: null, writable });

function moment(nodes: MomentNode[], more: Partial<LessonMoment> = {}): LessonMoment {
  return {
    nowMs: 5000,
    nodes,
    meters: { term: Math.max(0, ...nodes.filter((n) => n.up && n.term !== null).map((n) => n.term!)), lostWrites: 0 },
    writesFailingSinceMs: null,
    invariants: [{ name: 'single-writer', ok: true }],
    lastCrashed: null,
    lastRestarted: null,
    checkQuorum: false,
    orchestrators: nodes.filter((n) => n.kind === 'orchestrator').length,
    ...more,
  };
}

const statuses = (results: ReturnType<typeof judgeClaims>) => results.map((r) => r.status);

describe('leadership claims', () => {
  const led = moment([orch('orch-1', 'follower', 2), orch('orch-2', 'leader', 2), orch('orch-3', 'down', 1, false)], { lastCrashed: 'orch-3' });

  it('holds what the moment shows and fails what it does not', () => {
    expect(statuses(judgeClaims([{ leader: 'orch-2' }, { leader: '@any' }, { noLeader: true }, { leader: 'orch-1' }], led, 0))).toEqual(['holds', 'holds', 'fails', 'fails']);
    expect(statuses(judgeClaims([{ node: 'orch-3', is: 'down' }, { node: '@last-crashed', is: 'down' }, { node: 'orch-1', is: 'leader' }], led, 0))).toEqual(['holds', 'holds', 'fails']);
  });

  it('says what was expected, what the run shows and why another node won', () => {
    const [result] = judgeClaims([{ leader: 'orch-1' }], led, 0);
    expect(result).toMatchObject({ expected: 'orch-1 leads', actual: 'orch-2 leads term 2; orch-1 is a follower, term 2' });
    expect(result!.why).toMatch(/orch-2's election timeout ran out first/);
  });

  it('explains a lone leader that stays leader without CheckQuorum, and one that steps down with it', () => {
    const lone = moment([orch('orch-1', 'down', 2, false), orch('orch-2', 'leader', 3), orch('orch-3', 'down', 2, false)]);
    const [result] = judgeClaims([{ noLeader: true }], lone, 5000);
    expect(result).toMatchObject({ status: 'fails', actual: 'orch-2 leads term 3' });
    expect(result!.why).toMatch(/only 1 of 3 orchestrators run, but CheckQuorum is off/);
    expect(judgeClaims([{ noLeader: true }], { ...lone, checkQuorum: true }, 5000)[0]!.why).toMatch(/with CheckQuorum orch-2 steps down/);
  });

  it('explains no leader by the majority it lacks', () => {
    const none = moment([orch('orch-1', 'candidate', 5), orch('orch-2', 'down', 3, false), orch('orch-3', 'down', 2, false)]);
    expect(judgeClaims([{ leader: '@any' }], none, 0)[0]!.why).toMatch(/a leader needs the votes of a majority \(2\)/);
  });

  it('waits for a claim with `after` until its step has been current that long', () => {
    expect(statuses(judgeClaims([{ noLeader: true, after: 3000 }], led, 2999))).toEqual(['waiting']);
    expect(statuses(judgeClaims([{ noLeader: true, after: 3000 }], led, 3000))).toEqual(['fails']);
    expect(firstFailure(judgeClaims([{ noLeader: true, after: 3000 }], led, 2999))).toBeNull();
  });
});

describe('database claims', () => {
  const split = moment([db('db-1', 'primary', true), db('db-2', 'primary', true), db('db-3', 'standby', false)], {
    writesFailingSinceMs: 4200,
    meters: { lostWrites: 12 },
    invariants: [{ name: 'single-writer', ok: false }],
  });

  it('counts the nodes that take writes, and names a split brain', () => {
    const [one, two] = judgeClaims([{ primaries: 1 }, { primaries: 2 }], split, 0);
    expect(one).toMatchObject({ status: 'fails', actual: 'db-1 and db-2 all take writes' });
    expect(one!.why).toMatch(/split brain/);
    expect(two!.status).toBe('holds');
  });

  it('reads primaries, rejected writes, meters and invariants', () => {
    expect(
      statuses(
        judgeClaims(
          [
            { primary: 'db-2' },
            { primary: 'db-3' },
            { writesRejected: true },
            { meter: 'lostWrites', above: 0 },
            { meter: 'lostWrites', equals: 0 },
            { invariant: 'single-writer', holds: false },
            { node: 'db-3', is: 'standby' },
          ],
          split,
          0,
        ),
      ),
    ).toEqual(['holds', 'fails', 'holds', 'holds', 'fails', 'holds', 'holds']);
    expect(judgeClaims([{ meter: 'lostWrites', equals: 0 }], split, 0)[0]).toMatchObject({ expected: 'Lost writes is 0', actual: 'Lost writes is 12' });
    expect(judgeClaims([{ meter: 'requestsServed', above: 0 }], split, 0)[0]).toMatchObject({ status: 'fails', actual: 'this run has no Requests served meter' });
  });
});

describe('live values', () => {
  it('fill the text from the moment, and say in words what is missing', () => {
    const m = moment([orch('orch-1', 'leader', 3), orch('orch-2', 'follower', 3), db('db-2', 'primary', true), db('db-3', 'standby', false)], { lastCrashed: 'orch-3', lastRestarted: 'orch-2' });
    expect(fillLive('**{leader} leads term {term}**; {primary} writes, {standby} follows; {lastCrashed} crashed, {lastRestarted} restarted; {ours}', m)).toBe(
      '**orch-1 leads term 3**; db-2 writes, db-3 follows; orch-3 crashed, orch-2 restarted; {ours}',
    );
    expect(fillLive('{leader} / {lastCrashed}', moment([orch('orch-1', 'candidate', 4)]))).toBe('(no leader) / (none crashed yet)');
    expect(fillLive('{leader}', null)).toBe('{leader}');
  });
});
