// Proves Raft's log replication: conflicts truncate only what conflicts, late duplicates change nothing, back-off skips whole terms, only current-term entries commit by counting (Figure 8), a minority cannot commit, and a restart keeps the disk.
import { describe, expect, it } from 'vitest';
import { Cluster, entries, messageFrom, messageTo, type Envelope } from './harness';
import type { AppendEntries, AppendEntriesReply } from '../../../src/sim/machines/raft/types';

function cmds(cluster: Cluster, id: string): string[] {
  return cluster.log(id).map((e) => `${e.term}:${e.cmd}`);
}

describe('raft log replication', () => {
  it('the new leader appends a no-op of its term, and everybody commits and applies it', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    for (const id of cluster.ids) {
      expect(cmds(cluster, id)).toEqual(['1:(no-op)']);
      expect(cluster.ctx(id).commitIndex).toBe(1);
      expect(cluster.tracesOfType(id, 'apply')).toEqual([{ type: 'apply', index: 1, term: 1, cmd: '(no-op)' }]);
    }
    expect(cluster.tracesOfType('orch-1', 'commit')).toEqual([{ type: 'commit', index: 1, term: 1 }]);
  });

  it('a proposal goes out at once and commits when a majority has it', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.propose('orch-1', 'x=1');
    expect(cluster.replies.at(-1)).toEqual({ node: 'orch-1', cmd: 'x=1', accepted: true, leaderHint: 'orch-1' });
    expect(cluster.tracesOfType('orch-1', 'log').at(-1)).toEqual({ type: 'log', index: 2, entries: [{ term: 1, cmd: 'x=1' }] });
    cluster.deliverAll();
    expect(cluster.ctx('orch-1').commitIndex).toBe(2);
    expect(cluster.applied('orch-1')).toEqual(['(no-op)', 'x=1']);
    // Followers learn the commit index with the next AppendEntries.
    cluster.heartbeat('orch-1');
    expect(cluster.applied('orch-3')).toEqual(['(no-op)', 'x=1']);
  });

  it('a proposal to a follower is refused with a hint to the leader it last heard from', () => {
    const cluster = new Cluster(3);
    cluster.propose('orch-2', 'early');
    expect(cluster.replies.at(-1)).toEqual({ node: 'orch-2', cmd: 'early', accepted: false, leaderHint: null });
    cluster.elect('orch-1');
    cluster.propose('orch-2', 'x=1');
    expect(cluster.replies.at(-1)).toEqual({ node: 'orch-2', cmd: 'x=1', accepted: false, leaderHint: 'orch-1' });
    expect(cmds(cluster, 'orch-2')).toEqual(['1:(no-op)']);
  });

  it('a follower deletes a conflicting entry and all after it, and takes the leader’s, skipping a whole term per refusal', () => {
    const leaderLog = entries([1, 'a'], [1, 'b'], [3, 'c'], [3, 'd'], [3, 'e']);
    const cluster = new Cluster(3, {}, {
      'orch-1': { currentTerm: 3, votedFor: null, log: leaderLog },
      'orch-2': { currentTerm: 2, votedFor: null, log: entries([1, 'a'], [2, 'x'], [2, 'y'], [2, 'z'], [2, 'w'], [2, 'v']) },
      'orch-3': { currentTerm: 3, votedFor: null, log: leaderLog },
    });
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');

    expect(cmds(cluster, 'orch-2')).toEqual(cmds(cluster, 'orch-1'));
    expect(cmds(cluster, 'orch-2')).toEqual(['1:a', '1:b', '3:c', '3:d', '3:e', '4:(no-op)']);
    // One refusal told the leader the whole term-2 run starts at index 2; a one-by-one back-off would need four.
    const refusals = cluster.delivered.filter((e) => e.from === 'orch-2' && e.msg.type === 'AppendEntriesReply' && !e.msg.success);
    expect(refusals.map((e) => e.msg)).toEqual([
      { type: 'AppendEntriesReply', term: 4, success: false, matchIndex: 0, conflictIndex: 2, conflictTerm: 2 },
    ]);
    expect(cluster.tracesOfType('orch-2', 'log')).toEqual([
      { type: 'log', index: 2, entries: entries([1, 'b'], [3, 'c'], [3, 'd'], [3, 'e'], [4, '(no-op)']) },
    ]);
    expect(cluster.ctx('orch-2').commitIndex).toBe(6);
  });

  it('a late duplicate of an AppendEntries whose entries already match truncates nothing', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.propose('orch-1', 'p1');
    const early = cluster.inFlight.find(messageTo('orch-2', 'AppendEntries'))!;
    cluster.deliverAll();
    cluster.propose('orch-1', 'p2');
    cluster.propose('orch-1', 'p3');
    cluster.deliverAll();
    expect(cmds(cluster, 'orch-2')).toEqual(['1:(no-op)', '1:p1', '1:p2', '1:p3']);
    const logTraces = cluster.tracesOfType('orch-2', 'log').length;

    cluster.inFlight.push(early); // the network delivers the old message again, late
    cluster.deliverFirst(messageTo('orch-2', 'AppendEntries'));
    expect(cmds(cluster, 'orch-2')).toEqual(['1:(no-op)', '1:p1', '1:p2', '1:p3']);
    expect(cluster.tracesOfType('orch-2', 'log')).toHaveLength(logTraces);
    // Its reply claims only what that message covered; the leader takes the max, so nothing regresses.
    const reply = cluster.deliverFirst(messageFrom('orch-2', 'AppendEntriesReply')).msg as AppendEntriesReply;
    expect(reply).toMatchObject({ success: true, matchIndex: 2 });
    expect(cluster.ctx('orch-1').matchIndex['orch-2']).toBe(4);
  });

  it('reordered AppendEntries (newer first) leave the follower with the full log', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.propose('orch-1', 'p1');
    cluster.propose('orch-1', 'p2');
    const toOrch2 = cluster.inFlight.filter(messageTo('orch-2', 'AppendEntries'));
    expect(toOrch2.map((e) => (e.msg as AppendEntries).prevLogIndex)).toEqual([1, 2]);
    cluster.deliverAt(cluster.inFlight.indexOf(toOrch2[1]!)); // p2 first: refused, its predecessor is missing
    cluster.deliverAt(cluster.inFlight.indexOf(toOrch2[0]!));
    cluster.deliverAll();
    expect(cmds(cluster, 'orch-2')).toEqual(['1:(no-op)', '1:p1', '1:p2']);
    expect(cluster.ctx('orch-1').commitIndex).toBe(3);
  });

  it('a far-behind follower catches up in batches of at most 64 entries, each sent as soon as the last is acknowledged', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.crash('orch-3');
    for (let i = 0; i < 150; i++) cluster.propose('orch-1', `c${i}`);
    cluster.deliverAll();
    cluster.restart('orch-3');
    cluster.heartbeat('orch-1');

    expect(cluster.log('orch-3')).toHaveLength(151);
    const appends = cluster.delivered.filter(messageTo('orch-3', 'AppendEntries')).map((e) => (e.msg as AppendEntries).entries.length);
    expect(Math.max(...appends)).toBe(64);
    expect(cluster.applied('orch-3').slice(-1)).toEqual(['c149']);
  });
});

