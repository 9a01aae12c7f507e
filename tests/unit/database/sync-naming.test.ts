// Proves how a primary watched by failover agents names its synchronous standby (Patroni's synchronous_mode): the topology's synchronous standby at once, another one only at a lease renewal and only once it holds every acknowledged write; a write is never acknowledged with nobody named; a standby named earlier keeps writes waiting until it has heard it was replaced; the health replies say who is named. Without agents, the topology's synchronous standbys count as before.
import { describe, expect, it } from 'vitest';
import { DbCluster, type Envelope } from './harness';
import type { HealthReply } from '../../../src/sim/machines/database/types';

const WATCHED = { orchestrators: 3, settings: { quorum: true } } as const;

/** The orchestrator leader's agent renews `id`'s lease, as it does each interval once the entry is committed. */
function renew(c: DbCluster, id: string): HealthReply {
  c.deliverFromOutside(id, { type: 'HealthCheck', seq: 1, lease: true });
  c.deliverAll();
  return c.outside.filter((e) => e.to === 'orch-1' && e.from === id).at(-1)!.msg as HealthReply;
}

function check(c: DbCluster, id: string): HealthReply {
  c.deliverFromOutside(id, { type: 'HealthCheck', seq: 2 });
  return c.outside.filter((e) => e.to === 'orch-1' && e.from === id).at(-1)!.msg as HealthReply;
}

/** db-2 is promoted in epoch 2 after db-1 crashed; db-3 follows it. */
function failedOver(): DbCluster {
  const c = new DbCluster({ ...WATCHED, standbys: ['sync', 'async'] });
  c.deliverAll();
  c.writeSettled('db-1', 3);
  c.crash('db-1');
  c.deliverFromOutside('db-2', { type: 'Promote', epoch: 2 });
  c.deliverAll();
  for (let k = 0; k < 5; k++) c.tick(); // db-3 hears the announcement and streams from db-2
  return c;
}

