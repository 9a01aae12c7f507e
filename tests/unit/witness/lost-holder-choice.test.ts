// Proves the witness's choice once the lock's holder lost its data: the lock goes to the node
// holding the most of what survives, never to one holding less than another node said it holds,
// never while a node has not said what it holds (it may be down, holding more), never back to the
// empty holder; a node's own notice that it is empty counts as its answer; the holder saying again
// that its data is gone (it says so until it holds data) forgets nothing; and a restarted witness
// still knows the holder's data is gone.
import { describe, expect, it } from 'vitest';
import { dataLost, initialWitnessContext, leaseRanOut, lock, renew, witnessDiskOf, type Step } from '../../../src/sim/machines/witness/logic';
import type { LockRequest, WitnessContext, WitnessReply } from '../../../src/sim/machines/witness/types';
import type { TimelineEntry } from '../../../src/sim/machines/database/types';
import { TEST_SETTINGS } from '../../support/settings';
import { witnessTopology } from './harness';

const EPOCH_1: readonly TimelineEntry[] = [{ epoch: 1, startLsn: 0 }];
const apply = (ctx: WitnessContext, step: Step): WitnessContext => ({ ...ctx, ...step.patch });

function answer(step: Step): WitnessReply {
  const sent = step.effects.find((e) => e.type === 'send');
  if (!sent || sent.type !== 'send') throw new Error('the witness answered nothing');
  return sent.msg as WitnessReply;
}

const request = (flushLsn: number, history: readonly TimelineEntry[] = EPOCH_1): LockRequest => ({ type: 'LockRequest', seq: 7, epoch: 2, primary: 'db-1', flushLsn, history });

/** db-1 (db-2 synchronous, db-3 asynchronous) renewed running degraded, its lease ran out, and it said its data is gone. */
function holderLost(): WitnessContext {
  let ctx = initialWitnessContext({ id: 'witness', peers: [], disk: null, settings: TEST_SETTINGS, topology: witnessTopology(['sync', 'async']) });
  ctx = apply(ctx, renew(ctx, 'db-1', { type: 'LeaseRenew', seq: 1, epoch: 1, ackedLsn: 5000, history: EPOCH_1, degraded: true }));
  ctx = apply(ctx, leaseRanOut(ctx));
  return apply(ctx, dataLost(ctx, 'db-1'));
}

describe('the witness gives the lock of a holder whose data is gone to the node holding the most', () => {
  it('the first to ask waits for the other; the one holding less is refused, the one holding more granted', () => {
    let ctx = holderLost();
    const first = lock(ctx, 'db-2', request(3000));
    expect(answer(first)).toMatchObject({ granted: false });
    expect(answer(first).reason).toMatch(/db-3 has not said what it holds since: it may hold more than db-2/);
    ctx = apply(ctx, first);
    const more = lock(ctx, 'db-3', request(4000));
    expect(answer(more)).toMatchObject({ granted: true, holder: 'db-3', epoch: 2, previous: 'db-1' });
    // Had db-3 held less, db-2 would be left the lock.
    const less = lock(ctx, 'db-3', request(2000));
    expect(answer(less).granted).toBe(false);
    expect(answer(less).reason).toMatch(/db-2 holds more of the WAL than db-3/);
  });

  it('a node that says it is empty has answered: the other takes the lock at once', () => {
    let ctx = holderLost();
    ctx = apply(ctx, dataLost(ctx, 'db-3'));
    expect(answer(lock(ctx, 'db-2', request(3000)))).toMatchObject({ granted: true, holder: 'db-2' });
  });

  it('the holder says so again: what the others said is kept', () => {
    let ctx = holderLost();
    ctx = apply(ctx, lock(ctx, 'db-2', request(3000)));
    expect(dataLost(ctx, 'db-1').patch).toEqual({});
    expect(answer(lock(ctx, 'db-3', request(4000))).granted).toBe(true);
  });

  it('the empty holder never takes the lock back', () => {
    const ctx = holderLost();
    expect(answer(lock(ctx, 'db-1', request(0, []))).granted).toBe(false);
  });

  it('a restarted witness still knows the holder’s data is gone', () => {
    const before = holderLost();
    let ctx = initialWitnessContext({ id: 'witness', peers: [], disk: witnessDiskOf(before), settings: TEST_SETTINGS, topology: before.topology });
    expect(ctx.dataLostBy).toBe('db-1');
    ctx = apply(ctx, leaseRanOut(ctx));
    ctx = apply(ctx, lock(ctx, 'db-2', request(3000)));
    expect(answer(lock(ctx, 'db-3', request(4000))).granted).toBe(true);
  });
});
