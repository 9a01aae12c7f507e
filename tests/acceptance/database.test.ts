// Proves the database acceptance scenarios through the whole engine, with asserted report values: async loss on a primary disk failure equals what the replica had not received, sync loses nothing, a region outage with manual DR promotion loses the DR lag, and a returning old primary never writes beside the new one.
import { describe, expect, it } from 'vitest';
import { WAL_RECORD_BYTES } from '../../src/sim/machines/database/wal';
import { runScenario } from '../../src/sim/run';
import { brokenInvariants, databaseScenario, preset } from '../support/scenario';

function promotion(trace: ReturnType<typeof runScenario>['trace']) {
  const promoted = trace.find((e) => e.type === 'promoted');
  if (promoted?.type !== 'promoted') throw new Error('no promotion in the trace');
  return promoted;
}

describe('database high availability, through the kernel', () => {
  it('5. async replication: the primary disk fails; lost writes are exactly those the replica had not flushed', () => {
    const { report, trace } = runScenario(preset('db-async-disk-failure'));
    const promoted = promotion(trace);
    expect(promoted).toMatchObject({ node: 'db-2', epoch: 2, synchronous: false });
    const notReceived = (promoted.highestAckedLsn - promoted.flushLsn) / WAL_RECORD_BYTES;
    expect(report.writes.lost).toBeGreaterThan(0);
    expect(report.writes.lost).toBe(notReceived);
    expect(report.rpo.lostWrites).toBe(report.writes.lost);
    expect(report.rpo.lostMs).toBeGreaterThan(0);
    expect(report.failovers).toEqual([{ detectedAtMs: 10_050, completedAtMs: 13_000, from: 'db-1', to: 'db-2', lostWrites: report.writes.lost }]);
    expect(report.rto.noPrimaryMs).toBe(13_000 - 10_050);
    // Writes go on at once after the promotion: clients saw the same outage, to within a write interval (20 ms).
    expect(Math.abs(report.rto.unavailableMs - report.rto.noPrimaryMs)).toBeLessThanOrEqual(20);
    expect(report.writes.attempted).toBe(report.writes.acknowledged + report.writes.rejected);
    expect(brokenInvariants(report)).toEqual([expect.stringMatching(/^no-acknowledged-write-lost: .*asynchronous replication acknowledges a write before any standby has it, and this loss is its RPO\.$/)]);
  });

  it('6. sync replication: the same failure loses nothing acknowledged', () => {
    const { report, trace } = runScenario(preset('db-sync-disk-failure'));
    const promoted = promotion(trace);
    expect(promoted.synchronous).toBe(true);
    expect(promoted.highestAckedLsn).toBeLessThanOrEqual(promoted.flushLsn);
    expect(report.writes.lost).toBe(0);
    expect(report.rpo).toEqual({ lostWrites: 0, lostMs: 0 });
    expect(report.writes.acknowledged).toBeGreaterThan(400);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('sync replication is slower: fewer writes are acknowledged than with async at the same load', () => {
    expect(runScenario(preset('db-sync-disk-failure')).report.writes.acknowledged).toBeLessThan(runScenario(preset('db-async-disk-failure')).report.writes.acknowledged);
  });

  it('9. region outage: the DR replica waits, an operator promotes it, the lag at that moment is lost, the old primary returns demoted', () => {
    const { report, trace } = runScenario(preset('db-region-outage'));
    expect(trace.some((e) => e.type === 'promoted' && e.atMs < 14_000)).toBe(false); // nothing promotes itself
    const promoted = promotion(trace);
    expect(promoted).toMatchObject({ node: 'db-3', atMs: 14_000 });
    expect(report.writes.lost).toBe((promoted.highestAckedLsn - promoted.flushLsn) / WAL_RECORD_BYTES);
    expect(report.writes.lost).toBeGreaterThan(0);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', 'db-3']);
    expect(report.rto.noPrimaryMs).toBe(14_000 - 10_030);
    const db1 = report.nodes.find((n) => n.id === 'db-1')!;
    expect(db1).toMatchObject({ up: true, role: 'standby', term: 2 });
    expect(brokenInvariants(report)).toEqual([expect.stringMatching(/^no-acknowledged-write-lost: .*db-3, an asynchronous standby when it was promoted/)]);
  });

  it('a crashed standby catches up after restart and the primary keeps writing meanwhile (async)', () => {
    const s = databaseScenario({ durationMs: 20_000, standbys: [{ replication: 'async' }], writesPerSec: 40 }, [
      { atMs: 5_000, do: 'crash', node: 'db-2' },
      { atMs: 9_000, do: 'restart', node: 'db-2' },
    ]);
    const { report } = runScenario(s);
    expect(report.writes.rejected).toBe(0);
    expect(report.writes.lost).toBe(0);
    expect(report.rto.unavailableMs).toBe(0);
    const db2 = report.nodes.find((n) => n.id === 'db-2')!;
    expect(db2).toMatchObject({ up: true, role: 'standby' });
  });

  it('a standby whose disk was wiped copies a base backup at baseBackupBytesPerSec before it streams again', () => {
    const s = databaseScenario({ durationMs: 20_000, standbys: [{ replication: 'async' }], settings: { baseBackupBytesPerSec: 20_000 }, writesPerSec: 50 }, [
      { atMs: 10_000, do: 'wipe-disk', node: 'db-2' },
      { atMs: 11_000, do: 'restart', node: 'db-2' },
    ]);
    const { report, trace } = runScenario(s);
    const roles = trace.flatMap((e) => (e.type === 'role' && e.node === 'db-2' && e.atMs >= 11_000 ? [{ atMs: e.atMs, role: e.role, reason: e.reason }] : []));
    const rebuilding = roles.find((r) => r.role === 'rebuilding')!;
    expect(rebuilding.reason).toMatch(/its disk is empty: copying a base backup of (\d+\.\d) kB from db-1/);
    // About 11 s of writes at 50/s: some 55 kB, so close to 2.75 s at 20 kB/s; streaming resumes only then.
    const kB = Number(/of (\d+\.\d) kB/.exec(rebuilding.reason)![1]);
    const streaming = roles.find((r) => r.role === 'standby' && r.atMs > rebuilding.atMs)!;
    expect(streaming.atMs - rebuilding.atMs).toBeGreaterThanOrEqual(Math.floor((kB * 1_000_000) / 20_000));
    expect(streaming.atMs - rebuilding.atMs).toBeLessThan(Math.ceil((kB * 1_000_000) / 20_000) + 200);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('@primary names the database node accepting writes at that moment', () => {
    const s = databaseScenario({ durationMs: 8_000, standbys: [{ replication: 'sync' }], writesPerSec: 10 }, [{ atMs: 3_000, do: 'crash', node: '@primary' }]);
    const { trace } = runScenario(s);
    expect(trace.find((e) => e.type === 'fault')).toMatchObject({ do: 'crash', node: 'db-1' });
  });
});
