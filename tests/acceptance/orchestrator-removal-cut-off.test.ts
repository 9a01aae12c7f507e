// Pins down why the full-stack sweep's run raft3-removal-appended-cut-off-then-survivor-wiped
// (safe family, seed 7001, #2830) ends with no primary: not a fault of the database's failover, but a
// Raft configuration that lost a majority for good.
//
// orch-2 (the leader) crashes; orch-3 leads with orch-1 and commits `replace orch-2 orch-4` (entry
// 24). A partition then cuts orch-3 off from orch-1; 0.73 s later orch-3's agent, on orch-1's answer
// to the check of the second before, appends `config remove orch-2` (entry 26). Raft acts on a
// configuration as soon as it is in the log: orch-3's is now orch-1 and orch-3, a majority of two.
// orch-1, which never received entry 26, then loses its disk. After the heal orch-2 is back, but:
// - orch-3 holds every committed entry and cannot commit anything more (orch-1 is gone for good), so
//   no lease entry commits, db-1's lease is never renewed and no failover can be decided;
// - orch-2 lacks committed entries 19–24 (its log ends at 18, term 1), so no up-to-date voter may
//   elect it (§5.4.1): orch-3 refuses, and drops its requests (a non-member whose log is behind).
// etcd would need `--force-new-cluster`, Consul a peers.json recovery: an operator. Nothing unsafe
// happened: db-1, demoted, still holds every acknowledged write.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/world/simulation';
import type { DatabaseDisk } from '../../src/sim/machines/database/types';
import { raftCanDecide } from '../support/full-stack';
import { playSweepCase, sweepCase } from '../support/healed-run';
import { brokenInvariants } from '../support/scenario';
import { missingFrom } from '../support/write-check';

describe('a removal appended while cut off, then the last other member of that configuration is lost', () => {
  it('raft3-removal-appended-cut-off-then-survivor-wiped: no Raft member can commit or be elected, so nobody is promoted; safe throughout', () => {
    const s = sweepCase('raft3-removal-appended-cut-off-then-survivor-wiped');
    const sim = new Simulation(s);
    sim.runUntil(s.durationMs);
    const trace = sim.trace;
    expect(trace.flatMap((e) => (e.type === 'down' && e.diskLost === true ? [e.node] : []))).toEqual(['orch-1']);

    // orch-3 appended the removal of orch-2 after the partition had cut it off from orch-1.
    const partitionAt = trace.find((e) => e.type === 'fault' && e.do === 'partition')!.atMs;
    const removal = trace.find((e) => e.type === 'log' && e.node === 'orch-3' && e.entries.some((x) => x.cmd === 'config remove orch-2'));
    expect(removal).toMatchObject({ index: 26 });
    expect(removal!.atMs).toBeGreaterThan(partitionAt);
    const commits = trace.filter((e) => e.type === 'commit' && e.atMs > partitionAt);
    expect(commits).toEqual([]);

    const orch = (id: string) => sim.nodes().find((n) => n.id === id)!;
    expect([orch('orch-3').up, orch('orch-3').view.role, orch('orch-3').view.term]).toEqual([true, 'leader', 2]);
    expect(orch('orch-3').view.detail).toMatchObject({ members: 'orch-1, orch-3', commitIndex: 24 });
    expect(orch('orch-2').up).toBe(true);
    expect(orch('orch-2').view.detail).toMatchObject({ members: 'orch-1, orch-2, orch-3', logLength: 18 });

    // Nobody takes writes, and nobody was promoted: db-1 still holds every acknowledged write.
    const databases = sim.nodes().filter((n) => n.kind === 'database');
    expect(databases.map((n) => [n.id, n.up, n.view.role])).toEqual([
      ['db-1', true, 'demoted'],
      ['db-2', true, 'standby'],
    ]);
    expect(trace.filter((e) => e.type === 'promoted' || e.type === 'failover')).toEqual([]);
    const epochOf = new Map<string, number>();
    const acked: { write: string; epoch: number; lsn: number }[] = [];
    for (const e of trace) {
      if (e.type === 'writable' && e.on) epochOf.set(e.node, e.epoch);
      if (e.type === 'write-ack') acked.push({ write: e.write, epoch: epochOf.get(e.node) ?? 0, lsn: e.lsn });
    }
    expect(acked.length).toBeGreaterThan(800);
    const db1 = sim.databaseDisks().find((d) => d.id === 'db-1')!.disk as DatabaseDisk;
    expect(missingFrom(db1, acked)).toBe(0);
    const report = sim.report();
    expect(brokenInvariants(report)).toEqual([]);
    expect(report.writes.lost).toBe(0);
  });

  it('the sweep counts it as a run no election can heal (orch-2 holds an old configuration, but no up-to-date member would vote for it)', () => {
    const { sim, wiped } = playSweepCase('raft3-removal-appended-cut-off-then-survivor-wiped');
    expect([...wiped]).toEqual(['orch-1']);
    expect(raftCanDecide(sim, wiped)).toBe(false);
    // Had orch-1 only crashed and come back with its log, orch-3 could commit with it again.
    expect(raftCanDecide(sim, new Set())).toBe(true);
  });
});
