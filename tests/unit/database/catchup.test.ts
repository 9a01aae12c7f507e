// Proves a restarted standby catches up from its flushed LSN, and one too far behind gets WalGone and is rebuilt in time proportional to the data.
import { describe, expect, it } from 'vitest';
import { DbCluster, messageTo } from './harness';
import { WAL_SEGMENT_BYTES } from '../../../src/sim/machines/database/wal';

describe('catching up', () => {
  it('a restarted standby asks from its flushed LSN and gets the rest', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.deliverAll();
    const before = c.writeSettled('db-1', 3);
    c.crash('db-2');
    const during = c.writeSettled('db-1', 5);
    c.restart('db-2');
    const ask = c.inFlight.find(messageTo('db-1', 'StreamStart'));
    expect(ask?.msg).toMatchObject({ fromLsn: 300, flushLsn: 300 });
    c.deliverAll();
    expect(c.flushedWrites('db-2')).toEqual([...before, ...during]);
    expect(c.view('db-1').replication).toEqual([
      { standby: 'db-2', mode: 'async', state: 'streaming', sentLsn: 800, writeLsn: 800, flushLsn: 800, replayLsn: 800, lagBytes: 0 },
    ]);
  });

  it('a standby that hears nothing asks again', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.drop(() => true);
    expect(c.ctx('db-2').flushLsn).toBe(0);
    c.writeSettled('db-1', 2);
    expect(c.ctx('db-2').flushLsn).toBe(0);
    c.fire('db-2', 'wal-receiver');
    c.deliverAll();
    expect(c.ctx('db-2').flushLsn).toBe(200);
  });

  it('lost WAL is sent again after a few silent ticks', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.deliverAll();
    c.write('db-1');
    c.write('db-1');
    c.drop(messageTo('db-2', 'WalData'));
    for (let k = 0; k < 4; k++) c.tick();
    expect(c.ctx('db-2').flushLsn).toBe(200);
  });
});

describe('rebuilding from a base backup', () => {
  function farBehind(writes: number) {
    const c = new DbCluster({ standbys: ['async'], settings: { walKeepBytes: 1000, baseBackupBytesPerSec: 10_000 } });
    c.deliverAll();
    c.crash('db-2');
    c.writeSettled('db-1', writes);
    c.restart('db-2');
    c.deliverAll();
    return c;
  }

  it('a standby asking for recycled WAL gets WalGone and rebuilds for data / rate', () => {
    const c = farBehind(200);
    expect(c.state('db-2')).toBe('rebuilding');
    expect(c.tracesOfType('db-2', 'role').at(-1)?.reason).toMatch(/no longer keeps the WAL.*base backup of 20\.0 kB/);
    expect(c.armedAfterMs('db-2', 'base-backup')).toBe(2000); // 20 000 bytes at 10 000 bytes/s
    expect(c.write('db-2')).toBeDefined();
    expect(c.replies.at(-1)).toMatchObject({ ok: false, reason: 'db-2 is being rebuilt from a base backup' });
    const more = c.writeSettled('db-1', 3);
    c.fire('db-2', 'base-backup');
    c.deliverAll();
    expect(c.state('db-2')).toBe('standby');
    expect(c.ctx('db-2').flushLsn).toBe(20_300);
    const after = c.writeSettled('db-1', 2);
    expect(c.ctx('db-2').flushLsn).toBe(20_500);
    expect(c.flushedWrites('db-2')).toEqual(after);
    expect(more).toHaveLength(3);
  });

  it('takes twice as long for twice the data', () => {
    expect(farBehind(400).armedAfterMs('db-2', 'base-backup')).toBe(4000);
  });

  it('keeps between walKeepBytes and one segment more', () => {
    const c = farBehind(200);
    const ctx = c.ctx('db-1');
    expect(ctx.flushLsn - ctx.walStartLsn).toBeGreaterThanOrEqual(1000);
    expect(ctx.flushLsn - ctx.walStartLsn).toBeLessThan(1000 + WAL_SEGMENT_BYTES);
  });
});
