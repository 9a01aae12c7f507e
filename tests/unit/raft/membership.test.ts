// Proves Raft's single-server membership changes (dissertation §4.1–4.2): a change travels through the log and takes effect on append, majorities follow the new configuration, changes go one at a time, a new empty node catches up and can then lead, a removed node cannot disrupt, and a leader that removes itself steps down once that is committed.
import { describe, expect, it } from 'vitest';
import { configChangeRefusal } from '../../../src/sim/machines/raft/logic';
import { raftProgram } from '../../../src/sim/machines/raft/program';
import { Cluster, entries, messageFrom, messageTo } from './harness';

/** Elects orch-1 and lets its no-op commit everywhere, so that it may change the configuration. */
function settled(size: number, settings = {}): Cluster {
  const cluster = new Cluster(size, settings);
  cluster.elect('orch-1');
  cluster.heartbeat('orch-1');
  return cluster;
}

function lastReply(cluster: Cluster) {
  return cluster.replies.at(-1);
}

describe('raft membership changes', () => {
  it('removes a member and adds a new one through the log; every node, the new one included, ends with the same configuration', () => {
    const cluster = settled(3);
    cluster.propose('orch-1', 'config remove orch-2');
    expect(lastReply(cluster)).toMatchObject({ cmd: 'config remove orch-2', accepted: true });
    // The leader acts on the change as soon as it is in its log, before it commits.
    expect(cluster.members('orch-1')).toEqual(['orch-1', 'orch-3']);
    expect(cluster.inFlight.filter(messageTo('orch-2'))).toEqual([]);
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    expect(cluster.members('orch-3')).toEqual(['orch-1', 'orch-3']);
    expect(cluster.applied('orch-3')).toEqual(['(no-op)', 'config remove orch-2']);

    cluster.addNode('orch-4');
    cluster.propose('orch-1', 'config add orch-4');
    expect(lastReply(cluster)).toMatchObject({ cmd: 'config add orch-4', accepted: true });
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    for (const id of ['orch-1', 'orch-3', 'orch-4']) {
      expect(cluster.members(id), id).toEqual(['orch-1', 'orch-3', 'orch-4']);
      expect(cluster.log(id), id).toEqual(cluster.log('orch-1'));
      expect(cluster.applied(id).at(-1), id).toBe('config add orch-4');
    }
    expect(raftProgram.view(cluster.snapshot('orch-4')).detail.members).toBe('orch-1, orch-3, orch-4');
    // The removed node heard nothing since: it still believes in the first configuration.
    expect(cluster.members('orch-2')).toEqual(['orch-1', 'orch-2', 'orch-3']);
    expect(cluster.log('orch-2')).toEqual(entries([1, '(no-op)']));
  });

  it('counts commits in a majority of the new configuration: two of three after a removal, three of four after an addition', () => {
    const five = settled(5);
    // Two of five cannot commit.
    five.isolate('orch-3', 'orch-4', 'orch-5');
    five.propose('orch-1', 'before');
    five.deliverAll();
    expect(five.ctx('orch-1').commitIndex).toBe(1);
    five.heal();
    five.heartbeat('orch-1');
    five.propose('orch-1', 'config remove orch-5');
    five.deliverAll();
    five.propose('orch-1', 'config remove orch-4');
    five.deliverAll();
    expect(five.members('orch-1')).toEqual(['orch-1', 'orch-2', 'orch-3']);
    // Now two of three can.
    five.isolate('orch-3', 'orch-4', 'orch-5');
    five.propose('orch-1', 'after');
    five.deliverAll();
    expect(five.log('orch-1').at(-1)?.cmd).toBe('after');
    expect(five.ctx('orch-1').commitIndex).toBe(five.log('orch-1').length);

    const three = settled(3);
    three.addNode('orch-4');
    three.propose('orch-1', 'config add orch-4');
    three.deliverAll();
    expect(three.ctx('orch-1').commitIndex).toBe(2);
    // Leader and orch-4 are two of four: not enough any more, though two of three were.
    three.isolate('orch-2', 'orch-3');
    three.propose('orch-1', 'x');
    three.deliverAll();
    expect(three.ctx('orch-1').commitIndex).toBe(2);
    expect(three.log('orch-4').at(-1)?.cmd).toBe('x');
  });

  it('refuses a second change while the first is uncommitted, a change that changes nothing, and a change before its own term has a commit', () => {
    const cluster = settled(3);
    cluster.isolate('orch-1');
    cluster.propose('orch-1', 'config remove orch-3');
    expect(lastReply(cluster)).toMatchObject({ accepted: true });
    cluster.propose('orch-1', 'config remove orch-2');
    expect(lastReply(cluster)).toEqual({ node: 'orch-1', cmd: 'config remove orch-2', accepted: false, leaderHint: 'orch-1' });
    expect(configChangeRefusal(cluster.ctx('orch-1'), 'config remove orch-2')).toBe('the change at entry 2 is not committed yet');
    expect(cluster.log('orch-1').map((e) => e.cmd)).toEqual(['(no-op)', 'config remove orch-3']);
    cluster.heal();
    cluster.heartbeat('orch-1');
    // Committed now: the next change is welcome.
    cluster.propose('orch-1', 'config remove orch-2');
    expect(lastReply(cluster)).toMatchObject({ accepted: true });
    cluster.deliverAll();
    expect(cluster.members('orch-1')).toEqual(['orch-1']);

    const refusals = {
      'config add orch-1': 'orch-1 is already a member',
      'config remove orch-3': 'orch-3 is not a member',
      'config remove orch-1': 'it would leave the cluster without members',
      'config add db-1': 'not a membership change',
      'config shuffle': 'not a membership change',
    };
    for (const [cmd, reason] of Object.entries(refusals)) {
      expect(configChangeRefusal(cluster.ctx('orch-1'), cmd), cmd).toContain(reason);
      cluster.propose('orch-1', cmd);
      expect(lastReply(cluster), cmd).toMatchObject({ cmd, accepted: false });
    }
    expect(cluster.log('orch-1')).toHaveLength(3);

    // A leader whose no-op has not committed yet takes no change (the errata to §4.1).
    const fresh = new Cluster(3);
    fresh.fire('orch-2', 'election');
    fresh.deliverFirst(messageFrom('orch-2', 'RequestVote'));
    fresh.deliverFirst(messageTo('orch-2', 'RequestVoteReply'));
    expect(fresh.state('orch-2')).toBe('leader');
    fresh.propose('orch-2', 'config remove orch-1');
    expect(lastReply(fresh)).toMatchObject({ accepted: false });
    expect(configChangeRefusal(fresh.ctx('orch-2'), 'config remove orch-1')).toBe('no entry of this term is committed yet');
    fresh.deliverAll();
    fresh.propose('orch-2', 'config remove orch-1');
    expect(lastReply(fresh)).toMatchObject({ accepted: true });
  });

  it('a brand-new node never campaigns, catches up from an empty log once added, and can then be elected', () => {
    const cluster = settled(3);
    for (let i = 1; i <= 100; i++) cluster.propose('orch-1', `c${i}`);
    cluster.deliverAll();
    cluster.addNode('orch-4');
    expect(cluster.members('orch-4')).toEqual(['orch-1', 'orch-2', 'orch-3']);
    cluster.fire('orch-4', 'election');
    expect(cluster.state('orch-4')).toBe('follower');
    expect(cluster.term('orch-4')).toBe(0);
    expect(cluster.inFlight.filter(messageFrom('orch-4'))).toEqual([]);
    expect(cluster.isArmed('orch-4', 'election')).toBe(true);

    cluster.propose('orch-1', 'config add orch-4');
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    expect(cluster.log('orch-4')).toEqual(cluster.log('orch-1'));
    expect(cluster.ctx('orch-4').commitIndex).toBe(102);
    expect(cluster.applied('orch-4')).toHaveLength(102);
    // More than one batch: it caught up in several AppendEntries.
    expect(cluster.delivered.filter((e) => e.to === 'orch-4' && e.msg.type === 'AppendEntries' && e.msg.entries.length > 0).length).toBeGreaterThan(1);

    cluster.crash('orch-1');
    expect(cluster.elect('orch-4')).toBe(2);
    expect(cluster.state('orch-4')).toBe('leader');
    cluster.heartbeat('orch-4');
    expect(cluster.ctx('orch-2').leader).toBe('orch-4');
  });

  it('a removed node that restarts without knowing it cannot disrupt: its vote requests, PreVote ones too, are ignored', () => {
    for (const preVote of [false, true]) {
      const cluster = settled(3, { preVote });
      cluster.crash('orch-3');
      cluster.propose('orch-1', 'config remove orch-3');
      cluster.deliverAll();
      expect(cluster.ctx('orch-1').commitIndex).toBe(2);
      cluster.restart('orch-3');
      expect(cluster.members('orch-3')).toEqual(['orch-1', 'orch-2', 'orch-3']);
      for (let round = 0; round < 3; round++) {
        cluster.fire('orch-3', 'election');
        expect(cluster.inFlight.filter(messageFrom('orch-3', 'RequestVote')).length, `preVote ${preVote}`).toBe(2);
        cluster.deliverAll();
      }
      expect(cluster.term('orch-1'), `preVote ${preVote}`).toBe(1);
      expect(cluster.term('orch-2'), `preVote ${preVote}`).toBe(1);
      expect(cluster.leaders()).toEqual(['orch-1']);
      expect(cluster.delivered.filter(messageFrom('orch-1', 'RequestVoteReply')).filter((e) => e.to === 'orch-3')).toEqual([]);
      cluster.propose('orch-1', 'still working');
      cluster.deliverAll();
      expect(cluster.applied('orch-1').at(-1)).toBe('still working');
    }
  });

  it('a leader that removes itself keeps leading, without counting itself, until the removal commits; then it steps down and never campaigns', () => {
    const cluster = settled(3);
    cluster.propose('orch-1', 'config remove orch-1');
    expect(cluster.members('orch-1')).toEqual(['orch-2', 'orch-3']);
    cluster.deliverFirst(messageTo('orch-2', 'AppendEntries'));
    cluster.deliverFirst(messageFrom('orch-2', 'AppendEntriesReply'));
    // Itself and orch-2 would be two of three; but it is no longer a member, and orch-2 alone is one of two.
    expect(cluster.ctx('orch-1').commitIndex).toBe(1);
    expect(cluster.state('orch-1')).toBe('leader');
    cluster.deliverAll();
    expect(cluster.ctx('orch-1').commitIndex).toBe(2);
    expect(cluster.state('orch-1')).toBe('follower');
    expect(cluster.tracesOfType('orch-1', 'role').at(-1)).toMatchObject({ role: 'follower', term: 1, reason: expect.stringContaining('removal') });
    expect(cluster.isArmed('orch-1', 'heartbeat')).toBe(false);
    expect(cluster.applied('orch-1').at(-1)).toBe('config remove orch-1');

    cluster.fire('orch-1', 'election');
    expect(cluster.state('orch-1')).toBe('follower');
    expect(cluster.inFlight.filter(messageFrom('orch-1'))).toEqual([]);
    // The two that are left elect one of them; two of two vote.
    expect(cluster.elect('orch-2')).toBe(2);
    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(cluster.members('orch-2')).toEqual(['orch-2', 'orch-3']);
  });

  it('a leader whose own removal is not yet committed when it loses office campaigns again to finish it, without counting its own vote', () => {
    const cluster = settled(3);
    cluster.propose('orch-1', 'config remove orch-3');
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    expect(cluster.members('orch-2')).toEqual(['orch-1', 'orch-2']);
    cluster.propose('orch-1', 'config remove orch-1');
    cluster.drop(messageFrom('orch-1'));
    cluster.crash('orch-1');
    cluster.restart('orch-1');
    // orch-2 cannot win: its configuration needs orch-1's vote, and orch-1's log is ahead.
    cluster.elect('orch-2');
    expect(cluster.leaders()).toEqual([]);
    // orch-1 is outside its own latest configuration, but that is not committed: it campaigns (§4.2.2).
    cluster.fire('orch-1', 'election');
    expect(cluster.state('orch-1')).toBe('candidate');
    expect(cluster.ctx('orch-1').votes).toEqual(['orch-1']);
    cluster.deliverAll();
    // orch-2's vote alone is a majority of { orch-2 }; the removal commits and orch-1 steps down.
    expect(cluster.tracesOfType('orch-1', 'leader')).toHaveLength(2);
    expect(cluster.state('orch-1')).toBe('follower');
    expect(cluster.applied('orch-1').at(-1)).toBe('(no-op)');
    expect(cluster.log('orch-1').map((e) => e.cmd)).toContain('config remove orch-1');
    expect(cluster.elect('orch-2')).toBeGreaterThan(2);
    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(cluster.members('orch-2')).toEqual(['orch-2']);
  });

  it('an uncommitted change is rolled back when a new leader overwrites it', () => {
    const cluster = new Cluster(3, {}, {
      'orch-1': { currentTerm: 2, votedFor: null, log: entries([1, '(no-op)'], [2, '(no-op)']) },
      'orch-2': { currentTerm: 1, votedFor: null, log: entries([1, '(no-op)'], [1, 'config remove orch-3']) },
      'orch-3': { currentTerm: 2, votedFor: null, log: entries([1, '(no-op)'], [2, '(no-op)']) },
    });
    expect(cluster.members('orch-2')).toEqual(['orch-1', 'orch-2']);
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    expect(cluster.log('orch-2').map((e) => e.cmd)).toEqual(['(no-op)', '(no-op)', '(no-op)']);
    expect(cluster.members('orch-2')).toEqual(['orch-1', 'orch-2', 'orch-3']);
  });
});
