// Proves Raft's log compaction (dissertation chapter 5): each node takes a snapshot of its applied prefix every `raftSnapshotEvery` entries, keeping only what the agent still needs; a follower missing compacted entries gets InstallSnapshot and catches up; a node restarts from its snapshot; a follower whose log agrees at the snapshot's index keeps what follows it, one that disagrees drops it.
import { describe, expect, it } from 'vitest';
import { Cluster, SETTINGS, entries } from './harness';
import { initialContext, installSnapshot } from '../../../src/sim/machines/raft/logic';
import { lastIndex, snapshotIndex } from '../../../src/sim/machines/raft/log';
import type { InstallSnapshot, RaftDisk, RaftSnapshot } from '../../../src/sim/machines/raft/types';
import { workloadCommand } from '../../../src/sim/machines/orchestrator/log-commands';
import { TEST_TOPOLOGY } from '../../support/settings';

const EVERY = 5;
const lease = (round: number) => `lease db-1 1 orch-1#1.${round}`;

/** A leader orch-1 of 3 nodes that committed `count` commands `c1`… (and its no-op) everywhere. */
function clusterWith(count: number, cmd: (k: number) => string = (k) => `c${k}`): Cluster {
  const cluster = new Cluster(3, { raftSnapshotEvery: EVERY });
  cluster.elect('orch-1');
  for (let k = 1; k <= count; k++) {
    cluster.propose('orch-1', cmd(k));
    cluster.deliverAll();
  }
  cluster.heartbeat('orch-1');
  return cluster;
}

