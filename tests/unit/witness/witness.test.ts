// Proves the witness's rules on their own: it renews the lease of the lock's holder, hands the lock to a standby only once the holder's lease has run out on its own clock, only to a node that holds every write the holder said it acknowledged (on the same timeline, and synchronous to the holder where standbys are synchronous), always for an epoch newer than any it gave, gives the same lock again to the node that has it, gives the holder itself a newer epoch, and after a restart waits out a whole lease before it hands anything over.
import { describe, expect, it } from 'vitest';
import { initialWitnessContext, leaseRanOut, lock, renew, TIMER, type Step } from '../../../src/sim/machines/witness/logic';
import type { LeaseRenew, LockRequest, WitnessContext, WitnessDisk } from '../../../src/sim/machines/witness/types';
import type { TimelineEntry } from '../../../src/sim/machines/database/types';
import { TEST_SETTINGS } from '../../support/settings';
import { answer, apply, witnessTopology } from './harness';

function witness(disk: WitnessDisk | null = null, standbys: readonly ('sync' | 'async')[] = ['sync']): WitnessContext {
  return initialWitnessContext({ id: 'witness', peers: [], disk, settings: TEST_SETTINGS, topology: witnessTopology(standbys) });
}

const EPOCH_1: readonly TimelineEntry[] = [{ epoch: 1, startLsn: 0 }];

function renewal(seq: number, epoch: number, ackedLsn = 0, history: readonly TimelineEntry[] = EPOCH_1): LeaseRenew {
  return { type: 'LeaseRenew', seq, epoch, ackedLsn, history };
}

function lockRequest(seq: number, epoch: number, primary: string | null, flushLsn = 0, history: readonly TimelineEntry[] = EPOCH_1): LockRequest {
  return { type: 'LockRequest', seq, epoch, primary, flushLsn, history };
}

function rearmsLease(step: Step): boolean {
  return step.effects.some((e) => e.type === 'set-timer' && e.name === TIMER.lease && e.afterMs === TEST_SETTINGS.leaseMs);
}

