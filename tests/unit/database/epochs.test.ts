// Proves promotion raises the epoch, old-epoch WAL and commands are refused, and an old primary that learns of the new epoch stops writing and rewinds its divergent records.
import { describe, expect, it } from 'vitest';
import { DbCluster, messageFrom, messageTo } from './harness';

describe('epochs', () => {
  it('db-1 starts as writable primary of epoch 1; standbys refuse writes with a reason', () => {
    const c = new DbCluster({ standbys: ['sync', 'async'] });
    expect(c.tracesOfType('db-1', 'writable')).toEqual([{ type: 'writable', on: true, epoch: 1 }]);
    c.deliverAll();
    c.write('db-2');
    expect(c.replies.at(-1)).toEqual({ node: 'db-2', id: 'w-1', ok: false, lsn: null, reason: 'db-2 is a read-only standby of db-1' });
    expect(c.view('db-3')).toMatchObject({ role: 'standby', term: 1, detail: { upstream: 'db-1', writable: false } });
  });

  it('a promotion raises the epoch and WAL of the old epoch is refused', () => {
    const c = new DbCluster({ standbys: ['async', 'async'] });
    c.deliverAll();
    c.writeSettled('db-1', 2);
    c.isolate('db-1');
    c.deliverFromOutside('db-2', { type: 'Promote', epoch: 2 });
    expect(c.tracesOfType('db-2', 'promoted')).toEqual([{ type: 'promoted', epoch: 2, flushLsn: 200, synchronous: false, history: [{ epoch: 1, startLsn: 0 }, { epoch: 2, startLsn: 200 }] }]);
    expect(c.tracesOfType('db-2', 'writable')).toEqual([{ type: 'writable', on: true, epoch: 2 }]);
    c.deliverAll();
    c.tick();
    for (let k = 0; k < 5; k++) c.tick();
    expect(c.ctx('db-3')).toMatchObject({ upstream: 'db-2', epoch: 2 });
    // The old primary's WAL, epoch 1, reaches db-3 once the partition heals: refused.
    c.writeSettled('db-1', 1);
    c.heal();
    const old = { type: 'WalData', epoch: 1, history: [{ epoch: 1, startLsn: 0 }], session: c.ctx('db-3').session, fromLsn: 200, records: [{ lsn: 300, write: 'w-x', epoch: 1 }], primaryLsn: 300, streaming: true, baseBackup: false } as const;
    c.send('db-3', { type: 'message', from: 'db-1', msg: old });
    expect(c.ctx('db-3').writeLsn).toBe(200);
    expect(c.inFlight.find(messageFrom('db-3', 'Demote'))?.msg).toEqual({ type: 'Demote', epoch: 2, primary: 'db-2' });
  });

  it('a promotion of an older or equal epoch is refused', () => {
    const c = new DbCluster({ standbys: ['async'] });
    c.deliverAll();
    c.deliverFromOutside('db-2', { type: 'Promote', epoch: 1 });
    expect(c.state('db-2')).toBe('standby');
    expect(c.tracesOfType('db-2', 'promoted')).toEqual([]);
  });

  it('an old primary that learns of the new epoch stops writing and rewinds its divergent writes', () => {
    const c = new DbCluster({ standbys: ['async', 'async'] });
    c.deliverAll();
    const common = c.writeSettled('db-1', 3);
    c.isolate('db-1');
    // Split brain: db-1 keeps taking writes while db-2 is promoted by hand.
    const divergent = c.writeSettled('db-1', 4);
    expect(divergent.map((id) => c.replyTo(id)?.ok)).toEqual([true, true, true, true]);
    c.promote('db-2');
    const newer = c.writeSettled('db-2', 2);
    c.heal();
    for (let k = 0; k < 6; k++) c.tick();
    expect(c.state('db-1')).toBe('standby');
    expect(c.tracesOfType('db-1', 'writable').at(-1)).toEqual({ type: 'writable', on: false, epoch: 1 });
    expect(c.tracesOfType('db-1', 'role').some((t) => /rewound 4 writes after 0\/12C/.test(t.reason))).toBe(true);
    expect(c.flushedWrites('db-1')).toEqual([...common, ...newer]);
    expect(c.ctx('db-1')).toMatchObject({ epoch: 2, upstream: 'db-2', flushLsn: 500 });
    c.write('db-1');
    expect(c.replies.at(-1)).toMatchObject({ ok: false, reason: 'db-1 is a read-only standby of db-2' });
  });

  it('a Demote of a newer epoch makes a primary follow the named node', () => {
    const c = new DbCluster({ standbys: ['sync'] });
    c.deliverAll();
    c.writeSettled('db-1', 2);
    c.deliverFromOutside('db-2', { type: 'Promote', epoch: 5 });
    c.deliverFromOutside('db-1', { type: 'Demote', epoch: 5, primary: 'db-2' });
    expect(c.ctx('db-1')).toMatchObject({ writable: false, epoch: 5, upstream: 'db-2' });
    expect(c.inFlight.some(messageTo('db-2', 'StreamStart'))).toBe(true);
    c.deliverAll();
    const id = c.write('db-2');
    c.deliverAll();
    expect(c.replyTo(id)).toMatchObject({ ok: true, lsn: 300 });
    expect(c.ctx('db-1').flushLsn).toBe(300);
  });
});
