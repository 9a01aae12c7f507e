// Proves the witness's rules on their own: it renews the lease of the lock's holder, hands the lock to a standby only once the holder's lease has run out on its own clock and only for a newer epoch, gives the same lock again to the node that has it, never gives an epoch twice, and after a restart waits out a whole lease before it hands anything over.
import { describe, expect, it } from 'vitest';
import { initialWitnessContext, leaseRanOut, lock, renew, TIMER, type Step } from '../../../src/sim/machines/witness/logic';
import type { WitnessContext, WitnessDisk, WitnessReply } from '../../../src/sim/machines/witness/types';
import { TEST_SETTINGS } from '../../support/settings';
import { witnessTopology } from './harness';

function witness(disk: WitnessDisk | null = null): WitnessContext {
  return initialWitnessContext({ id: 'witness', peers: [], disk, settings: TEST_SETTINGS, topology: witnessTopology(['sync']) });
}

function apply(ctx: WitnessContext, step: Step): WitnessContext {
  return { ...ctx, ...step.patch };
}

function answer(step: Step): WitnessReply {
  const sent = step.effects.find((e) => e.type === 'send');
  if (!sent || sent.type !== 'send') throw new Error('the witness answered nothing');
  return sent.msg as WitnessReply;
}

function rearmsLease(step: Step): boolean {
  return step.effects.some((e) => e.type === 'set-timer' && e.name === TIMER.lease && e.afterMs === TEST_SETTINGS.leaseMs);
}

describe('the witness', () => {
  it('starts with db-1 holding the lock in epoch 1, its lease alive', () => {
    expect(witness()).toMatchObject({ holder: 'db-1', epoch: 1, live: true });
  });

  it('renews the holder’s lease and counts it again from now', () => {
    const step = renew(witness(), 'db-1', { type: 'LeaseRenew', seq: 4, epoch: 1 });
    expect(answer(step)).toMatchObject({ seq: 4, granted: true, holder: 'db-1', epoch: 1 });
    expect(rearmsLease(step)).toBe(true);
  });

  it('refuses the lock to a standby while the holder’s lease is alive', () => {
    const step = lock(witness(), 'db-2', { type: 'LockRequest', seq: 1, epoch: 2, primary: 'db-1' });
    expect(answer(step)).toMatchObject({ granted: false, holder: 'db-1', epoch: 1, reason: expect.stringMatching(/still alive/) });
    expect(step.patch).toEqual({});
  });

  it('gives the lock for a newer epoch once the holder’s lease has run out', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    expect(expired.live).toBe(false);
    const step = lock(expired, 'db-2', { type: 'LockRequest', seq: 1, epoch: 2, primary: 'db-1' });
    expect(answer(step)).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
    expect(apply(expired, step)).toMatchObject({ holder: 'db-2', epoch: 2, live: true, handovers: 1 });
    expect(rearmsLease(step)).toBe(true);
  });

  it('never gives an epoch that is not newer than the one it gave last', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    expect(answer(lock(expired, 'db-2', { type: 'LockRequest', seq: 1, epoch: 1, primary: 'db-1' }))).toMatchObject({ granted: false });
  });

  it('gives the same lock again to the node that has it (a takeover retried after a failed fence)', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    const taken = apply(expired, lock(expired, 'db-2', { type: 'LockRequest', seq: 1, epoch: 2, primary: 'db-1' }));
    const again = apply(taken, leaseRanOut(taken));
    expect(answer(lock(again, 'db-2', { type: 'LockRequest', seq: 2, epoch: 2, primary: 'db-1' }))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('refuses the old primary’s renewal once the lock has moved on', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    const taken = apply(expired, lock(expired, 'db-2', { type: 'LockRequest', seq: 1, epoch: 2, primary: 'db-1' }));
    expect(answer(renew(taken, 'db-1', { type: 'LeaseRenew', seq: 9, epoch: 1 }))).toMatchObject({ granted: false, holder: 'db-2', epoch: 2 });
  });

  it('takes a primary of a newer epoch (promoted by hand) as the holder only once the old lease has run out', () => {
    const live = witness();
    expect(answer(renew(live, 'db-2', { type: 'LeaseRenew', seq: 1, epoch: 2 }))).toMatchObject({ granted: false, holder: 'db-1' });
    const expired = apply(live, leaseRanOut(live));
    expect(answer(renew(expired, 'db-2', { type: 'LeaseRenew', seq: 2, epoch: 2 }))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('after a restart keeps the holder from its disk and counts its lease as alive', () => {
    const restarted = witness({ holder: 'db-2', epoch: 3 });
    expect(restarted).toMatchObject({ holder: 'db-2', epoch: 3, live: true });
    expect(answer(lock(restarted, 'db-1', { type: 'LockRequest', seq: 1, epoch: 4, primary: 'db-2' }))).toMatchObject({ granted: false });
  });
});
