// Proves the Bully election's observable story: the highest live node coordinates, the next one takes over after a silent timeout, a returning node bullies its way back, and a partition yields two coordinators at once.
import { describe, expect, it } from 'vitest';
import { BullyCluster, electedCluster, orch2TookOver } from './harness';

describe('Bully election with everyone up', () => {
  it('makes the highest-ranked node coordinator and everyone else follow it', () => {
    const cluster = BullyCluster.booted(3);
    expect(cluster.leaders()).toEqual([]);

    cluster.fireWherever('listen');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.announcements()).toEqual([['orch-3', 1]]);
    for (const id of ['orch-1', 'orch-2']) {
      expect(cluster.role(id)).toBe('follower');
      expect(cluster.coordinatorOf(id)).toBe('orch-3');
      expect(cluster.view(id).term).toBe(1);
    }
  });

  it('lets lower nodes that called an election settle on the announced coordinator', () => {
    const cluster = BullyCluster.booted(4);
    // orch-1 and orch-2 finish listening first and challenge their elders before orch-4 speaks.
    cluster.fire('orch-1', 'listen');
    cluster.fire('orch-2', 'listen');
    expect(cluster.role('orch-1')).toBe('candidate');

    cluster.fireWherever('listen');

    expect(cluster.leaders()).toEqual(['orch-4']);
    expect(cluster.ids.filter((id) => cluster.coordinatorOf(id) === 'orch-4')).toEqual(cluster.ids);
  });

  it('has a live coordinator answer a needless election by repeating its announcement, epoch unchanged', () => {
    const cluster = electedCluster(3);
    cluster.fire('orch-1', 'election'); // as if orch-1 had lost a few heartbeats

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.ids.map((id) => cluster.coordinatorOf(id))).toEqual(['orch-3', 'orch-3', 'orch-3']);
    expect(cluster.announcements()).toEqual([['orch-3', 1]]);
  });

  it('keeps the same coordinator and epoch while heartbeats flow', () => {
    const cluster = electedCluster(3);
    for (let round = 0; round < 5; round++) cluster.fire('orch-3', 'heartbeat');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.announcements()).toEqual([['orch-3', 1]]);
    expect(cluster.armed('orch-1')).toEqual(['election']);
  });
});

describe('Bully election when the coordinator crashes and returns', () => {
  it('hands over to the next-highest node once a follower times out', () => {
    const cluster = electedCluster(3);
    cluster.crash('orch-3');
    // Until a timeout fires nobody campaigns: silence alone changes nothing.
    expect(cluster.role('orch-1')).toBe('follower');
    expect(cluster.role('orch-2')).toBe('follower');

    cluster.fire('orch-1', 'election');
    expect(cluster.role('orch-1')).toBe('candidate');
    expect(cluster.role('orch-2')).toBe('candidate');
    expect(cluster.leaders()).toEqual([]);

    cluster.fire('orch-2', 'answer');

    expect(cluster.leaders()).toEqual(['orch-2']);
    expect(cluster.coordinatorOf('orch-1')).toBe('orch-2');
    expect(cluster.announcements()).toEqual([['orch-3', 1], ['orch-2', 2]]);
    expect(cluster.traces).toContainEqual({ type: 'role', node: 'orch-1', role: 'candidate', term: 1, reason: 'coordinator silent' });
    expect(cluster.traces).toContainEqual({ type: 'role', node: 'orch-2', role: 'leader', term: 2, reason: 'no answer from higher nodes' });
  });

  it('lets the returning highest node bully its way back with a higher epoch', () => {
    const cluster = orch2TookOver('crash', 'orch-1');

    cluster.start('orch-3');
    expect(cluster.role('orch-3')).toBe('candidate');
    cluster.fire('orch-2', 'heartbeat'); // heard while listening: teaches orch-3 epoch 2
    expect(cluster.leaders()).toEqual(['orch-2']);
    cluster.fire('orch-3', 'listen');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.announcements().at(-1)).toEqual(['orch-3', 3]);
    expect(cluster.coordinatorOf('orch-1')).toBe('orch-3');
    expect(cluster.coordinatorOf('orch-2')).toBe('orch-3');
    expect(cluster.armed('orch-2')).toEqual(['election']);
  });

  it('lets a restarted lower node join the running coordinator without an election', () => {
    const cluster = electedCluster(3);
    cluster.crash('orch-1');
    cluster.start('orch-1');
    const sentBefore = cluster.sent.length;

    cluster.fire('orch-3', 'heartbeat');

    expect(cluster.coordinatorOf('orch-1')).toBe('orch-3');
    expect(cluster.armed('orch-1')).toEqual(['election']);
    expect(cluster.sent.slice(sentBefore).filter((e) => e.msg.type === 'Election')).toEqual([]);
    expect(cluster.announcements()).toEqual([['orch-3', 1]]);
  });

  it('lets a coordinator that hears a lower-ranked claim take over again with a newer epoch', () => {
    const cluster = orch2TookOver('partition', 'orch-1');
    cluster.heal();

    // orch-2's heartbeat reaches orch-3 first: orch-3 bullies instead of following.
    cluster.fire('orch-2', 'heartbeat');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.announcements().at(-1)).toEqual(['orch-3', 3]);
    expect(cluster.ids.map((id) => cluster.view(id).term)).toEqual([3, 3, 3]);
  });
});

describe('Bully election under a partition', () => {
  it('gives each side its own coordinator at the same time, then converges after the heal', () => {
    const cluster = electedCluster(3);
    cluster.partition(['orch-1', 'orch-2'], ['orch-3']);
    cluster.fire('orch-3', 'heartbeat'); // lost across the cut

    cluster.fire('orch-2', 'election');
    cluster.fire('orch-2', 'answer');

    // The lesson: no quorum, so both sides coordinate and both accept client commands.
    expect(cluster.leaders()).toEqual(['orch-2', 'orch-3']);
    expect(cluster.coordinatorOf('orch-1')).toBe('orch-2');
    expect(cluster.propose('orch-2', 'left').accepted).toBe(true);
    expect(cluster.propose('orch-3', 'right').accepted).toBe(true);

    cluster.heal();
    cluster.fireWherever('heartbeat');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.ids.map((id) => cluster.coordinatorOf(id))).toEqual(['orch-3', 'orch-3', 'orch-3']);
    const [node, epoch] = cluster.announcements().at(-1)!;
    expect(node).toBe('orch-3');
    expect(epoch).toBeGreaterThan(2);
  });

  it('ends the split at once when the higher coordinator is heard first, its old followers included', () => {
    const cluster = orch2TookOver('partition', 'orch-2');
    cluster.heal();

    cluster.fire('orch-3', 'heartbeat');

    expect(cluster.leaders()).toEqual(['orch-3']);
    expect(cluster.coordinatorOf('orch-2')).toBe('orch-3');
    expect(cluster.coordinatorOf('orch-1')).toBe('orch-3');
  });

  it('leaves the isolated highest node coordinating alone, since Bully has no quorum', () => {
    const cluster = electedCluster(3);
    cluster.partition(['orch-1', 'orch-2'], ['orch-3']);
    for (let round = 0; round < 3; round++) cluster.fire('orch-3', 'heartbeat');

    expect(cluster.role('orch-3')).toBe('leader');
    expect(cluster.armed('orch-3')).toEqual(['heartbeat']);
  });
});
