// Proves synchronous_commit = on versus async: when each acknowledges, and what a promoted standby has after the primary's disk dies.
import { describe, expect, it } from 'vitest';
import { DbCluster, messageTo } from './harness';

describe('synchronous replication', () => {
  it('never acknowledges a write before the sync standby has flushed it', () => {
    const c = new DbCluster({ standbys: ['sync'] });
    c.deliverAll();
    const id = c.write('db-1');
    expect(c.replyTo(id)).toBeUndefined();
    // The WAL is on its way to db-2 and nothing has come back yet.
    expect(c.inFlight.some(messageTo('db-2', 'WalData'))).toBe(true);
    c.deliverAt(c.inFlight.findIndex(messageTo('db-2', 'WalData')));
    expect(c.ctx('db-2').flushLsn).toBe(100);
    expect(c.replyTo(id)).toBeUndefined();
    c.deliverAll();
    expect(c.replyTo(id)).toMatchObject({ ok: true, lsn: 100 });
    expect(c.tracesOfType('db-1', 'write-ack')).toEqual([{ type: 'write-ack', write: id, lsn: 100 }]);
  });

  it('waits, as PostgreSQL does, while the sync standby is gone', () => {
    const c = new DbCluster({ standbys: ['sync', 'async'] });
    c.deliverAll();
    c.crash('db-2');
    const ids = [c.write('db-1'), c.write('db-1')];
    c.deliverAll();
    for (let k = 0; k < 20; k++) c.tick();
    expect(ids.map((id) => c.replyTo(id))).toEqual([undefined, undefined]);
    // The async standby has them; the commit still waits for db-2.
    expect(c.ctx('db-3').flushLsn).toBe(200);
    c.restart('db-2');
    c.deliverAll();
    expect(ids.map((id) => c.replyTo(id)?.ok)).toEqual([true, true]);
  });

  it('with a flush delay, acknowledges only after both flushes', () => {
    const c = new DbCluster({ standbys: ['sync'], settings: { diskFlushMs: 10 } });
    c.deliverAll();
    const id = c.write('db-1');
    c.deliverAll();
    expect(c.inFlight).toEqual([]);
    c.fire('db-1', 'wal-flush');
    c.deliverAll();
    expect(c.ctx('db-2').writeLsn).toBe(100);
    expect(c.ctx('db-2').flushLsn).toBe(0);
    expect(c.replyTo(id)).toBeUndefined();
    c.fire('db-2', 'wal-flush');
    c.deliverAll();
    expect(c.replyTo(id)).toMatchObject({ ok: true, lsn: 100 });
  });

  it('loses no acknowledged write when the primary disk dies and the sync standby is promoted', () => {
    const c = new DbCluster({ standbys: ['sync', 'async'] });
    c.deliverAll();
    c.writeSettled('db-1', 5);
    // The last writes reach db-2 but their acknowledgements never get back.
    const late = [c.write('db-1'), c.write('db-1')];
    c.drop(messageTo('db-3'));
    const toSync = c.inFlight.filter(messageTo('db-2'));
    c.inFlight = [];
    for (const e of toSync) c.send(e.to, { type: 'message', from: e.from, msg: e.msg });
    c.inFlight = [];
    c.wipe('db-1');
    c.promote('db-2');
    const acked = c.acked().map((r) => r.id);
    expect(acked).toHaveLength(5);
    expect(late.map((id) => c.replyTo(id))).toEqual([undefined, undefined]);
    const promoted = c.tracesOfType('db-2', 'promoted')[0]!;
    expect(promoted).toMatchObject({ epoch: 2, synchronous: true, flushLsn: 700 });
    for (const id of acked) expect(c.flushedWrites('db-2')).toContain(id);
    expect(c.state('db-2')).toBe('primary');
  });
});

describe('asynchronous replication', () => {
  it('acknowledges at once, after its own flush', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.deliverAll();
    const id = c.write('db-1');
    expect(c.replyTo(id)).toMatchObject({ ok: true, lsn: 100 });
    expect(c.ctx('db-2').flushLsn).toBe(0);
  });

  it('loses exactly the writes after the standby flush LSN when the primary disk dies', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.deliverAll();
    const kept = c.writeSettled('db-1', 4);
    const lost = [c.write('db-1'), c.write('db-1'), c.write('db-1')];
    expect(c.acked().map((r) => r.id)).toEqual([...kept, ...lost]);
    c.inFlight = []; // the primary's disk dies before the WAL goes out
    const standbyFlush = c.ctx('db-2').flushLsn;
    c.wipe('db-1');
    c.promote('db-2');
    expect(c.tracesOfType('db-2', 'promoted')[0]).toMatchObject({ epoch: 2, flushLsn: standbyFlush, synchronous: false });
    expect(c.flushedWrites('db-2')).toEqual(kept);
    const ackedAfterFlush = c.acked().filter((r) => r.lsn! > standbyFlush).map((r) => r.id);
    expect(ackedAfterFlush).toEqual(lost);
  });
});