describe('Figure 8, step by step', () => {
  it('orch-2 learns that a majority holds index 65 (term 1) and does not commit it; the no-op of term 2 then commits all', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    cluster.isolate('orch-3');
    for (let i = 0; i < 64; i++) cluster.propose('orch-1', `old${i}`);
    // orch-2 gets the entries; orch-1 never sees the acknowledgements.
    while (cluster.inFlight.some(messageTo('orch-2', 'AppendEntries'))) cluster.deliverFirst(messageTo('orch-2', 'AppendEntries'));
    cluster.inFlight = [];
    cluster.crash('orch-1');
    cluster.heal();

    cluster.fire('orch-2', 'election');
    const step = (match: (e: Envelope) => boolean) => cluster.deliverFirst(match);
    step(messageTo('orch-3', 'RequestVote'));
    step(messageTo('orch-2', 'RequestVoteReply'));
    expect(cluster.state('orch-2')).toBe('leader');
    step(messageTo('orch-3', 'AppendEntries')); // prev 65: refused
    step(messageTo('orch-2', 'AppendEntriesReply'));
    const batch = step(messageTo('orch-3', 'AppendEntries')).msg as AppendEntries;
    expect(batch.entries).toHaveLength(64); // indices 2…65, all of term 1
    step(messageTo('orch-2', 'AppendEntriesReply'));

    // orch-2 and orch-3 both hold index 65 now, a majority, but its term is 1: not committed.
    expect(cluster.ctx('orch-2').matchIndex['orch-3']).toBe(65);
    expect(cluster.ctx('orch-2').commitIndex).toBe(1);
    expect(cluster.tracesOfType('orch-2', 'commit').filter((c) => c.index > 1)).toEqual([]);

    // The acknowledgement sent the rest (the no-op of term 2) at once; once it is held, everything commits.
    step(messageTo('orch-3', 'AppendEntries'));
    step(messageTo('orch-2', 'AppendEntriesReply'));
    expect(cluster.ctx('orch-2').commitIndex).toBe(66);
    expect(cluster.tracesOfType('orch-2', 'commit').at(-1)).toEqual({ type: 'commit', index: 66, term: 2 });
  });
});

