// Proves what a former primary given the witness's lock counts as acknowledged: after a restart it
// no longer knows what it acknowledged, so it would count everything it holds, writes nobody
// acknowledged too; the witness's grant tells it how far the acknowledged writes may go (the mark),
// and it renews with no more. So once its disk is lost, the other node, holding every acknowledged
// write but not those, takes the lock. The sweep's runs seed 23001 #3394 and 24001 #4551 never
// healed: the witness waited for WAL only the lost node had ever held.
//
// The rule (witness/logic.ts `ackedUpTo`): told only to a former primary (it names no primary), only
// while the holder has not run degraded and the mark is the holder's own (it renewed in its epoch).
import { describe, expect, it } from 'vitest';
import { initialWitnessContext, leaseRanOut, lock, renew, type Step } from '../../../src/sim/machines/witness/logic';
import type { LockRequest, WitnessContext } from '../../../src/sim/machines/witness/types';
import type { TimelineEntry } from '../../../src/sim/machines/database/types';
import { TEST_SETTINGS } from '../../support/settings';
import { WitnessCluster, answer, apply, witnessTopology } from './harness';

const EPOCH_1: readonly TimelineEntry[] = [{ epoch: 1, startLsn: 0 }];
const EPOCH_2: readonly TimelineEntry[] = [...EPOCH_1, { epoch: 2, startLsn: 3000 }];

/** db-2 (synchronous to db-1) holds the lock in epoch 2, renewed as `renewed` says (none: never renewed), and its lease ran out. */
function db2Held(renewed: { ackedLsn: number; degraded?: boolean } | null): WitnessContext {
  let ctx = initialWitnessContext({ id: 'witness', peers: [], disk: null, settings: TEST_SETTINGS, topology: witnessTopology(['sync']) });
  ctx = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 1, epoch: 1, ackedLsn: 2500, history: EPOCH_1 }));
  ctx = apply(ctx, leaseRanOut(ctx));
  ctx = apply(ctx, lock(ctx, 'db-2', { type: 'LockRequest', seq: 2, epoch: 2, primary: 'db-1', flushLsn: 3000, history: EPOCH_1 }));
  expect(ctx).toMatchObject({ holder: 'db-2', epoch: 2 });
  if (renewed !== null) ctx = apply(ctx, renew(ctx, 'db-2', { type: 'LeaseRenew', seq: 3, epoch: 2, history: EPOCH_2, ...renewed }));
  return apply(ctx, leaseRanOut(ctx));
}

const asks = (primary: string | null, flushLsn: number, history: readonly TimelineEntry[]): LockRequest => ({ type: 'LockRequest', seq: 9, epoch: 3, primary, flushLsn, history });
const granted = (step: Step) => {
  expect(answer(step)).toMatchObject({ granted: true, epoch: 3 });
  return answer(step).ackedUpTo;
};

describe('the witness tells a former primary it gives the lock how far acknowledged writes may go', () => {
  it('the holder taking its lock back: up to the mark it renewed in its epoch', () => {
    const ctx = db2Held({ ackedLsn: 3000 });
    expect(granted(lock(ctx, 'db-2', asks(null, 4000, EPOCH_2)))).toBe(3000);
  });

  it('another former primary, synchronous to the holder: up to the mark, though its own timeline goes further', () => {
    const ctx = db2Held({ ackedLsn: 3000 });
    expect(granted(lock(ctx, 'db-1', asks(null, 3600, EPOCH_1)))).toBe(3000);
  });

  it('a standby (it names the primary it replaces) is told nothing: it may hold writes acknowledged since the mark', () => {
    const ctx = db2Held({ ackedLsn: 3000 });
    expect(granted(lock(ctx, 'db-1', asks('db-2', 3600, EPOCH_2)))).toBeUndefined();
  });

  it('the holder ran degraded: told nothing (what it acknowledged alone is only on it)', () => {
    const ctx = db2Held({ ackedLsn: 3000, degraded: true });
    expect(granted(lock(ctx, 'db-2', asks(null, 4000, EPOCH_2)))).toBeUndefined();
  });

  it('the holder never renewed in its epoch: told nothing (the mark is its predecessor’s, and what it held when promoted may have been acknowledged)', () => {
    const ctx = db2Held(null);
    expect(ctx.acked.history).toEqual(EPOCH_1);
    expect(granted(lock(ctx, 'db-2', asks(null, 4000, EPOCH_2)))).toBeUndefined();
  });
});

