// Proves the database's witness mode on the machines alone: the primary holds its lease only while the witness renews it (and counts it from before it asked), a standby takes over only after failureThreshold failed checks and with the witness's vote, fences the old primary before promoting itself in the next epoch, tells each step, and otherwise says once why there is no failover; with quorum off it decides alone.
import { describe, expect, it } from 'vitest';
import { WitnessCluster } from './harness';

const LEASE_MS = 2500;
const TIMEOUT_MS = 500;

describe('the primary’s lease with the witness', () => {
  it('asks for a renewal at once and every interval, and holds the lease leaseMs − timeoutMs from each answer', () => {
    const c = new WitnessCluster();
    expect(c.sentBy('db-1', 'LeaseRenew').map((e) => e.to)).toEqual(['witness']);
    expect(c.armedAfterMs('db-1', 'lease')).toBe(LEASE_MS - TIMEOUT_MS);
    c.deliverAll();
    expect(c.armedAfterMs('db-1', 'witness-renew')).toBe(1000);
    c.round();
    expect(c.sentBy('db-1', 'LeaseRenew')).toHaveLength(2);
    expect(c.armedAfterMs('db-1', 'lease')).toBe(LEASE_MS - TIMEOUT_MS);
    expect(c.witness()).toMatchObject({ holder: 'db-1', epoch: 1, live: true });
  });

  it('ignores an answer that came after its wait ran out, and stops writing when its lease runs out', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.fire('db-1', 'witness-renew');
    c.fire('db-1', 'witness-wait');
    c.deliverAll(); // the late grant
    c.fire('db-1', 'lease');
    expect(c.db('db-1')).toMatchObject({ role: 'demoted', writable: false });
    expect(c.db('db-1').reason).toMatch(/the witness did not renew its lease in time/);
  });

  it('stops writing when the witness says another node holds the lock in a newer epoch', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.fire('db-1', 'witness-renew');
    c.send('db-1', { type: 'message', from: 'witness', msg: { type: 'WitnessReply', seq: c.db('db-1').witness.awaiting, granted: false, holder: 'db-2', epoch: 2, reason: 'test' } });
    expect(c.db('db-1')).toMatchObject({ role: 'demoted', writable: false, epoch: 2 });
  });
});

