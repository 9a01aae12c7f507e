// Proves what the page reads off a database node: its view (role, epoch, LSNs in words) and how each message looks.
import { describe, expect, it } from 'vitest';
import { databaseProgram } from '../../../src/sim/machines/database/program';
import { DbCluster } from './harness';

describe('database program', () => {
  it('shows roles, epochs and formatted LSNs', () => {
    const c = new DbCluster({ standbys: ['sync'] });
    c.deliverAll();
    c.writeSettled('db-1', 80);
    expect(databaseProgram.kind).toBe('database');
    expect(c.view('db-1')).toMatchObject({
      role: 'primary',
      term: 1,
      detail: { lsn: '0/1F40', flushLsn: '0/1F40', replayLsn: '0/1F40', epoch: 1, upstream: null, writable: true, lagBytes: 0 },
    });
    expect(c.view('db-2')).toMatchObject({ role: 'standby', detail: { upstream: 'db-1', flushLsn: '0/1F40', lagBytes: 0 } });
    expect(c.view('db-2').replication).toEqual([]);
  });

  it('gives each message a family and a label', () => {
    const look = databaseProgram.look;
    const record = { lsn: 8000, write: 'w', epoch: 1 };
    expect(look({ type: 'WalData', epoch: 1, history: [], session: 1, fromLsn: 7900, records: [record], primaryLsn: 8000, streaming: true, baseBackup: false } as never)).toEqual({ family: 'wal', label: 'WAL →0/1F40' });
    expect(look({ type: 'WalAck', epoch: 1, session: 1, writeLsn: 8000, flushLsn: 8000, replayLsn: 8000 } as never).family).toBe('wal-ack');
    expect(look({ type: 'HealthCheck', seq: 3 } as never).family).toBe('health-check');
    expect(look({ type: 'HealthReply', seq: 3, role: 'primary', epoch: 1, writable: true, flushLsn: 0, replayLsn: 0 } as never).family).toBe('health-reply');
    for (const type of ['Promote', 'Demote', 'StreamStart', 'WalGone']) {
      expect(look({ type, epoch: 2, primary: null, fromLsn: 0, oldestLsn: 0 } as never).family).toBe('command');
    }
  });

  it('keeps only flushed WAL on disk', () => {
    const c = new DbCluster({ standbys: ['async'], settings: { diskFlushMs: 5 } });
    c.deliverAll();
    c.write('db-1');
    c.fire('db-1', 'wal-flush');
    c.write('db-1');
    const disk = c.crash('db-1');
    expect(disk.flushLsn).toBe(100);
    expect(disk.wal.map((r) => r.lsn)).toEqual([100]);
  });
});