describe('the witness', () => {
  it('starts with db-1 holding the lock in epoch 1, its lease alive', () => {
    expect(witness()).toMatchObject({ holder: 'db-1', epoch: 1, live: true });
  });

  it('renews the holder’s lease and counts it again from now', () => {
    const step = renew(witness(), 'db-1', renewal(4, 1));
    expect(answer(step)).toMatchObject({ seq: 4, granted: true, holder: 'db-1', epoch: 1 });
    expect(rearmsLease(step)).toBe(true);
  });

  it('refuses the lock to a standby while the holder’s lease is alive', () => {
    const step = lock(witness(), 'db-2', lockRequest(1, 2, 'db-1'));
    expect(answer(step)).toMatchObject({ granted: false, holder: 'db-1', epoch: 1, reason: expect.stringMatching(/still alive/) });
    expect(step.patch).toEqual({});
  });

  it('gives the lock for a newer epoch once the holder’s lease has run out', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    expect(expired.live).toBe(false);
    const step = lock(expired, 'db-2', lockRequest(1, 2, 'db-1'));
    expect(answer(step)).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
    expect(apply(expired, step)).toMatchObject({ holder: 'db-2', epoch: 2, live: true, handovers: 1 });
    expect(rearmsLease(step)).toBe(true);
  });

  it('gives an epoch newer than any it gave, whatever epoch the asker believed in', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    expect(answer(lock(expired, 'db-2', lockRequest(1, 1, 'db-1')))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2, previous: 'db-1' });
  });

  it('refuses the lock to a standby that lacks writes the holder acknowledged (one that never got its base backup)', () => {
    const renewed = apply(witness(), renew(witness(), 'db-1', renewal(1, 1, 9900)));
    const expired = apply(renewed, leaseRanOut(renewed));
    const empty = lock(expired, 'db-2', lockRequest(2, 2, 'db-1', 0, []));
    expect(answer(empty)).toMatchObject({ granted: false, reason: expect.stringMatching(/holds WAL only up to 0\/0, but db-1 acknowledged writes up to 0\/26AC/) });
    expect(empty.patch).toEqual({});
    expect(answer(lock(expired, 'db-2', lockRequest(3, 2, 'db-1', 9800)))).toMatchObject({ granted: false });
    expect(answer(lock(expired, 'db-2', lockRequest(4, 2, 'db-1', 9900)))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('refuses the lock to a node whose timeline parted from the holder’s before the acknowledged LSN', () => {
    const holderHistory = [{ epoch: 1, startLsn: 0 }, { epoch: 2, startLsn: 5000 }];
    const disk = { holder: 'db-2', epoch: 2, acked: { lsn: 0, history: holderHistory } };
    const renewed = apply(witness(disk), renew(witness(disk), 'db-2', renewal(1, 2, 8000, holderHistory)));
    const expired = apply(renewed, leaseRanOut(renewed));
    // db-1 kept writing on epoch 1's timeline past 5000: its 9000 are not db-2's 8000.
    expect(answer(lock(expired, 'db-1', lockRequest(2, 2, null, 9000, EPOCH_1)))).toMatchObject({ granted: false, reason: expect.stringMatching(/timeline parted/) });
    expect(answer(lock(expired, 'db-1', lockRequest(3, 3, null, 8000, holderHistory)))).toMatchObject({ granted: true, holder: 'db-1', epoch: 3 });
  });

  it('refuses the lock to an asynchronous standby beside a synchronous one', () => {
    const live = witness(null, ['sync', 'async']);
    const expired = apply(live, leaseRanOut(live));
    expect(answer(lock(expired, 'db-3', lockRequest(1, 2, 'db-1')))).toMatchObject({ granted: false, reason: expect.stringMatching(/db-3 is not synchronous to db-1/) });
    expect(answer(lock(expired, 'db-2', lockRequest(2, 2, 'db-1')))).toMatchObject({ granted: true });
  });

  it('gives the holder itself, restarted as a former primary, the lock for a newer epoch even while its lease counts', () => {
    const step = lock(witness(), 'db-1', lockRequest(1, 2, null, 500));
    expect(answer(step)).toMatchObject({ granted: true, holder: 'db-1', epoch: 2 });
  });

  it('gives the same lock again to the node that has it (a takeover retried after a failed fence)', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    const taken = apply(expired, lock(expired, 'db-2', lockRequest(1, 2, 'db-1')));
    const again = apply(taken, leaseRanOut(taken));
    expect(answer(lock(again, 'db-2', lockRequest(2, 2, 'db-1')))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('refuses the old primary’s renewal once the lock has moved on', () => {
    const expired = apply(witness(), leaseRanOut(witness()));
    const taken = apply(expired, lock(expired, 'db-2', lockRequest(1, 2, 'db-1')));
    expect(answer(renew(taken, 'db-1', renewal(9, 1)))).toMatchObject({ granted: false, holder: 'db-2', epoch: 2 });
  });

  it('takes a primary of a newer epoch (promoted by hand) as the holder only once the old lease has run out', () => {
    const live = witness();
    expect(answer(renew(live, 'db-2', renewal(1, 2)))).toMatchObject({ granted: false, holder: 'db-1' });
    const expired = apply(live, leaseRanOut(live));
    expect(answer(renew(expired, 'db-2', renewal(2, 2)))).toMatchObject({ granted: true, holder: 'db-2', epoch: 2 });
  });

  it('after a restart keeps the holder from its disk and counts its lease as alive', () => {
    const restarted = witness({ holder: 'db-2', epoch: 3, acked: { lsn: 0, history: EPOCH_1 } });
    expect(restarted).toMatchObject({ holder: 'db-2', epoch: 3, live: true });
    expect(answer(lock(restarted, 'db-1', lockRequest(1, 4, 'db-2')))).toMatchObject({ granted: false });
  });
});
