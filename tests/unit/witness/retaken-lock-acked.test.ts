// Proves what a former primary that takes its own lock back tells the witness it acknowledged: only
// what it did acknowledge, not the writes it refused when its lease ran out (they are in its WAL,
// its synchronous standbys never got them). So once its disk is lost, a synchronous standby holding
// every acknowledged write takes the lock (sweep seed 23001 #842 never healed: the witness waited
// for WAL nobody but the lost holder ever had).
import { describe, expect, it } from 'vitest';
import { WitnessCluster } from './harness';

/**
 * db-1 (db-2 synchronous) acknowledges writes and renews its lease (the witness's mark is what it
 * acknowledged), then is cut off from db-2 with two writes waiting for it; cut off from the
 * witness too, its lease runs out and it refuses them. Back in touch with the witness alone, it
 * hears no primary and takes its own lock again for epoch 2. With `restarted`, it restarts (its
 * disk kept) before it does.
 */
function holderRetookLockWithRefusedWrites(restarted = false) {
  const c = new WitnessCluster();
  c.deliverAll();
  for (let k = 0; k < 3; k++) {
    c.write('db-1');
    c.deliverAll();
  }
  const acked = c.db('db-1').ackedLsn;
  c.round();
  expect(c.witness().acked.lsn).toBe(acked);
  c.cut('db-1', 'db-2');
  const refused = [c.write('db-1'), c.write('db-1')];
  c.deliverAll();
  c.cut('db-1', 'witness');
  c.fire('db-1', 'lease');
  expect(c.writeReplies('db-1').filter((r) => refused.includes(r.id))).toEqual(refused.map((id) => ({ id, ok: false })));
  if (restarted) {
    c.crash('db-1');
    c.restart('db-1');
  }
  c.fire('witness', 'lease');
  c.heal();
  c.partition(['db-1', 'witness'], ['db-2']);
  for (let k = 0; k < 4; k++) c.round();
  expect(c.db('db-1')).toMatchObject({ role: 'primary', epoch: 2 });
  return { c, acked };
}

describe('a former primary takes its own lock back after refusing writes', () => {
  it('renews with what it acknowledged, not its flushed WAL', () => {
    const { c, acked } = holderRetookLockWithRefusedWrites();
    const db1 = c.db('db-1');
    expect(db1.flushLsn).toBeGreaterThan(acked);
    expect(db1.ackedLsn).toBe(acked);
    expect(c.sentBy('db-1', 'LeaseRenew').at(-1)?.msg).toMatchObject({ epoch: 2, ackedLsn: acked });
    expect(c.witness()).toMatchObject({ holder: 'db-1', epoch: 2, acked: { lsn: acked } });
  });

  it('its disk lost, its synchronous standby, holding every acknowledged write but not the refused ones, takes the lock', () => {
    const { c, acked } = holderRetookLockWithRefusedWrites();
    expect(c.db('db-2').flushLsn).toBe(acked);
    c.crash('db-1');
    c.wipe('db-1');
    c.heal();
    c.fire('witness', 'lease');
    for (let k = 0; k < 4; k++) c.round();
    expect(c.failoverSteps('db-2').filter((s) => s.ok).map((s) => s.step)).toEqual(['detect', 'confirm', 'fence', 'promote', 'redirect']);
    expect(c.db('db-2')).toMatchObject({ role: 'primary', writable: true, epoch: 3 });
  });

  it('restarted before, it no longer knows what it acknowledged: the witness’s grant tells it, and it renews with that, not everything it holds', () => {
    const { c, acked } = holderRetookLockWithRefusedWrites(true);
    const db1 = c.db('db-1');
    expect(db1.flushLsn).toBeGreaterThan(acked);
    const grant = c.sentBy('witness', 'WitnessReply').find((e) => e.to === 'db-1' && e.msg.type === 'WitnessReply' && e.msg.previous !== undefined)?.msg;
    expect(grant).toMatchObject({ granted: true, holder: 'db-1', epoch: 2, ackedUpTo: acked });
    expect(db1.ackedLsn).toBe(acked);
    expect(c.sentBy('db-1', 'LeaseRenew').at(-1)?.msg).toMatchObject({ epoch: 2, ackedLsn: acked });
  });

  it('restarted before, its disk then lost: its synchronous standby takes the lock', () => {
    const { c } = holderRetookLockWithRefusedWrites(true);
    c.crash('db-1');
    c.wipe('db-1');
    c.heal();
    c.fire('witness', 'lease');
    for (let k = 0; k < 4; k++) c.round();
    expect(c.db('db-2')).toMatchObject({ role: 'primary', writable: true, epoch: 3 });
  });
});
