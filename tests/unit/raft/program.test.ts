// Proves what the kernel and the page read off a Raft node: its view (role, term, detail, last 20 entries), its disk, and how each message is drawn.
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { raftProgram } from '../../../src/sim/machines/raft/program';
import type { RaftMessage } from '../../../src/sim/machines/raft/types';
import { Cluster, SETTINGS } from './harness';
import { TEST_TOPOLOGY } from '../../support/settings';

function viewOf(cluster: Cluster, id: string) {
  return raftProgram.view(cluster.snapshot(id));
}

describe('raftProgram', () => {
  it('is an orchestrator program', () => {
    expect(raftProgram.kind).toBe('orchestrator');
  });

  it('views a leader with its term, vote, commit index and the last 20 entries of its log', () => {
    const cluster = new Cluster(3);
    cluster.elect('orch-1');
    for (let i = 1; i <= 25; i++) cluster.propose('orch-1', `c${i}`);
    cluster.deliverAll();

    const view = viewOf(cluster, 'orch-1');
    expect(view.role).toBe('leader');
    expect(view.term).toBe(1);
    expect(view.detail).toEqual({ votedFor: 'orch-1', commitIndex: 26, lastApplied: 26, logLength: 26, leader: 'orch-1', members: 'orch-1, orch-2, orch-3' });
    expect(view.log).toHaveLength(20);
    expect(view.log?.at(-1)).toEqual({ term: 1, cmd: 'c25' });
    expect(view.log?.[0]).toEqual({ term: 1, cmd: 'c6' });
    expect(view.commitIndex).toBe(26);
  });

  it('shows a PreVote candidate as a candidate', () => {
    const cluster = new Cluster(3, { preVote: true });
    cluster.fire('orch-2', 'election');
    expect(cluster.state('orch-2')).toBe('precandidate');
    expect(viewOf(cluster, 'orch-2').role).toBe('candidate');
  });

  it('hands back the disk the node keeps across a crash', () => {
    const actor = createActor(raftProgram.machine, {
      input: { id: 'orch-1', peers: [], disk: { currentTerm: 4, votedFor: 'orch-1', log: [{ term: 4, cmd: 'x' }] }, settings: SETTINGS, topology: TEST_TOPOLOGY },
    });
    actor.start();
    expect(raftProgram.diskOf(actor.getSnapshot())).toEqual({ currentTerm: 4, votedFor: 'orch-1', log: [{ term: 4, cmd: 'x' }] });
    expect(raftProgram.view(actor.getSnapshot())).toMatchObject({ role: 'follower', term: 4 });
    actor.stop();
  });

  it('draws each message in its family', () => {
    const look = (msg: RaftMessage) => raftProgram.look(msg);
    expect(look({ type: 'RequestVote', term: 5, lastLogIndex: 3, lastLogTerm: 2, preVote: false })).toEqual({
      family: 'vote-request',
      label: 'RequestVote t5',
    });
    expect(look({ type: 'RequestVote', term: 5, lastLogIndex: 3, lastLogTerm: 2, preVote: true }).label).toBe('PreVote t5');
    expect(look({ type: 'RequestVoteReply', term: 5, granted: true, preVote: false, requestTerm: 5 }).family).toBe('vote');
    const heartbeat = { type: 'AppendEntries', term: 5, prevLogIndex: 3, prevLogTerm: 2, entries: [], leaderCommit: 3 } as const;
    expect(look(heartbeat).family).toBe('heartbeat');
    expect(look(heartbeat).label).toBe('heartbeat t5');
    expect(look({ ...heartbeat, entries: [{ term: 5, cmd: 'x' }] })).toEqual({ family: 'append', label: 'append 4 t5' });
    expect(look({ ...heartbeat, entries: [{ term: 5, cmd: 'x' }, { term: 5, cmd: 'y' }] }).label).toBe('append 4–5 t5');
    const ack = { type: 'AppendEntriesReply', term: 5, success: true, matchIndex: 4, conflictIndex: 0, conflictTerm: null } as const;
    expect(look(ack).family).toBe('append-ack');
  });
});
