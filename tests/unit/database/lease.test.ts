// Proves Patroni's rule: with quorum on, a primary whose lease is not renewed within leaseMs (its first lease: long enough for the orchestrators' first election and check) demotes itself and refuses writes until promoted again; with quorum off, or nobody to renew it, it keeps writing.
import { describe, expect, it } from 'vitest';
import { DbCluster } from './harness';

describe('the lease', () => {
  const withOrchestrators = { standbys: ['sync'] as const, orchestrators: 3 };

  it('a primary without renewals demotes itself when the lease timer fires', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: true, leaseMs: 2500 } });
    c.deliverAll();
    // The first lease covers the orchestrators' first election (at most 2000 ms) and first check (1000 ms).
    expect(c.armedAfterMs('db-1', 'lease')).toBe(2500 + 2000 + 1000);
    c.deliverFromOutside('db-1', { type: 'HealthCheck', seq: 1, lease: true });
    expect(c.armedAfterMs('db-1', 'lease')).toBe(2500);
    expect(c.outside.at(-1)?.msg).toEqual({
      type: 'HealthReply',
      seq: 1,
      role: 'primary',
      epoch: 1,
      writable: true,
      flushLsn: 0,
      replayLsn: 0,
      synchronous: false,
      sync: { standby: 'db-2', epoch: 1, gen: 1 },
      history: [{ epoch: 1, startLsn: 0 }],
      ackedLsn: 0,
    });
    c.fire('db-1', 'lease');
    expect(c.state('db-1')).toBe('demoted');
    expect(c.tracesOfType('db-1', 'writable').at(-1)).toEqual({ type: 'writable', on: false, epoch: 1 });
    expect(c.tracesOfType('db-1', 'role').at(-1)?.reason).toMatch(/lost touch with the orchestrators for 2500 ms/);
    c.write('db-1');
    expect(c.replies.at(-1)).toMatchObject({ ok: false });
    expect(c.replies.at(-1)?.reason).toMatch(/db-1 is a demoted primary/);
    // A health check alone does not bring it back; a promotion does, in a new epoch.
    c.deliverFromOutside('db-1', { type: 'HealthCheck', seq: 2, lease: true });
    expect(c.state('db-1')).toBe('demoted');
    c.deliverFromOutside('db-1', { type: 'Promote', epoch: 2 });
    expect(c.ctx('db-1')).toMatchObject({ writable: true, epoch: 2 });
  });

  it('a first primary that is never renewed demotes itself when its first lease runs out', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: true } });
    c.deliverAll();
    expect(c.ctx('db-1').writable).toBe(true);
    c.fire('db-1', 'lease');
    expect(c.state('db-1')).toBe('demoted');
    c.write('db-1');
    expect(c.replies.at(-1)).toMatchObject({ ok: false });
  });

  it('a health check without the lease flag renews nothing', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: true } });
    c.deliverAll();
    const firstLeaseMs = c.armedAfterMs('db-1', 'lease');
    c.deliverFromOutside('db-1', { type: 'HealthCheck', seq: 1 });
    expect(c.armedAfterMs('db-1', 'lease')).toBe(firstLeaseMs);
  });

  it('refuses the writes still waiting for the sync standby when it demotes', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: true } });
    c.deliverAll();
    c.deliverFromOutside('db-1', { type: 'HealthCheck', seq: 1, lease: true });
    c.crash('db-2');
    const id = c.write('db-1');
    c.fire('db-1', 'lease');
    expect(c.replyTo(id)).toMatchObject({ ok: false });
    expect(c.replyTo(id)?.reason).toMatch(/stopped being primary before the write was confirmed/);
  });

  it('with quorum off there is no lease and the primary keeps writing', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: false } });
    c.deliverAll();
    expect(c.isArmed('db-1', 'lease')).toBe(false);
    for (let k = 0; k < 50; k++) c.tick();
    const id = c.write('db-1');
    c.deliverAll();
    expect(c.replyTo(id)).toMatchObject({ ok: true });
  });

  it('with nobody to renew it (no orchestrators, no witness) there is no lease either', () => {
    const c = new DbCluster({ standbys: ['sync'], settings: { quorum: true } });
    expect(c.isArmed('db-1', 'lease')).toBe(false);
  });

  it('a primary restarted under a lease comes back demoted; without one, writable', () => {
    const leased = new DbCluster({ ...withOrchestrators, settings: { quorum: true } });
    leased.deliverAll();
    leased.crash('db-1');
    leased.restart('db-1');
    expect(leased.state('db-1')).toBe('demoted');
    const free = new DbCluster({ ...withOrchestrators, settings: { quorum: false } });
    free.crash('db-1');
    free.restart('db-1');
    expect(free.ctx('db-1').writable).toBe(true);
  });

  it('an operator promotion answers to no lease', () => {
    const c = new DbCluster({ ...withOrchestrators, settings: { quorum: true } });
    c.deliverAll();
    c.crash('db-1');
    c.promote('db-2');
    expect(c.ctx('db-2').writable).toBe(true);
    expect(c.isArmed('db-2', 'lease')).toBe(false);
  });
});
