// Proves a database primary's backup schedule: its first backup to each store is full, incrementals carry only the WAL since the previous backup, fulls recur at the configured spacing, a copy to the other region takes longer, and a primary that stops writing abandons backups on their way.
import { describe, expect, it } from 'vitest';
import * as db from '../../../src/sim/machines/database/logic';
import type { DatabaseContext, DatabaseEffect } from '../../../src/sim/machines/database/types';
import type { BackupData } from '../../../src/sim/machines/backup/types';
import type { Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

const TOPOLOGY: Topology = {
  ...TEST_TOPOLOGY,
  orchestrators: 0,
  database: { standbys: [], witness: false },
  backups: { incrementalEveryMs: 10_000, fullEveryMs: 30_000, offsite: true },
};

class Primary {
  ctx: DatabaseContext;
  effects: DatabaseEffect[] = [];

  constructor(topology: Topology = TOPOLOGY) {
    this.ctx = db.initialContext({ id: 'db-1', peers: [], disk: null, settings: TEST_SETTINGS, topology });
    this.apply(db.boot(this.ctx));
  }

  apply(step: db.Step): DatabaseEffect[] {
    this.ctx = { ...this.ctx, ...step.patch };
    this.effects.push(...step.effects);
    return [...step.effects];
  }

  write(count: number): void {
    for (let k = 0; k < count; k++) this.apply(db.acceptWrite(this.ctx, `w-${this.ctx.writeLsn / 100 + 1}`));
  }

  /** One scheduled backup: returns the ship delay per store, then ships them all. */
  backup(): { delays: Record<string, number>; sent: Record<string, BackupData> } {
    const delays: Record<string, number> = {};
    for (const e of this.apply(db.backupTick(this.ctx))) {
      if (e.type === 'set-timer' && e.name.startsWith(db.TIMER.backupShip)) delays[e.name.slice(db.TIMER.backupShip.length)] = e.afterMs;
    }
    const sent: Record<string, BackupData> = {};
    for (const store of Object.keys(delays)) {
      for (const e of this.apply(db.shipBackup(this.ctx, db.TIMER.backupShip + store))) if (e.type === 'send') sent[e.to] = e.msg as BackupData;
    }
    return { delays, sent };
  }
}

describe('a primary ships scheduled backups', () => {
  it('arms the schedule on becoming primary, only when the topology has backups', () => {
    expect(new Primary().effects).toContainEqual({ type: 'set-timer', name: db.TIMER.backup, afterMs: 10_000 });
    expect(new Primary({ ...TOPOLOGY, backups: null }).effects.some((e) => e.type === 'set-timer' && e.name === db.TIMER.backup)).toBe(false);
  });

  it('full first, then incrementals of the WAL since the last backup, then full again every third backup', () => {
    const primary = new Primary();
    primary.write(10);
    const first = primary.backup().sent['backup-mumbai']!;
    expect(first).toMatchObject({ kind: 'full', fromLsn: 0, upToLsn: 1000 });
    expect(first.records).toHaveLength(10);
    primary.write(5);
    const second = primary.backup().sent['backup-mumbai']!;
    expect(second).toMatchObject({ kind: 'incremental', fromLsn: 1000, upToLsn: 1500 });
    expect(second.records.map((r) => r.lsn)).toEqual([1100, 1200, 1300, 1400, 1500]);
    primary.write(1);
    expect(primary.backup().sent['backup-mumbai']).toMatchObject({ kind: 'incremental', fromLsn: 1500, upToLsn: 1600 });
    primary.write(1);
    expect(primary.backup().sent['backup-mumbai']).toMatchObject({ kind: 'full', upToLsn: 1700 });
  });

  it('skips an incremental when nothing was written since the last backup', () => {
    const primary = new Primary();
    primary.write(3);
    primary.backup();
    expect(primary.backup().sent).toEqual({});
  });

  it('the offsite copy takes longer than the local one', () => {
    const primary = new Primary();
    primary.write(200);
    const { delays } = primary.backup();
    expect(delays['backup-singapore']).toBeGreaterThan(delays['backup-mumbai']!);
  });

  it('a primary that stops writing abandons the backups still on their way', () => {
    const primary = new Primary();
    primary.write(3);
    primary.apply(db.backupTick(primary.ctx));
    primary.apply(db.demoteReceived(primary.ctx, { type: 'Demote', epoch: 2, primary: null }));
    expect(primary.ctx.backupOutbox).toEqual({});
    expect(primary.apply(db.shipBackup(primary.ctx, `${db.TIMER.backupShip}backup-mumbai`))).toEqual([]);
  });
});
