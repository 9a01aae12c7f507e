// Proves the two guards against disruption: without them a rejoining node's inflated term deposes a healthy leader; PreVote keeps its term from climbing, CheckQuorum makes a cut-off leader step down and followers ignore votes while their leader is alive.
import { describe, expect, it } from 'vitest';
import { Cluster, messageFrom, messageTo } from './harness';
import type { RequestVote, RequestVoteReply } from '../../../src/sim/machines/raft/types';

/** orch-3 is cut off for `timeouts` election timeouts while orch-1 leads, then the network heals. */
function partitionAndRejoin(cluster: Cluster, timeouts: number): void {
  cluster.elect('orch-1');
  cluster.heartbeat('orch-1');
  cluster.isolate('orch-3');
  for (let i = 0; i < timeouts; i++) cluster.elect('orch-3');
  cluster.heartbeat('orch-1');
  cluster.heal();
}

describe('plain Figure 2 (PreVote and CheckQuorum off)', () => {
  it('a partitioned node’s term climbs, and on healing it forces the leader to step down', () => {
    const cluster = new Cluster(3);
    partitionAndRejoin(cluster, 4);
    expect(cluster.term('orch-3')).toBe(5);

    cluster.heartbeat('orch-1'); // orch-3 refuses with term 5
    expect(cluster.state('orch-1')).toBe('follower');
    expect(cluster.term('orch-1')).toBe(5);
    expect(cluster.tracesOfType('orch-1', 'role').at(-1)).toMatchObject({ reason: 'saw higher term 5 from orch-3' });
  });
});

describe('PreVote', () => {
  it('a partitioned node keeps its term, and on healing its PreVotes are refused and the leader stays', () => {
    const cluster = new Cluster(3, { preVote: true });
    partitionAndRejoin(cluster, 4);
    expect(cluster.term('orch-3')).toBe(1);
    expect(cluster.state('orch-3')).toBe('precandidate');
    expect(cluster.tracesOfType('orch-3', 'role').at(-1)).toMatchObject({ role: 'precandidate', term: 1 });

    cluster.fire('orch-3', 'election');
    const probes = cluster.inFlight.filter(messageFrom('orch-3', 'RequestVote')).map((e) => e.msg as RequestVote);
    expect(probes.map((p) => [p.preVote, p.term])).toEqual([[true, 2], [true, 2]]);
    cluster.deliverAll();
    const answers = cluster.delivered.filter(messageTo('orch-3', 'RequestVoteReply')).map((e) => e.msg as RequestVoteReply);
    expect(answers.map((a) => a.granted)).toEqual([false, false]);

    expect(cluster.leaders()).toEqual(['orch-1']);
    for (const id of cluster.ids) expect(cluster.term(id)).toBe(1);
    cluster.heartbeat('orch-1'); // orch-3 rejoins as a follower of the same term
    expect(cluster.state('orch-3')).toBe('follower');
    expect(cluster.tracesOfType('orch-1', 'role').map((r) => r.role)).toEqual(['follower', 'precandidate', 'candidate', 'leader']);
  });

  it('still elects a new leader once the old one is gone and the followers’ leases ran out', () => {
    const cluster = new Cluster(3, { preVote: true });
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    cluster.crash('orch-1');

    // orch-2 times out while orch-3 still has a fresh lease: refused, and nobody's term moves.
    cluster.fire('orch-2', 'leader-lease');
    cluster.elect('orch-2');
    expect(cluster.term('orch-2')).toBe(1);
    expect(cluster.state('orch-2')).toBe('precandidate');

    cluster.fire('orch-3', 'leader-lease');
    cluster.elect('orch-2');
    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(cluster.term('orch-2')).toBe(2);
    expect(cluster.tracesOfType('orch-2', 'role').slice(-2).map((r) => r.reason)).toEqual(['won pre-vote', 'won election']);
  });

  it('a granted PreVote changes neither the voter’s term nor its vote', () => {
    const cluster = new Cluster(3, { preVote: true });
    cluster.fire('orch-1', 'election');
    cluster.deliverFirst(messageTo('orch-2', 'RequestVote'));
    expect(cluster.ctx('orch-2').disk).toMatchObject({ currentTerm: 0, votedFor: null });
    expect(cluster.inFlight.find(messageFrom('orch-2'))?.msg).toEqual({
      type: 'RequestVoteReply',
      term: 0,
      granted: true,
      preVote: true,
      requestTerm: 1,
    });
  });
});

describe('CheckQuorum', () => {
  it('a leader that hears from no majority for an election timeout steps down', () => {
    const cluster = new Cluster(3, { checkQuorum: true });
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    cluster.fire('orch-1', 'check-quorum');
    expect(cluster.state('orch-1')).toBe('leader');

    cluster.isolate('orch-1');
    cluster.heartbeat('orch-1');
    cluster.fire('orch-1', 'check-quorum');
    expect(cluster.state('orch-1')).toBe('follower');
    expect(cluster.term('orch-1')).toBe(1);
    expect(cluster.tracesOfType('orch-1', 'role').at(-1)).toMatchObject({ role: 'follower', reason: 'lost quorum' });
    expect(cluster.isArmed('orch-1', 'heartbeat')).toBe(false);
    expect(cluster.isArmed('orch-1', 'check-quorum')).toBe(false);
    cluster.propose('orch-1', 'x');
    expect(cluster.replies.at(-1)).toMatchObject({ accepted: false });
  });

  it('a follower that heard from its leader recently ignores a higher-term RequestVote: no vote, no new term, no answer', () => {
    const cluster = new Cluster(3, { checkQuorum: true });
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    cluster.isolate('orch-3');
    cluster.elect('orch-3');
    cluster.heal();

    cluster.fire('orch-3', 'election'); // RequestVote of term 3
    cluster.deliverFirst(messageTo('orch-2', 'RequestVote'));
    cluster.deliverFirst(messageTo('orch-1', 'RequestVote'));
    expect(cluster.term('orch-2')).toBe(1);
    expect(cluster.ctx('orch-2').disk.votedFor).toBe('orch-1');
    expect(cluster.inFlight.filter(messageTo('orch-3'))).toEqual([]);
    expect(cluster.leaders()).toEqual(['orch-1']);

    // Once the lease runs out the request counts again.
    cluster.fire('orch-2', 'leader-lease');
    cluster.fire('orch-3', 'election');
    cluster.deliverFirst(messageTo('orch-2', 'RequestVote'));
    expect(cluster.term('orch-2')).toBe(4);
  });
});
