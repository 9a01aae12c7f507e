// The witness may name a standby as the lock's holder: db-1 asked for the lock over a slow, lossy
// link (restarted as a former primary, 26.8 s), the witness gave it epoch 2 but db-1 never heard
// so; meanwhile an operator promoted db-2 by hand, also in epoch 2, and after the heal db-1
// followed db-2 while db-2 stopped writing (it could not renew with the witness). When db-2 then
// failed db-1's checks, db-1 asked for the lock, the witness handed "its own" lock on (db-1, the
// holder of epoch 2) and db-1, taking the lock from itself, powered itself off; nobody was ever
// promoted (operator sweep seed 33001, #821). The lock is now taken from the primary whose checks
// failed: db-2, which answers that it takes no writes, so nothing is powered off and it follows.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';

describe('a standby the witness names as the lock’s holder', () => {
  it('takes the lock from the primary it followed, never powers itself off, and the run heals with db-1 primary in epoch 3', () => {
    // The operator's promotion of the asynchronous db-2 lost the 4 writes db-1 had acknowledged
    // past it (pg_ctl promote on an asynchronous standby); the report counts exactly those.
    const result = expectSweepCaseHealed('witness-operator-promoted-standby-named-holder', 'db-1', true);
    expect(result.missing).toBe(4);
    const fencedSelf = result.trace.filter((e) => e.type === 'down' && e.node === 'db-1' && e.reason.includes('db-1 powered it off'));
    expect(fencedSelf).toEqual([]);
    const promoted = result.trace.filter((e): e is Extract<TraceEvent, { type: 'promoted' }> => e.type === 'promoted');
    expect(promoted.map((p) => [p.node, p.epoch])).toEqual([
      ['db-2', 2],
      ['db-1', 3],
    ]);
    const fence = result.trace.find((e) => e.type === 'failover' && e.step === 'fence' && e.to === 'db-1' && e.epoch === 3);
    expect(fence).toMatchObject({ from: 'db-2', ok: true });
  });
});