describe('raft commitment under faults', () => {
  it('a leader cut off with a minority cannot commit; the majority elects another and the old entry is replaced', () => {
    const cluster = new Cluster(5);
    cluster.elect('orch-1');
    cluster.heartbeat('orch-1');
    cluster.isolate('orch-1', 'orch-2');
    cluster.propose('orch-1', 'lost');
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    cluster.heartbeat('orch-1');
    expect(cluster.ctx('orch-1').commitIndex).toBe(1);
    expect(cluster.applied('orch-1')).not.toContain('lost');

    cluster.elect('orch-3');
    expect(cluster.leaders().sort()).toEqual(['orch-1', 'orch-3']); // two leaders, but of different terms
    cluster.propose('orch-3', 'kept');
    cluster.deliverAll();
    expect(cluster.ctx('orch-3').commitIndex).toBe(3);

    cluster.heal();
    cluster.heartbeat('orch-1'); // its stale AppendEntries are refused with term 2: it steps down
    expect(cluster.state('orch-1')).toBe('follower');
    cluster.heartbeat('orch-3');
    cluster.heartbeat('orch-3');
    for (const id of cluster.ids) expect(cmds(cluster, id)).toEqual(['1:(no-op)', '2:(no-op)', '2:kept']);
    expect(cluster.applied('orch-2')).toEqual(['(no-op)', '(no-op)', 'kept']);
  });

  it('a restarted node keeps its term, vote and log, and re-applies committed entries as it learns the commit index', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    cluster.propose('orch-1', 'x=1');
    cluster.deliverAll();
    cluster.heartbeat('orch-1');
    const before = { ...cluster.ctx('orch-2').disk, log: [...cluster.log('orch-2')] };

    cluster.crash('orch-2');
    cluster.restart('orch-2');
    expect(cluster.ctx('orch-2').disk).toEqual(before);
    expect(cluster.ctx('orch-2')).toMatchObject({ commitIndex: 0, lastApplied: 0, leader: null });
    expect(cluster.tracesOfType('orch-2', 'role').at(-1)).toMatchObject({ role: 'follower', term: 1, reason: 'restarted from disk' });

    cluster.heartbeat('orch-1');
    expect(cluster.ctx('orch-2').commitIndex).toBe(2);
    expect(cluster.applied('orch-2')).toEqual(['(no-op)', 'x=1', '(no-op)', 'x=1']);
  });
});
