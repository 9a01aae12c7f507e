// Proves what the witness setup does when the lock's holder ran degraded (no synchronous standby)
// and its disk was lost while the witness was down, so its notice that its data is gone, sent once
// at boot, was lost:
// - the empty node says so again at every check interval, the witness hears it once back, and the
//   node whose WAL goes furthest (the asynchronous standby, which streamed the degraded writes the
//   synchronous one missed) takes the lock; the failover says why in words;
// - what the old primary acknowledged alone is counted lost (`writes.lost` equal to the acknowledged
//   writes missing from the new primary, `durability.lostDegraded`), never hidden;
// - a node that is down may hold more than the one asking: the witness waits for it;
// - the sweep's run left with no primary this way (seed 909 #97) heals;
// - so does the one (seed 27 #3684) where the asynchronous standby followed the old primary of an
//   older epoch, not the empty holder: it tells the witness what it holds all the same;
// - so does the one (seed 23001 #842) where the holder took its lock back holding writes it had
//   refused: it tells the witness only what it acknowledged, and a synchronous standby takes over;
// - and the two (seeds 24001 #4551, 23001 #3394) where a former primary back from a restart took the
//   lock (its own back, or the other node's) and lost its disk: the witness's grant told it how far
//   acknowledged writes may go, so it did not bind the lock to WAL nobody acknowledged.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectHealed, expectSweepCaseHealed } from '../support/healed-run';
import { scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;
type Failover = Extract<TraceEvent, { type: 'failover' }>;
const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted').map((p) => [p.node, p.epoch, p.atMs] as const);
const failovers = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover');

/**
 * db-1 (db-2 synchronous, db-3 asynchronous) is cut off from db-2 at 5 s and runs degraded, from db-3
 * at 8 s (it acknowledges writes nobody else holds); the witness crashes at 9 s, db-1's disk is
 * wiped at 11 s and it restarts empty at 13 s, telling nobody (the witness is down). Everything
 * heals at 16 s. With `db3Down`, db-3 is down from 15 s to 30 s.
 */
const wipedWhileWitnessDark = (seed: number, db3Down: boolean) =>
  scenario({
    seed,
    durationMs: 45_000,
    topology: { orchestrators: 0, servers: 0, database: { standbys: [{ replication: 'sync' }, { replication: 'async' }], witness: true } },
    workload: { writesPerSec: 20 },
    events: [
      { atMs: 5000, do: 'cut', between: ['db-1', 'db-2'] },
      { atMs: 8000, do: 'cut', between: ['db-1', 'db-3'] },
      { atMs: 9000, do: 'crash', node: 'witness' },
      { atMs: 11_000, do: 'wipe-disk', node: 'db-1' },
      { atMs: 13_000, do: 'restart', node: 'db-1' },
      ...(db3Down ? [{ atMs: 15_000, do: 'crash', node: 'db-3' }] : []),
      { atMs: 16_000, do: 'heal' },
      { atMs: 16_000, do: 'restart', node: 'witness' },
      ...(db3Down ? [{ atMs: 30_000, do: 'restart', node: 'db-3' }] : []),
    ],
  });

/** Runs `s`: db-3 alone is promoted, in epoch 2, after `atMs`. */
function db3PromotedAfter(s: ReturnType<typeof scenario>, atMs: number) {
  const result = runAndCountMissing(s);
  const promoted = promotions(result.trace);
  expect(promoted.map(([node, epoch]) => [node, epoch])).toEqual([['db-3', 2]]);
  expect(promoted[0]![2]).toBeGreaterThan(atMs);
  return result;
}

describe('witness: the degraded primary’s disk is lost while the witness is down', () => {
  it.each([1, 2, 3])('db-3, holding the most of what survives, takes the lock; what db-1 acknowledged alone is counted lost (seed %i)', (seed) => {
    const s = wipedWhileWitnessDark(seed, false);
    const result = db3PromotedAfter(s, 16_000);
    const confirm = failovers(result.trace).find((e) => e.step === 'confirm' && e.ok)!;
    expect(confirm.text).toMatch(/db-1 lost its data, so what it acknowledged that db-3 lacks is gone whoever takes over, and db-3 holds the most of what survives/);
    const { writes, durability } = result.report;
    expect(writes.lost).toBeGreaterThan(10);
    expect(durability.lostDegraded).toBe(writes.lost);
    expect(result.missing).toBe(writes.lost);
    expect(result.finalPrimary).toBe('db-3');
    expectHealed(result, s, true);
  });

  it.each([1, 2, 3])('db-3 is down at the heal: db-2, holding less, is refused, and the witness waits for db-3 (seed %i)', (seed) => {
    const s = wipedWhileWitnessDark(seed, true);
    const result = db3PromotedAfter(s, 30_000);
    const refusals = failovers(result.trace).filter((e) => e.to === 'db-2' && !e.ok).map((e) => e.text);
    expect(refusals.some((text) => /db-3 has not said what it holds since: it may hold more than db-2, so the witness waits for it/.test(text))).toBe(true);
    expect(result.report.durability.lostDegraded).toBe(result.report.writes.lost);
    expectHealed(result, s, true);
  });
});

describe('the sweep’s run left with no primary after the witness missed a degraded primary’s lost disk', () => {
  it('witness-wiped-degraded-primary-async-survivor: db-3, the asynchronous standby holding epoch 2’s WAL, takes the lock and the run heals; the writes db-2 acknowledged alone are counted lost', () => {
    const result = expectSweepCaseHealed('witness-wiped-degraded-primary-async-survivor', 'db-3', true);
    expect(result.report.writes.lost).toBe(result.report.durability.lostDegraded);
  });
});

/**
 * Runs a recorded sweep case that must heal onto the last node promoted in `promoted` (node, epoch,
 * in order), having lost some writes, every one of them acknowledged while its primary ran degraded.
 */
function expectHealedLosingDegraded(name: string, promoted: [string, number][]) {
  const result = expectSweepCaseHealed(name, promoted.at(-1)![0], true);
  expect(promotions(result.trace).map(([node, epoch]) => [node, epoch])).toEqual(promoted);
  expect(result.report.writes.lost).toBeGreaterThan(0);
  expect(result.report.writes.lost).toBe(result.report.durability.lostDegraded);
  return result;
}

/**
 * Runs sweep case `name`: it heals onto `primary` after the promotions `promoted` (node, epoch), the
 * witness giving `confirmed.to` the lock for `confirmed.epoch` saying `confirmed.text`, and no
 * acknowledged write is lost.
 */
function expectHealedLosingNothing(name: string, primary: string, promoted: [string, number][], confirmed: { to: string; epoch: number; text: RegExp }) {
  const result = expectSweepCaseHealed(name, primary);
  expect(promotions(result.trace).map(([node, epoch]) => [node, epoch])).toEqual(promoted);
  const confirm = failovers(result.trace).find((e) => e.step === 'confirm' && e.ok && e.to === confirmed.to && e.epoch === confirmed.epoch);
  expect(confirm?.text).toMatch(confirmed.text);
  expect(result.report.writes.lost).toBe(0);
}

describe('the sweep’s run left with no primary: the asynchronous standby followed the old primary, not the empty holder', () => {
  // db-1 (db-3 synchronous in the DR region, db-2 asynchronous) and db-2 are cut off together;
  // db-3 takes the lock in epoch 2, runs degraded and loses its disk; db-1 comes back demoted at the
  // heal. db-2 still follows db-1 and never checks db-3, so its checks never found the holder
  // empty and, being asynchronous beside a synchronous standby, it never asked the witness: the
  // witness, waiting to hear what db-2 holds, refused db-1 for ever. Now db-2's refused request
  // tells it, and db-1, holding the most of what survives, takes the lock.
  it('witness-wiped-degraded-holder-async-standby-of-old-primary: db-1 takes the lock, db-2 and the rebuilt db-3 follow it; what db-3 acknowledged alone is counted lost', () => {
    const result = expectHealedLosingDegraded('witness-wiped-degraded-holder-async-standby-of-old-primary', [
      ['db-3', 2],
      ['db-1', 3],
    ]);
    const refusals = failovers(result.trace).filter((e) => e.to === 'db-2' && !e.ok).map((e) => e.text);
    expect(refusals.some((text) => /the witness refused db-2 the lock: db-3 lost its data/.test(text))).toBe(true);
  });
});

describe('the sweep’s run left with no primary: the holder retook its lock after running degraded, then lost its disk', () => {
  // db-1 (db-3 synchronous, db-2 asynchronous, both in DR) is cut off from db-3 and runs degraded
  // (acknowledging up to 0/C15C; db-3 holds 0/80E8, db-2 0/C094). Its region goes dark; back
  // demoted, it takes its own lock again for epoch 2, names db-3 synchronous again and loses its
  // disk 0.17 s later, before any write waited for db-3. The witness had forgotten that db-1 ran
  // degraded (retaking the lock, then renewing as a primary waiting for db-3, cleared the mark), so
  // db-1's empty restart left the mark of acknowledged writes standing: db-3 was refused for
  // lacking them and db-2 for being asynchronous, for ever. Now the mark stays until a write is
  // acknowledged through the synchronous standby, and db-2, holding the most of what survives,
  // takes the lock.
  it('witness-degraded-holder-retook-lock-then-wiped: db-2 takes the lock; what db-1 acknowledged alone is counted lost', () => {
    expectHealedLosingDegraded('witness-degraded-holder-retook-lock-then-wiped', [
      ['db-1', 2],
      ['db-2', 3],
    ]);
  });
});

describe('the sweep’s run left with no primary: the holder and its synchronous standby both lost their disks', () => {
  // db-1 (db-3 synchronous, db-2 asynchronous in DR) and db-3 lose their disks in the first
  // milliseconds, before any write is acknowledged, and restart empty at the heal; db-2 alone holds
  // data. The witness kept the mark for db-1's lost data because a synchronous standby holds every
  // acknowledged write, so db-2, asynchronous, was refused for ever, and the empty db-3 never asked.
  // Now, once db-3 too says its data is gone, what db-1 acknowledged is gone whoever takes over, and
  // db-2, holding the most of what survives, takes the lock; db-1 and db-3 are rebuilt from it.
  it('witness-holder-and-sync-standby-wiped: db-2 takes the lock in epoch 2 and the empty nodes follow it', () => {
    const result = expectSweepCaseHealed('witness-holder-and-sync-standby-wiped', 'db-2', true);
    expect(promotions(result.trace).map(([node, epoch]) => [node, epoch])).toEqual([['db-2', 2]]);
    const confirm = failovers(result.trace).find((e) => e.step === 'confirm' && e.ok)!;
    expect(confirm.text).toMatch(/db-1 and its synchronous standby db-3 lost their data, so what it acknowledged that db-2 lacks is gone whoever takes over/);
    expect(result.report.writes.lost).toBe(0);
  });
});

describe('the sweep’s run left with no primary: the holder retook its lock holding writes it had refused, then lost its disk', () => {
  // db-1 (db-2 and db-3 both synchronous) is cut off from both standbys with 22 writes waiting for
  // them (0/4204 to 0/4A9C; it acknowledged up to 0/4204), its lease runs out and it refuses them.
  // Alone with the witness, it takes its own lock again for epoch 2 and loses its disk 1.5 s later.
  // It had told the witness it acknowledged everything it held (0/4A9C), the refused writes too, so
  // db-3 (0/4268) and db-2 (0/45EC), holding every write it did acknowledge, were refused for ever.
  // Now it tells what it acknowledged, and db-3 takes the lock at the heal (db-2 later, when the
  // operator crashes db-3); no acknowledged write is lost.
  it('witness-holder-retook-lock-refused-writes-then-wiped: db-3 takes the lock at the heal, then db-2, and nothing acknowledged is lost', () => {
    expectHealedLosingNothing(
      'witness-holder-retook-lock-refused-writes-then-wiped',
      'db-2',
      [
        ['db-1', 2],
        ['db-3', 3],
        ['db-2', 4],
      ],
      { to: 'db-3', epoch: 3, text: /db-1's lease \(epoch 2\) had run out and db-3 holds every acknowledged write/ },
    );
  });
});

describe('the sweep’s runs left with no primary: a former primary back from a restart took the lock, counted all it held as acknowledged, then lost its disk', () => {
  // db-1 crashes (db-2, synchronous, in another region); db-2 takes the lock for epoch 2 at 0/1C8A4
  // and renews; its writes wait for db-1, which is down, and none is acknowledged (the last
  // acknowledged write is db-1's, 0/1C64C). db-2 crashes 0.5 s later, restarts as a former primary
  // and takes its own lock back for epoch 3. Restarted, it no longer knew what it acknowledged and
  // told the witness everything it held (0/1D8A8), its waiting writes too; its disk was then lost,
  // and db-1 (0/1CA98 on epoch 1's timeline, every acknowledged write) was refused for ever. Now the
  // witness's grant tells db-2 the acknowledged writes go no further than the mark it renewed
  // (0/1C8A4), and db-1 takes the lock at the heal; nothing acknowledged is lost.
  it('witness-holder-restarted-retook-lock-unacked-writes-then-wiped: db-1 takes the lock at the heal, and nothing acknowledged is lost', () => {
    expectHealedLosingNothing(
      'witness-holder-restarted-retook-lock-unacked-writes-then-wiped',
      'db-1',
      [
        ['db-2', 2],
        ['db-2', 3],
        ['db-1', 4],
      ],
      { to: 'db-1', epoch: 4, text: /db-2's lease \(epoch 3\) had run out and db-1 holds every acknowledged write/ },
    );
  });

  // db-1 crashes holding WAL db-2 never got (0/5C94; it acknowledged up to 0/5780, db-2 holds
  // 0/5A3C). db-2 takes the lock for epoch 2 and its region goes dark. db-1 restarts as a former
  // primary and takes the lock for epoch 3 (it holds db-2's mark, 0/5A3C, on the same timeline).
  // Restarted, it told the witness everything it held as acknowledged (0/5C94), past where db-2's
  // timeline parted from its own; its disk was then lost, and db-2, holding every acknowledged
  // write, was refused for ever ("timeline parted"). Now db-1 counts up to db-2's mark, and db-2
  // takes the lock at the heal; nothing acknowledged is lost.
  it('witness-former-primary-restarted-took-lock-past-parted-timeline-then-wiped: db-2 takes the lock at the heal, and nothing acknowledged is lost', () => {
    expectHealedLosingNothing(
      'witness-former-primary-restarted-took-lock-past-parted-timeline-then-wiped',
      'db-2',
      [
        ['db-2', 2],
        ['db-1', 3],
        ['db-2', 4],
      ],
      { to: 'db-2', epoch: 4, text: /db-1's lease \(epoch 3\) had run out and db-2 holds every acknowledged write/ },
    );
  });
});
