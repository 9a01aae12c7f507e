// Proves backups and restore through the whole engine, with asserted report values: a restore loses exactly the writes acknowledged after the backup's LSN, its downtime covers at least the restore, an offsite store survives a dark primary region, and without one the restore says why it cannot happen.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WAL_RECORD_BYTES } from '../../src/sim/machines/database/wal';
import { runScenario } from '../../src/sim/run';
import { parseScenarioText } from '../../src/sim/scenario/parse';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { Simulation } from '../../src/sim/world/simulation';
import { brokenInvariants, scenario } from '../support/scenario';

function preset(id: string, edit: (raw: Record<string, unknown>) => void = () => {}) {
  const raw = JSON.parse(readFileSync(new URL(`../../public/scenarios/${id}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  edit(raw);
  const parsed = parseScenarioText(JSON.stringify(raw));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

function restoreOf(trace: readonly TraceEvent[], phase: 'started' | 'done') {
  const event = trace.find((e) => e.type === 'restore' && e.phase === phase);
  if (event?.type !== 'restore') throw new Error(`no restore ${phase} in the trace`);
  return event;
}

function acksAfter(trace: readonly TraceEvent[], lsn: number, beforeMs: number): number {
  return trace.filter((e) => e.type === 'write-ack' && e.lsn > lsn && e.atMs < beforeMs).length;
}

describe('backups and restore, through the kernel', () => {
  it('backups are taken on schedule: full, then incrementals, then full again', () => {
    const { trace } = runScenario(preset('backup-restore'), { untilMs: 44_000 });
    const backups = trace.flatMap((e) => (e.type === 'backup' ? [{ kind: e.kind, atS: Math.floor(e.atMs / 1000), refused: e.refused }] : []));
    expect(backups).toEqual([
      { kind: 'full', atS: 10, refused: undefined },
      { kind: 'incremental', atS: 20, refused: undefined },
      { kind: 'incremental', atS: 30, refused: undefined },
      { kind: 'full', atS: 40, refused: undefined },
    ]);
  });

  it('restore after the only disk fails: RPO = writes acknowledged after the backup LSN, exactly; RTO covers the restore', () => {
    const { report, trace } = runScenario(preset('backup-restore'));
    const started = restoreOf(trace, 'started');
    const lastBackup = trace.filter((e) => e.type === 'backup' && e.atMs < 45_000).at(-1)!;
    expect(lastBackup.type === 'backup' && lastBackup.upToLsn).toBe(started.upToLsn);
    const promoted = trace.find((e) => e.type === 'promoted');
    expect(promoted).toMatchObject({ node: 'db-1', epoch: 2, flushLsn: started.upToLsn });
    const lost = acksAfter(trace, started.upToLsn, started.atMs);
    expect(lost).toBeGreaterThan(0);
    expect(report.writes.lost).toBe(lost);
    expect(report.rpo.lostWrites).toBe(lost);
    expect(promoted?.type === 'promoted' && (promoted.highestAckedLsn - promoted.flushLsn) / WAL_RECORD_BYTES).toBe(lost);
    expect(report.writes).toEqual({ attempted: 1400, acknowledged: 1209, rejected: 191, lost: 101 });
    expect(report.rpo).toEqual({ lostWrites: 101, lostMs: 5050 });
    const restoreMs = started.readyAtMs - started.atMs;
    expect(report.rto.noPrimaryMs).toBe(started.readyAtMs - 45_000);
    // Clients saw writes fail from the first write after the failure (one every 50 ms) to the restored primary's first acknowledgement.
    expect(report.rto.unavailableMs).toBeGreaterThanOrEqual(restoreMs);
    expect(Math.abs(report.rto.unavailableMs - report.rto.noPrimaryMs)).toBeLessThanOrEqual(50);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', 'db-1']);
    expect(brokenInvariants(report)).toEqual([expect.stringMatching(/^no-acknowledged-write-lost: .*db-1 was restored from a backup/)]);
  });

  it('offsite: the primary region is dark, and the DR store restores a node in the DR region', () => {
    const { report, trace } = runScenario(preset('backup-restore-offsite'));
    const started = restoreOf(trace, 'started');
    expect(started).toMatchObject({ node: 'db-2', from: 'backup-singapore' });
    expect(restoreOf(trace, 'done').node).toBe('db-2');
    // db-2 did not exist: the operator's restore provisioned it, in singapore beside the backups.
    expect(runScenario(preset('backup-restore-offsite'), { untilMs: 49_999 }).report.nodes.map((n) => n.id)).not.toContain('db-2');
    expect(report.nodes.find((n) => n.id === 'db-2')).toMatchObject({ kind: 'database', region: 'singapore', role: 'primary', up: true });
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1', 'db-2']);
    expect(report.writes.lost).toBe(acksAfter(trace, started.upToLsn, started.atMs));
    expect(report.writes.lost).toBeGreaterThan(0);
    expect(report.rto.noPrimaryMs).toBe(started.readyAtMs - 45_000);
    expect(Math.abs(report.rto.unavailableMs - report.rto.noPrimaryMs)).toBeLessThanOrEqual(50);
    expect(brokenInvariants(report)).toEqual([expect.stringMatching(/^no-acknowledged-write-lost: .*db-2 was restored from a backup/)]);
  });

  it('without offsite, the only store is in the dark region: the restore does nothing and says why', () => {
    const s = preset('backup-restore-offsite', (raw) => {
      const topology = raw.topology as Record<string, unknown>;
      topology.backups = { incrementalEveryMs: 10_000, fullEveryMs: 30_000, offsite: false };
      raw.events = [
        { atMs: 45_000, do: 'region-down', region: 'mumbai' },
        { atMs: 50_000, do: 'restore-backup', node: 'db-2', from: 'backup-mumbai' },
      ];
    });
    const { report, trace } = runScenario(s);
    const fault = trace.find((e) => e.type === 'fault' && e.do === 'restore-backup');
    expect(fault).toMatchObject({ node: 'db-2' });
    expect(fault?.type === 'fault' && fault.noop).toMatch(/backup-mumbai is in mumbai, which is dark/);
    expect(trace.some((e) => e.type === 'restore')).toBe(false);
    expect(report.primaries.map((p) => p.node)).toEqual(['db-1']);
    // No machine was provisioned for a restore that could not happen.
    expect(report.nodes.map((n) => n.id)).not.toContain('db-2');
  });

  it('a restore onto a running node, or from a store with no full backup yet, is refused in words', () => {
    const s = preset('backup-restore', (raw) => {
      raw.events = [
        { atMs: 5_000, do: 'wipe-disk', node: 'db-1' },
        { atMs: 6_000, do: 'restore-backup', node: 'db-1', from: 'backup-mumbai' },
      ];
    });
    const fault = runScenario(s).trace.find((e) => e.type === 'fault' && e.do === 'restore-backup');
    expect(fault?.type === 'fault' && fault.noop).toMatch(/no full backup yet/);
  });

  it('a standby restored while the primary runs follows it and catches up; nothing is lost', () => {
    const sim = new Simulation(
      scenario({
        durationMs: 50_000,
        topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'async' }] }, backups: { incrementalEveryMs: 10_000, fullEveryMs: 30_000, offsite: false } },
        workload: { writesPerSec: 20 },
        events: [
          { atMs: 35_000, do: 'wipe-disk', node: 'db-2' },
          { atMs: 36_000, do: 'restore-backup', node: 'db-2', from: 'backup-mumbai' },
        ],
      }),
    );
    sim.runUntil(50_000);
    const [db1, db2] = ['db-1', 'db-2'].map((id) => sim.nodes().find((n) => n.id === id)!);
    expect(db2).toMatchObject({ up: true, view: { role: 'standby' } });
    const row = db1!.view.replication?.find((r) => r.standby === 'db-2');
    expect(row?.state).toBe('streaming');
    expect(row!.lagBytes).toBeLessThanOrEqual(2 * WAL_RECORD_BYTES); // at most the writes on the wire
    expect(sim.report().writes.lost).toBe(0);
    expect(sim.trace.some((e) => e.type === 'promoted')).toBe(false);
  });
});