describe('naming the synchronous standby', () => {
  it('names the topology’s synchronous standby as soon as it connects, and the replies say so', () => {
    const c = new DbCluster({ ...WATCHED, standbys: ['sync', 'async'] });
    c.deliverAll();
    expect(c.ctx('db-1').sync).toEqual({ standby: 'db-2', epoch: 1, gen: 1 });
    const [id] = c.writeSettled('db-1', 1);
    expect(c.replyTo(id!)).toMatchObject({ ok: true });
    expect(check(c, 'db-2')).toMatchObject({ synchronous: true, sync: { standby: 'db-2', epoch: 1, gen: 1 } });
    expect(check(c, 'db-3')).toMatchObject({ synchronous: false, sync: { standby: 'db-2', epoch: 1, gen: 1 } });
    expect(check(c, 'db-1')).toMatchObject({ synchronous: false, sync: { standby: 'db-2', epoch: 1, gen: 1 } });
  });

  it('after a failover whose old primary is the configured synchronous standby: nothing is acknowledged until a renewal names another', () => {
    const c = failedOver();
    expect(c.ctx('db-2')).toMatchObject({ role: 'primary', sync: null });
    const early = c.write('db-2');
    c.deliverAll();
    expect(c.replyTo(early)).toBeUndefined();
    const reply = renew(c, 'db-2');
    expect(reply.sync).toEqual({ standby: 'db-3', epoch: 2, gen: 1 });
    expect(c.replyTo(early)).toMatchObject({ ok: true });
    expect(c.view('db-2').replication?.map((r) => [r.standby, r.mode])).toEqual([['db-3', 'sync']]);
  });

  it('chooses another standby at a renewal but names it only once it holds every acknowledged write', () => {
    const c = new DbCluster({ ...WATCHED, standbys: ['sync', 'async'] });
    c.deliverAll();
    c.writeSettled('db-1', 2);
    // db-3 misses an acknowledged write, then db-2 dies; db-3 still answers keepalives.
    const walWithRecords = (e: Envelope) => e.to === 'db-3' && e.msg.type === 'WalData' && e.msg.records.length > 0;
    const missed = c.write('db-1');
    c.drop(walWithRecords);
    c.deliverAll();
    expect(c.replyTo(missed)).toMatchObject({ ok: true });
    c.crash('db-2');
    for (let k = 0; k < 20; k++) {
      c.fire('db-1', 'wal-sender');
      c.drop(walWithRecords);
      c.deliverAll();
    }
    renew(c, 'db-1');
    expect(c.ctx('db-3').flushLsn).toBeLessThan(c.ctx('db-1').ackedLsn);
    expect(c.ctx('db-1')).toMatchObject({ sync: { standby: 'db-2', gen: 1 }, syncNext: 'db-3' });
    expect(check(c, 'db-3')).toMatchObject({ synchronous: false });
    // Once it has caught up it is named, and db-2 becomes a former.
    for (let k = 0; k < 5; k++) c.tick();
    expect(c.ctx('db-1')).toMatchObject({ sync: { standby: 'db-3', gen: 2 }, syncNext: null, syncFormers: ['db-2'] });
    expect(c.ctx('db-3').flushLsn).toBeGreaterThanOrEqual(c.ctx('db-1').ackedLsn);
  });

  it('a named standby that stops answering keeps writes waiting, even with another one streaming, until it hears it was replaced', () => {
    const c = new DbCluster({ ...WATCHED, standbys: ['sync', 'async'] });
    c.deliverAll();
    c.writeSettled('db-1', 2);
    c.crash('db-2');
    for (let k = 0; k < 20; k++) c.tick(); // db-1 stops counting db-2 as connected
    renew(c, 'db-1');
    expect(c.ctx('db-1')).toMatchObject({ sync: { standby: 'db-3', gen: 2 }, syncFormers: ['db-2'] });
    const waiting = c.write('db-1');
    c.deliverAll();
    expect(c.replyTo(waiting)).toBeUndefined();
    // db-2 returns, hears that db-3 is named, and says so: it can no longer be mistaken for the synchronous standby.
    c.restart('db-2');
    c.deliverAll();
    for (let k = 0; k < 5; k++) c.tick();
    expect(c.ctx('db-1').syncFormers).toEqual([]);
    expect(c.replyTo(waiting)).toMatchObject({ ok: true });
    expect(check(c, 'db-2')).toMatchObject({ synchronous: false });
    expect(check(c, 'db-3')).toMatchObject({ synchronous: true, sync: { standby: 'db-3', gen: 2 } });
  });

  it('takes the topology’s synchronous standby back at a renewal once it has caught up', () => {
    const c = failedOver();
    renew(c, 'db-2');
    c.restart('db-1'); // the old primary comes back demoted and follows db-2
    c.deliverAll();
    for (let k = 0; k < 10; k++) c.tick();
    expect(c.ctx('db-1')).toMatchObject({ role: 'standby', upstream: 'db-2' });
    const reply = renew(c, 'db-2');
    expect(reply.sync).toEqual({ standby: 'db-1', epoch: 2, gen: 2 });
    for (let k = 0; k < 2; k++) c.tick();
    expect(c.ctx('db-2').syncFormers).toEqual([]);
    const [id] = c.writeSettled('db-2', 1);
    expect(c.replyTo(id!)).toMatchObject({ ok: true });
  });

  it('without failover agents the topology’s synchronous standbys count as before: nothing is named', () => {
    const c = new DbCluster({ standbys: ['sync', 'async'] });
    c.deliverAll();
    expect(c.ctx('db-1').sync).toBeNull();
    c.crash('db-2');
    const id = c.write('db-1');
    for (let k = 0; k < 20; k++) c.tick();
    c.deliverFromOutside('db-1', { type: 'HealthCheck', seq: 1 });
    c.deliverAll();
    expect(c.replyTo(id)).toBeUndefined();
    expect(c.ctx('db-1').sync).toBeNull();
  });
});
