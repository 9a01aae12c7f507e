// Proves that the epoch a Bully node announces only ever grows, across crashes and restarts, and that a node with no one above it takes over at once.
import { describe, expect, it } from 'vitest';
import { BullyCluster, electedCluster, orch2TookOver } from './harness';

describe('Bully epochs across restarts', () => {
  it('makes a lone node coordinator at once, above the epoch on its disk', () => {
    const cluster = BullyCluster.booted(1);
    expect(cluster.leaders()).toEqual(['orch-1']);
    expect(cluster.announcements()).toEqual([['orch-1', 1]]);

    cluster.crash('orch-1');
    cluster.start('orch-1');

    expect(cluster.announcements()).toEqual([['orch-1', 1], ['orch-1', 2]]);
  });

  it('never lets a restarted node announce an epoch lower than one it announced before', () => {
    const cluster = orch2TookOver('crash', 'orch-2');
    cluster.fire('orch-2', 'heartbeat');
    // orch-3 comes back while the others are down: it hears nobody and relies on its disk alone.
    cluster.crash('orch-1');
    cluster.crash('orch-2');
    cluster.start('orch-3');
    cluster.fire('orch-3', 'listen');
    cluster.crash('orch-3');
    cluster.start('orch-3');
    cluster.fire('orch-3', 'listen');

    const byOrch3 = cluster.announcements().filter(([node]) => node === 'orch-3').map(([, epoch]) => epoch);
    expect(byOrch3).toEqual([1, 2, 3]);
  });

  it('keeps every announced epoch above all earlier ones through a series of crashes', () => {
    const cluster = electedCluster(3);
    for (const victim of ['orch-3', 'orch-2', 'orch-3', 'orch-1', 'orch-3']) {
      const wasLeader = cluster.role(victim) === 'leader';
      cluster.crash(victim);
      if (wasLeader) cluster.fireWherever('election');
      cluster.fireWherever('answer');
      cluster.fireWherever('heartbeat');
      cluster.start(victim);
      cluster.fireWherever('heartbeat');
      cluster.fireWherever('listen');
      cluster.fireWherever('answer');
      expect(cluster.leaders()).toEqual(['orch-3']);
    }

    const epochs = cluster.announcements().map(([, epoch]) => epoch);
    expect(epochs.length).toBeGreaterThan(3);
    epochs.slice(1).forEach((epoch, i) => expect(epoch).toBeGreaterThan(epochs[i]!));
  });

  it('persists an epoch learned from others, not only the ones it announced', () => {
    const cluster = electedCluster(3);
    cluster.crash('orch-3');
    cluster.fire('orch-2', 'election');
    cluster.fire('orch-2', 'answer');
    cluster.crash('orch-1');

    cluster.start('orch-1');
    expect(cluster.view('orch-1').term).toBe(2);
  });
});
