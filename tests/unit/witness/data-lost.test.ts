// Proves the witness's rule for a holder that lost its data: with asynchronous standbys only, a
// holder that says it restarted empty no longer binds the lock to what it acknowledged, so once its
// lease has run out a node holding data may take the lock (and the grant says why); with a
// synchronous standby the mark stands until that standby says its data is gone too; from a node
// that does not hold the lock it stands; a node with an empty data directory never gets the lock.
import { describe, expect, it } from 'vitest';
import { dataLost, initialWitnessContext, leaseRanOut, lock, renew } from '../../../src/sim/machines/witness/logic';
import type { LockRequest, WitnessContext } from '../../../src/sim/machines/witness/types';
import type { TimelineEntry } from '../../../src/sim/machines/database/types';
import { TEST_SETTINGS } from '../../support/settings';
import { answer, apply, witnessTopology } from './harness';

const EPOCH_1: readonly TimelineEntry[] = [{ epoch: 1, startLsn: 0 }];

function request(flushLsn: number, history: readonly TimelineEntry[] = EPOCH_1): LockRequest {
  return { type: 'LockRequest', seq: 7, epoch: 2, primary: null, flushLsn, history };
}

/** db-1 holds the lock and said it acknowledged writes up to 5000; its lease has run out. */
function afterHolderAcked(standbys: readonly ('sync' | 'async')[]): WitnessContext {
  let ctx = initialWitnessContext({ id: 'witness', peers: [], disk: null, settings: TEST_SETTINGS, topology: witnessTopology(standbys) });
  ctx = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 1, epoch: 1, ackedLsn: 5000, history: EPOCH_1 }));
  return apply(ctx, leaseRanOut(ctx));
}

describe('the witness hears that a node lost its data', () => {
  it('asynchronous standbys only: the holder lost its data, so db-2 with less than it acknowledged may take the lock, and the grant says why', () => {
    const before = afterHolderAcked(['async']);
    expect(answer(lock(before, 'db-2', request(1000))).granted).toBe(false);
    const after = apply(before, dataLost(before, 'db-1'));
    const granted = answer(lock(after, 'db-2', request(1000)));
    expect(granted).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
    expect(granted.reason).toMatch(/db-1 lost its data, so what it acknowledged that db-2 lacks is gone/);
  });

  it('a synchronous standby holds every acknowledged write: the mark stands while it may hold them', () => {
    const before = afterHolderAcked(['sync', 'async']);
    const after = apply(before, dataLost(before, 'db-1'));
    expect(after.acked).toEqual(before.acked);
    // db-3, asynchronous, is refused even holding more; db-2, synchronous, only once it holds what db-1 acknowledged.
    expect(answer(lock(after, 'db-3', request(9000))).granted).toBe(false);
    expect(answer(lock(after, 'db-2', request(1000))).granted).toBe(false);
    expect(answer(lock(after, 'db-2', request(5000)))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('the holder and its synchronous standby both lost their data: the node holding the most of what survives takes the lock, and the grant says why', () => {
    const before = afterHolderAcked(['sync', 'async']);
    // Said before the holder's own notice, db-2's counts for nothing (it may hold data since).
    expect(dataLost(before, 'db-2').patch).toEqual({});
    let ctx = apply(before, dataLost(before, 'db-1'));
    ctx = apply(ctx, dataLost(ctx, 'db-2'));
    expect(answer(lock(ctx, 'db-3', request(0, []))).granted).toBe(false);
    const granted = answer(lock(ctx, 'db-3', request(1000)));
    expect(granted).toMatchObject({ granted: true, holder: 'db-3', epoch: 2 });
    expect(granted.reason).toMatch(/db-1 and its synchronous standby db-2 lost their data, so what it acknowledged that db-3 lacks is gone whoever takes over/);
  });

  it('a node that does not hold the lock changes nothing', () => {
    const before = afterHolderAcked(['async']);
    expect(dataLost(before, 'db-2').patch).toEqual({});
  });

  it('a node with an empty data directory never gets the lock, even when nothing binds it', () => {
    const before = afterHolderAcked(['async']);
    const after = apply(before, dataLost(before, 'db-1'));
    expect(answer(lock(after, 'db-2', request(0, []))).granted).toBe(false);
  });

  it('a holder that ran degraded, took its own lock back and renews waiting for its synchronous standby stays marked degraded until a write is acknowledged through it', () => {
    let ctx = initialWitnessContext({ id: 'witness', peers: [], disk: null, settings: TEST_SETTINGS, topology: witnessTopology(['sync', 'async']) });
    ctx = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 1, epoch: 1, ackedLsn: 3000, history: EPOCH_1, degraded: true }));
    ctx = apply(ctx, leaseRanOut(ctx));
    // Back demoted, it acknowledged alone up to 5000 before its lease ran out, and takes the lock again.
    ctx = apply(ctx, lock(ctx, 'db-1', { type: 'LockRequest', seq: 2, epoch: 2, primary: null, flushLsn: 5000, history: EPOCH_1 }));
    const epoch2 = [...EPOCH_1, { epoch: 2, startLsn: 5000 }];
    ctx = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 3, epoch: 2, ackedLsn: 5000, history: epoch2 }));
    expect(ctx.degraded).toBe(true);
    const lost = apply(ctx, dataLost(ctx, 'db-1'));
    expect(lost.dataLostBy).toBe('db-1');
    // A write acknowledged beyond it waited for the synchronous standby, which then holds it all.
    const synced = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 4, epoch: 2, ackedLsn: 5100, history: epoch2 }));
    expect(synced.degraded).toBe(false);
    // Its data lost now, the mark stands: db-2, synchronous, holds all it acknowledged.
    const lostSynced = apply(synced, dataLost(synced, 'db-1'));
    expect(lostSynced.acked.lsn).toBe(5100);
    expect(answer(lock(lostSynced, 'db-3', { type: 'LockRequest', seq: 5, epoch: 3, primary: null, flushLsn: 6000, history: epoch2 })).granted).toBe(false);
  });
});