/** db-1 (db-2 synchronous) acknowledges three writes and renews its lease: the witness's mark is what it acknowledged. */
function ackedAndRenewed(): { c: WitnessCluster; acked: number } {
  const c = new WitnessCluster();
  c.deliverAll();
  for (let k = 0; k < 3; k++) {
    c.write('db-1');
    c.deliverAll();
  }
  c.round();
  const acked = c.db('db-1').ackedLsn;
  expect(c.witness().acked.lsn).toBe(acked);
  return { c, acked };
}

/** `id` was granted the lock: the epoch, and what the grant told it. */
function lockTaken(c: WitnessCluster, id: string, epoch: number) {
  for (let k = 0; k < 4; k++) c.round();
  expect(c.db(id)).toMatchObject({ role: 'primary', writable: true, epoch });
  return c.sentBy('witness', 'WitnessReply').filter((e) => e.to === id && e.msg.type === 'WitnessReply' && e.msg.previous !== undefined).at(-1)!.msg;
}

describe('a former primary that restarted and took the lock renews with what may have been acknowledged, not all it holds', () => {
  // Seed 24001 #4551: db-2 took over, its writes waited for the crashed db-1; it crashed, restarted,
  // took its lock back, counted those writes as acknowledged, and lost its disk.
  it('the holder, back with writes that waited for its synchronous standby: it renews with the mark, and once its disk is lost the standby takes over', () => {
    const { c } = ackedAndRenewed();
    c.crash('db-1');
    c.fire('witness', 'lease');
    lockTaken(c, 'db-2', 2);
    const promotedAt = c.db('db-2').flushLsn;
    c.round();
    expect(c.witness().acked.lsn).toBe(promotedAt);
    c.write('db-2');
    c.write('db-2');
    c.deliverAll();
    expect(c.db('db-2').flushLsn).toBeGreaterThan(promotedAt);
    expect(c.writeReplies('db-2')).toEqual([]);
    c.crash('db-2');
    c.restart('db-2');
    c.fire('witness', 'lease');
    expect(lockTaken(c, 'db-2', 3)).toMatchObject({ ackedUpTo: promotedAt });
    expect(c.sentBy('db-2', 'LeaseRenew').at(-1)?.msg).toMatchObject({ epoch: 3, ackedLsn: promotedAt });
    expect(c.witness().acked.lsn).toBe(promotedAt);
    c.crash('db-2');
    c.wipe('db-2');
    c.restart('db-1');
    c.fire('witness', 'lease');
    lockTaken(c, 'db-1', 4);
  });

  // Seed 23001 #3394: db-1 crashed holding writes db-2 never got; db-2 took over and went dark; db-1
  // came back, took the lock, counted its own timeline's unacknowledged tail, and lost its disk.
  it('another former primary, its timeline going past where the holder’s parted from it: it renews with the mark, and once its disk is lost the holder takes over', () => {
    const { c, acked } = ackedAndRenewed();
    c.cut('db-1', 'db-2');
    c.write('db-1');
    c.write('db-1');
    c.deliverAll();
    c.crash('db-1');
    c.heal();
    c.fire('witness', 'lease');
    lockTaken(c, 'db-2', 2);
    expect(c.db('db-2').flushLsn).toBe(acked);
    c.round();
    c.crash('db-2');
    c.restart('db-1');
    expect(c.db('db-1').flushLsn).toBeGreaterThan(acked);
    c.fire('witness', 'lease');
    expect(lockTaken(c, 'db-1', 3)).toMatchObject({ ackedUpTo: acked });
    expect(c.sentBy('db-1', 'LeaseRenew').at(-1)?.msg).toMatchObject({ epoch: 3, ackedLsn: acked });
    c.crash('db-1');
    c.wipe('db-1');
    c.restart('db-2');
    c.fire('witness', 'lease');
    lockTaken(c, 'db-2', 4);
  });
});