describe('the standby’s takeover', () => {
  it('with the witness’s vote: detect, confirm, fence, promote, redirect, in epoch 2', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.round();
    c.crash('db-1');
    for (let k = 0; k < 3; k++) c.round();
    // The witness still counts db-1's lease: refused.
    expect(c.db('db-2').role).toBe('standby');
    c.fire('witness', 'lease');
    c.round();
    expect(c.failoverSteps('db-2').filter((s) => s.ok).map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(c.failoverSteps('db-2').filter((s) => s.ok).every((s) => s.epoch === 2)).toBe(true);
    expect(c.db('db-2')).toMatchObject({ role: 'primary', writable: true, epoch: 2 });
    expect(c.tracesOf('db-2').find((t) => t.type === 'promoted')).toMatchObject({ epoch: 2, synchronous: true });
    expect(c.witness()).toMatchObject({ holder: 'db-2', epoch: 2 });
    // The new primary renews its own lease from now on.
    expect(c.sentBy('db-2', 'LeaseRenew').at(-1)?.msg).toMatchObject({ epoch: 2 });
  });

  it('fences the old primary before promoting itself', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.isolate('db-1');
    for (let k = 0; k < 3; k++) c.round();
    c.fire('witness', 'lease');
    expect(c.isUp('db-1')).toBe(true);
    c.round();
    expect(c.isUp('db-1')).toBe(false);
    const effects = c.effectsOf('db-2');
    const fenceAt = effects.findIndex((e) => e.type === 'fence');
    const promotedAt = effects.findIndex((e) => e.type === 'trace' && e.event.type === 'promoted');
    expect(fenceAt).toBeGreaterThanOrEqual(0);
    expect(fenceAt).toBeLessThan(promotedAt);
  });

  it('asks only after failureThreshold failed checks in a row', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.crash('db-1');
    c.round();
    c.round();
    expect(c.sentBy('db-2', 'LockRequest')).toEqual([]);
    c.round();
    expect(c.sentBy('db-2', 'LockRequest').map((e) => e.msg)).toEqual([expect.objectContaining({ epoch: 2, primary: 'db-1' })]);
  });

  it('cut off from the primary while the witness still renews it: refused, no failover, said once', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.cut('db-1', 'db-2');
    for (let k = 0; k < 6; k++) c.round();
    expect(c.sentBy('db-2', 'LockRequest').length).toBeGreaterThan(1);
    expect(c.db('db-2').role).toBe('standby');
    expect(c.db('db-1')).toMatchObject({ role: 'primary', writable: true });
    expect(c.failoverSteps('db-2')).toEqual([
      { step: 'detect', ok: false, epoch: 2, text: expect.stringMatching(/the witness refused db-2 the lock: db-1's lease \(epoch 1\) is still alive/) },
    ]);
  });

  it('with the witness silent: no failover, and it says why', () => {
    const c = new WitnessCluster();
    c.deliverAll();
    c.crash('witness');
    c.crash('db-1');
    for (let k = 0; k < 5; k++) c.round();
    expect(c.db('db-2').role).toBe('standby');
    expect(c.failoverSteps('db-2')).toEqual([{ step: 'detect', ok: false, epoch: 2, text: expect.stringMatching(/the witness does not answer/) }]);
  });

  it('an asynchronous standby beside a synchronous one asks, saying what it holds, and is refused: it may lack acknowledged writes', () => {
    const c = new WitnessCluster({ standbys: ['sync', 'async'] });
    c.deliverAll();
    c.crash('db-2');
    c.crash('db-1');
    c.fire('witness', 'lease');
    for (let k = 0; k < 5; k++) c.round();
    // Its request tells the witness what it holds (the witness needs it once a holder's data is lost).
    expect(c.sentBy('db-3', 'LockRequest').map((e) => e.msg)).toContainEqual(expect.objectContaining({ flushLsn: c.db('db-3').flushLsn, history: c.db('db-3').history }));
    expect(c.failoverSteps('db-3')).toEqual([
      { step: 'detect', ok: false, epoch: 2, text: expect.stringMatching(/the witness refused db-3 the lock: db-3 is not synchronous to db-1: it may lack writes db-1 acknowledged/) },
    ]);
    expect(c.db('db-3').role).toBe('standby');
    expect(c.witness()).toMatchObject({ holder: 'db-1', epoch: 1 });
  });

  it('with quorum off, an asynchronous standby beside a synchronous one does not take over alone', () => {
    const c = new WitnessCluster({ standbys: ['sync', 'async'], settings: { quorum: false, fencing: false } });
    c.deliverAll();
    c.cut('db-1', 'db-3');
    for (let k = 0; k < 4; k++) c.round();
    expect(c.sentBy('db-3', 'LockRequest')).toEqual([]);
    expect(c.failoverSteps('db-3')).toEqual([{ step: 'detect', ok: false, epoch: 2, text: expect.stringMatching(/replicates asynchronously beside a synchronous standby/) }]);
    expect(c.db('db-3').role).toBe('standby');
  });

  it('with fencing off, it relies on the old primary’s lease having run out first', () => {
    const c = new WitnessCluster({ settings: { fencing: false } });
    c.deliverAll();
    c.isolate('db-1');
    for (let k = 0; k < 3; k++) c.round();
    c.fire('db-1', 'lease');
    c.fire('witness', 'lease');
    c.round();
    expect(c.effectsOf('db-2').some((e) => e.type === 'fence')).toBe(false);
    expect(c.failoverSteps('db-2').find((s) => s.step === 'fence')).toMatchObject({ ok: true, text: expect.stringMatching(/its own lease ran out before the witness's did/) });
    expect(c.db('db-2')).toMatchObject({ role: 'primary', epoch: 2 });
  });

  it('with quorum off, the witness is ignored: the standby decides alone and promotes itself', () => {
    const c = new WitnessCluster({ settings: { quorum: false, fencing: false } });
    c.deliverAll();
    c.cut('db-1', 'db-2');
    for (let k = 0; k < 3; k++) c.round();
    expect(c.sentBy('db-2', 'LockRequest')).toEqual([]);
    expect(c.failoverSteps('db-2').map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    // Split brain: the old primary has no lease to lose.
    expect(c.db('db-1')).toMatchObject({ role: 'primary', writable: true });
    expect(c.db('db-2')).toMatchObject({ role: 'primary', writable: true, epoch: 2 });
  });
});
