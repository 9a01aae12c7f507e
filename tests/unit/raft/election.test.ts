// Proves Raft's elections: one leader per term that everybody agrees on, votes only for an up-to-date log, one vote per term even across a restart, and a lone node electing itself.
import { describe, expect, it } from 'vitest';
import { Cluster, entries, messageTo } from './harness';
import type { RequestVoteReply } from '../../../src/sim/machines/raft/types';

describe('raft elections', () => {
  it('every node starts as a follower with its election timer armed', () => {
    const cluster = new Cluster(3);
    for (const id of cluster.ids) {
      expect(cluster.state(id)).toBe('follower');
      expect(cluster.isArmed(id, 'election')).toBe(true);
      expect(cluster.tracesOfType(id, 'role')[0]).toMatchObject({ role: 'follower', term: 0, reason: 'started' });
    }
  });

  it('a three-node cluster elects exactly one leader and all agree on its term', () => {
    const cluster = new Cluster(3);
    const term = cluster.elect('orch-2');

    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(term).toBe(1);
    for (const id of cluster.ids) expect(cluster.term(id)).toBe(1);
    expect(cluster.tracesOfType('orch-2', 'leader')).toEqual([{ type: 'leader', term: 1 }]);
    expect(cluster.tracesOfType('orch-2', 'role').at(-1)).toMatchObject({ role: 'leader', reason: 'won election' });
    // The new leader cancelled its election timer and heartbeats instead.
    expect(cluster.isArmed('orch-2', 'election')).toBe(false);
    expect(cluster.isArmed('orch-2', 'heartbeat')).toBe(true);
  });

  it('two candidates in the same term split the votes and still yield at most one leader', () => {
    const cluster = new Cluster(3);
    cluster.fire('orch-1', 'election');
    cluster.fire('orch-2', 'election');
    cluster.deliverAll();

    // orch-3 hears orch-1 first and votes for it; orch-2 had voted for itself.
    expect(cluster.leaders()).toEqual(['orch-1']);
    expect(cluster.state('orch-2')).toBe('follower');
    for (const id of cluster.ids) expect(cluster.term(id)).toBe(1);
  });

  it('a candidate that cannot reach anyone campaigns again in a higher term at its next timeout', () => {
    const cluster = new Cluster(3);
    cluster.isolate('orch-1');
    cluster.elect('orch-1');
    cluster.elect('orch-1');
    expect(cluster.state('orch-1')).toBe('candidate');
    expect(cluster.term('orch-1')).toBe(2);
    expect(cluster.leaders()).toEqual([]);
  });

  it('refuses its vote to a candidate whose log is less up to date (§5.4.1)', () => {
    const ahead = { currentTerm: 2, votedFor: null, log: entries([1, 'a'], [2, 'b']) };
    const behind = { currentTerm: 2, votedFor: null, log: entries([1, 'a'], [1, 'x'], [1, 'y']) };
    const cluster = new Cluster(3, {}, { 'orch-1': behind, 'orch-2': ahead, 'orch-3': ahead });
    cluster.fire('orch-1', 'election');
    const replies = cluster.inFlight.length;
    cluster.deliverAll();

    expect(replies).toBe(2);
    const answers = cluster.delivered.filter((e) => e.to === 'orch-1').map((e) => e.msg as RequestVoteReply);
    expect(answers.map((a) => a.granted)).toEqual([false, false]);
    expect(cluster.state('orch-1')).toBe('candidate');
    // The voters still adopted the candidate's higher term (Figure 2), without voting.
    expect(cluster.ctx('orch-2').disk).toMatchObject({ currentTerm: 3, votedFor: null });

    // The up-to-date node wins.
    cluster.elect('orch-2');
    expect(cluster.leaders()).toEqual(['orch-2']);
  });

  it('grants at most one vote per term, and the vote survives a restart', () => {
    const cluster = new Cluster(3);
    cluster.fire('orch-1', 'election');
    cluster.deliverFirst(messageTo('orch-3', 'RequestVote'));
    expect(cluster.ctx('orch-3').disk).toMatchObject({ currentTerm: 1, votedFor: 'orch-1' });
    expect(cluster.tracesOfType('orch-3', 'vote')).toEqual([{ type: 'vote', term: 1, for: 'orch-1' }]);

    cluster.crash('orch-3');
    cluster.restart('orch-3');
    expect(cluster.ctx('orch-3').disk).toMatchObject({ currentTerm: 1, votedFor: 'orch-1' });

    // orch-2 campaigns in the same term 1 (its own timer fired before it heard anything).
    cluster.drop(() => true);
    cluster.fire('orch-2', 'election');
    cluster.deliverFirst(messageTo('orch-3', 'RequestVote'));
    const answer = cluster.deliverFirst(messageTo('orch-2', 'RequestVoteReply')).msg as RequestVoteReply;
    expect(answer).toMatchObject({ term: 1, granted: false });
    expect(cluster.tracesOfType('orch-3', 'vote')).toHaveLength(1);
  });

  it('answers a repeated RequestVote from the candidate it voted for with yes again', () => {
    const cluster = new Cluster(3);
    cluster.fire('orch-1', 'election');
    cluster.duplicate(0);
    cluster.deliverAll();
    const toOrch1 = cluster.delivered.filter((e) => e.to === 'orch-1' && e.msg.type === 'RequestVoteReply');
    expect(toOrch1.every((e) => (e.msg as RequestVoteReply).granted)).toBe(true);
    expect(cluster.tracesOfType('orch-2', 'vote')).toHaveLength(1);
  });

  it('a leader that sees a higher term steps down, says why, then handles the message', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.isolate('orch-2');
    cluster.elect('orch-2'); // term 2, heard by nobody
    cluster.heal();
    cluster.elect('orch-2'); // term 3

    expect(cluster.tracesOfType('orch-1', 'role').at(-1)).toMatchObject({
      role: 'follower',
      term: 3,
      reason: 'saw higher term 3 from orch-2',
    });
    // orch-2's log is as up to date as orch-1's, so the re-processed request won it the vote.
    expect(cluster.ctx('orch-1').disk.votedFor).toBe('orch-2');
    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(cluster.isArmed('orch-1', 'heartbeat')).toBe(false);
  });

  it('a single-node cluster elects itself at its first timeout and commits alone', () => {
    const cluster = new Cluster(1);
    cluster.elect('orch-1');
    expect(cluster.leaders()).toEqual(['orch-1']);
    cluster.propose('orch-1', 'set x=1');
    expect(cluster.ctx('orch-1').commitIndex).toBe(2);
    expect(cluster.applied('orch-1')).toEqual(['(no-op)', 'set x=1']);

    // After a restart it re-elects itself and re-applies everything from index 1.
    cluster.crash('orch-1');
    cluster.restart('orch-1');
    cluster.elect('orch-1');
    expect(cluster.term('orch-1')).toBe(2);
    expect(cluster.applied('orch-1')).toEqual(['(no-op)', 'set x=1', '(no-op)', 'set x=1', '(no-op)']);
  });

  it('a single node with PreVote and CheckQuorum on still elects itself at once and stays leader', () => {
    const cluster = new Cluster(1, { preVote: true, checkQuorum: true });
    cluster.elect('orch-1');
    expect(cluster.tracesOfType('orch-1', 'role').map((r) => r.role)).toEqual(['follower', 'precandidate', 'candidate', 'leader']);
    cluster.fire('orch-1', 'check-quorum');
    expect(cluster.leaders()).toEqual(['orch-1']);
    expect(cluster.ctx('orch-1').commitIndex).toBe(1);
  });
});