describe('raft log compaction', () => {
  it('takes a snapshot once raftSnapshotEvery entries are applied, dropping the no-op and keeping the log after it', () => {
    const cluster = clusterWith(6); // no-op + c1..c6: indexes 1..7
    for (const id of cluster.ids) {
      const disk = cluster.ctx(id).disk;
      expect(disk.snapshot?.index, id).toBe(5);
      expect(disk.snapshot?.term).toBe(1);
      expect(disk.snapshot?.members).toEqual(['orch-1', 'orch-2', 'orch-3']);
      // The agent ignores a no-op: only the commands it may need are kept, with their indexes.
      expect(disk.snapshot?.retained.map((e) => `${e.index}:${e.cmd}`)).toEqual(['2:c1', '3:c2', '4:c3', '5:c4']);
      expect(disk.log.map((e) => e.cmd)).toEqual(['c5', 'c6']);
      expect(lastIndex(disk)).toBe(7);
      expect(cluster.tracesOfType(id, 'snapshot')).toEqual([{ type: 'snapshot', index: 5, term: 1, kept: [2, 3, 4, 5] }]);
    }
  });

  it('keeps of a run of lease renewals only the last: the rest would change nothing', () => {
    const cluster = clusterWith(6, (k) => (k === 3 ? 'config-free command' : lease(k)));
    const kept = cluster.ctx('orch-1').disk.snapshot?.retained.map((e) => e.cmd);
    // Leases 1 and 2 form a run ended by the other command; lease 4 alone is the next run so far.
    expect(kept).toEqual([lease(2), 'config-free command', lease(4)]);
  });

  it("drops the workload's commands, which no part of the agent reads, and a lease run goes on across them", () => {
    // no-op, op-1, lease 2, op-3, lease 4, c5 … : the snapshot at index 5 covers up to lease 4.
    const cluster = clusterWith(6, (k) => (k % 2 === 1 && k < 5 ? workloadCommand(k) : k < 5 ? lease(k) : `c${k}`));
    for (const id of cluster.ids) {
      const disk = cluster.ctx(id).disk;
      expect(disk.snapshot?.index, id).toBe(5);
      expect(disk.snapshot?.retained.map((e) => `${e.index}:${e.cmd}`)).toEqual(['5:' + lease(4)]);
      expect(cluster.tracesOfType(id, 'snapshot')).toEqual([{ type: 'snapshot', index: 5, term: 1, kept: [5] }]);
    }
  });

  it('sends InstallSnapshot to a follower that needs compacted entries; it replaces its log and catches up', () => {
    const cluster = new Cluster(3, { raftSnapshotEvery: EVERY });
    cluster.elect('orch-1');
    cluster.isolate('orch-3');
    for (let k = 1; k <= 12; k++) {
      cluster.propose('orch-1', `c${k}`);
      cluster.deliverAll();
    }
    cluster.heartbeat('orch-1');
    expect(snapshotIndex(cluster.ctx('orch-1').disk)).toBe(10);
    expect(lastIndex(cluster.ctx('orch-3').disk)).toBe(1);

    cluster.heal();
    cluster.heartbeat('orch-1');
    cluster.heartbeat('orch-1');
    const installs = cluster.delivered.filter((e) => e.to === 'orch-3' && e.msg.type === 'InstallSnapshot');
    expect(installs).toHaveLength(1);
    const follower = cluster.ctx('orch-3');
    expect(follower.disk.snapshot).toEqual(cluster.ctx('orch-1').disk.snapshot);
    expect(follower.disk.log).toEqual(cluster.ctx('orch-1').disk.log);
    expect(follower.commitIndex).toBe(13);
    expect(cluster.tracesOfType('orch-3', 'install-snapshot')).toEqual([
      { type: 'install-snapshot', index: 10, term: 1, from: 'orch-1', logAfter: 0, members: ['orch-1', 'orch-2', 'orch-3'] },
    ]);
    // The agent beside it is handed the snapshot's entries, then applies what follows it as usual.
    const restored = cluster.tracesOfType('orch-3', 'commit').find((t) => t.restored !== undefined);
    expect(restored?.index).toBe(10);
    expect(restored?.restored?.map((e) => e.cmd)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9']);
    // It never applied the no-op: cut off before it learned of its commit, it skips it with the snapshot.
    expect(cluster.applied('orch-3')).toEqual(['c10', 'c11', 'c12']);
  });

  it('a node restarts from its snapshot: committed and applied up to it, handed to its agent after its first role', () => {
    const cluster = clusterWith(6);
    const disk = cluster.crash('orch-2');
    expect(disk.snapshot?.index).toBe(5);
    cluster.restart('orch-2');
    const ctx = cluster.ctx('orch-2');
    expect([ctx.commitIndex, ctx.lastApplied]).toEqual([5, 5]);
    // Its last life's traces: the role first (a restart's replay reads its term), then the snapshot.
    const traces = cluster.tracesOf('orch-2').map((t) => (t.type === 'commit' && t.restored !== undefined ? 'restore' : t.type));
    const life = traces.slice(traces.lastIndexOf('role'));
    expect(life.slice(0, 2)).toEqual(['role', 'restore']);
    cluster.heartbeat('orch-1');
    expect(cluster.ctx('orch-2').commitIndex).toBe(7);
    expect(cluster.applied('orch-2').slice(-2)).toEqual(['c5', 'c6']);
  });
});

describe('a follower takes InstallSnapshot (Figure 5.3, receiver rules)', () => {
  const snapshot: RaftSnapshot = { index: 3, term: 2, members: ['orch-1', 'orch-2', 'orch-3'], configIndex: 0, retained: [{ index: 2, term: 1, cmd: 'b' }] };
  const msg: InstallSnapshot = { type: 'InstallSnapshot', term: 2, snapshot };

  function follower(disk: RaftDisk, commitIndex = 0) {
    const ctx = initialContext({ id: 'orch-2', peers: ['orch-1', 'orch-3'], disk, settings: SETTINGS, topology: { ...TEST_TOPOLOGY, orchestrators: 3, election: 'raft' }, diskWiped: false });
    return { ...ctx, commitIndex, lastApplied: commitIndex };
  }

  it('keeps the entries after the snapshot when its log holds the snapshot’s last entry', () => {
    const ctx = follower({ currentTerm: 2, votedFor: null, log: entries([1, 'a'], [1, 'b'], [2, 'c'], [2, 'd'], [2, 'e']) });
    const step = installSnapshot(ctx, 'orch-1', msg);
    expect(step.patch.disk?.log.map((e) => e.cmd)).toEqual(['d', 'e']);
    expect(step.patch.commitIndex).toBe(3);
    expect(step.effects).toContainEqual({ type: 'send', to: 'orch-1', msg: { type: 'AppendEntriesReply', term: 2, success: true, matchIndex: 3, conflictIndex: 0, conflictTerm: null } });
  });

  it('drops its whole log when it disagrees at the snapshot’s index', () => {
    const ctx = follower({ currentTerm: 2, votedFor: null, log: entries([1, 'a'], [1, 'x'], [1, 'y'], [1, 'z']) });
    const step = installSnapshot(ctx, 'orch-1', msg);
    expect(step.patch.disk?.log).toEqual([]);
    expect(step.patch.disk?.snapshot).toBe(snapshot);
  });

  it('changes nothing when it has committed past the snapshot already, and refuses a stale leader', () => {
    const ctx = follower({ currentTerm: 2, votedFor: null, log: entries([1, 'a'], [1, 'b'], [2, 'c'], [2, 'd']) }, 4);
    expect(installSnapshot(ctx, 'orch-1', msg).patch.disk).toBeUndefined();
    const later = follower({ currentTerm: 3, votedFor: null, log: [] });
    const refused = installSnapshot(later, 'orch-1', msg);
    expect(refused.patch).toEqual({});
    expect(refused.effects).toEqual([{ type: 'send', to: 'orch-1', msg: { type: 'AppendEntriesReply', term: 3, success: false, matchIndex: 0, conflictIndex: 0, conflictTerm: null } }]);
  });
});
