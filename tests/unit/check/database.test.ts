// Proves the database invariants (single-writer, no-acknowledged-write-lost, epochs) catch minimal bad traces and pass near-identical good ones.
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../../src/sim/check/invariants';
import { at, broken, check, messagesOf, resultOf } from './trace-builder';

describe('single-writer', () => {
  it('flags two nodes writable at overlapping times, with the interval in words', () => {
    const trace = [at.writable(0, 'db-1', true, 1), at.writable(41_200, 'db-2', true, 2), at.writable(47_210, 'db-1', false, 1)];
    expect(broken(trace)).toEqual(['single-writer']);
    expect(messagesOf(trace, 'single-writer')[0]).toMatch(/^db-1 and db-2 both accepted writes from 41\.20 s to 47\.21 s\./);
  });

  it('accepts a hand-over in the same millisecond, in either order', () => {
    const stopFirst = [at.writable(0, 'db-1', true, 1), at.writable(41_200, 'db-1', false, 1), at.writable(41_200, 'db-2', true, 2)];
    const startFirst = [at.writable(0, 'db-1', true, 1), at.writable(41_200, 'db-2', true, 2), at.writable(41_200, 'db-1', false, 1)];
    expect(broken([...stopFirst, at.ack(41_300, 'db-2', 'w-1', 10)])).toEqual([]);
    expect(broken([...startFirst, at.ack(41_300, 'db-2', 'w-1', 10)])).toEqual([]);
  });

  it('ends a node\'s interval when it goes down', () => {
    expect(broken([at.writable(0, 'db-1', true, 1), at.down(40_000, 'db-1'), at.writable(41_200, 'db-2', true, 2), at.ack(41_300, 'db-2', 'w-1', 10)])).toEqual([]);
  });

  it('reports an overlap that is still going on, once time has moved past its start', () => {
    const checker = new InvariantChecker();
    checker.observe(at.writable(0, 'db-1', true, 1));
    checker.observe(at.writable(41_200, 'db-2', true, 2));
    expect(resultOf(checker, 'single-writer').ok).toBe(true);
    checker.observe(at.ack(45_000, 'db-1', 'w-9', 900));
    expect(resultOf(checker, 'single-writer').violations[0]?.message).toMatch(/^db-1 and db-2 have both been accepting writes since 41\.20 s \(still at 45\.00 s\)/);
    expect(checker.firstViolation()).toMatchObject({ name: 'single-writer', atMs: 41_200 });
    checker.observe(at.writable(47_210, 'db-1', false, 1));
    expect(resultOf(checker, 'single-writer')).toMatchObject({ violationCount: 1, violations: [{ atMs: 41_200 }] });
    expect(resultOf(checker, 'single-writer').violations[0]?.message).toContain('from 41.20 s to 47.21 s');
  });

  it('judges an overlap still open against the time it is asked about (the end of the run), not the latest event', () => {
    const checker = new InvariantChecker();
    checker.observe(at.writable(0, 'db-1', true, 1));
    checker.observe(at.writable(41_200, 'db-2', true, 2));
    expect(checker.results(41_200).find((r) => r.name === 'single-writer')?.ok).toBe(true);
    const atEnd = checker.results(60_000).find((r) => r.name === 'single-writer');
    expect(atEnd?.ok).toBe(false);
    expect(atEnd?.violations[0]?.message).toContain('since 41.20 s (still at 60.00 s)');
    expect(checker.firstViolation(60_000)).toMatchObject({ name: 'single-writer', atMs: 41_200 });
  });
});

describe('no-acknowledged-write-lost', () => {
  const acks = [at.writable(0, 'db-1', true, 1), at.ack(100, 'db-1', 'w-1', 100), at.ack(200, 'db-1', 'w-2', 200), at.ack(300, 'db-1', 'w-3', 300), at.down(1000, 'db-1')];

  it('flags a synchronous promotion behind the acknowledged writes, naming them', () => {
    const trace = [...acks, at.promoted(2000, 'db-2', 2, 100, 300, true)];
    expect(broken(trace)).toEqual(['no-acknowledged-write-lost']);
    expect(messagesOf(trace, 'no-acknowledged-write-lost')[0]).toBe(
      'At 2.00 s db-2 was promoted with its log flushed to LSN 100, but writes up to LSN 300 had been acknowledged: ' +
      '2 acknowledged writes are lost (w-2, w-3). They were acknowledged under synchronous replication, which promises ' +
      'that every acknowledged write is on the promoted standby: that promise broke.',
    );
  });

  it('accepts a synchronous promotion that holds every acknowledged write', () => {
    expect(broken([...acks, at.promoted(2000, 'db-2', 2, 300, 300, true)])).toEqual([]);
  });

  it('flags an asynchronous promotion that loses writes too, saying that this is the RPO of asynchronous replication', () => {
    const trace = [...acks, at.promoted(2000, 'db-2', 2, 100, 300, false)];
    expect(broken(trace)).toEqual(['no-acknowledged-write-lost']);
    expect(messagesOf(trace, 'no-acknowledged-write-lost')[0]).toContain(
      '2 acknowledged writes are lost (w-2, w-3). They were acknowledged before they reached db-2, an asynchronous standby when it was promoted',
    );
    expect(messagesOf(trace, 'no-acknowledged-write-lost')[0]).toContain('RPO');
  });

  it('accepts an asynchronous promotion that happened to hold every acknowledged write', () => {
    expect(broken([...acks, at.promoted(2000, 'db-2', 2, 300, 300, false)])).toEqual([]);
  });

  it('says a node restored from a backup lost what came after the backup', () => {
    const restore = { atMs: 1500, type: 'restore', phase: 'done', node: 'db-2', from: 'backup-mumbai', upToLsn: 100, bytes: 100, readyAtMs: 1500, text: '' } as const;
    const trace = [...acks, restore, at.promoted(2000, 'db-2', 2, 100, 300, false)];
    expect(messagesOf(trace, 'no-acknowledged-write-lost')[0]).toContain('db-2 was restored from a backup');
  });

  it('flags writes a split brain\'s old primary acknowledges past the new timeline\'s fork, once', () => {
    const trace = [at.writable(0, 'db-1', true, 1), at.ack(100, 'db-1', 'w-1', 100), at.promoted(1000, 'db-2', 2, 100, 100, false),
      at.writable(1000, 'db-2', true, 2), at.ack(1100, 'db-1', 'w-2', 200), at.ack(1200, 'db-1', 'w-3', 300)];
    const result = resultOf(check(trace), 'no-acknowledged-write-lost');
    expect(result.violationCount).toBe(1);
    expect(result.violations[0]?.message).toMatch(/^At 1\.10 s db-1 acknowledged write w-2 \(LSN 200\) in epoch 1, after db-2 had been promoted in epoch 2 from LSN 100/);
  });
});

describe('epochs', () => {
  it('flags a promotion that does not raise the epoch', () => {
    const trace = [at.promoted(1000, 'db-2', 2, 0, 0, true), at.promoted(2000, 'db-3', 2, 0, 0, true)];
    expect(broken(trace)).toEqual(['epochs']);
    expect(messagesOf(trace, 'epochs')[0]).toContain('db-3 was promoted in epoch 2, but db-2 already had epoch 2');
    expect(broken([at.promoted(1000, 'db-2', 2, 0, 0, true), at.promoted(2000, 'db-3', 3, 0, 0, true)])).toEqual([]);
  });

  it('flags a promotion to the epoch the old primary is still writing in', () => {
    expect(broken([at.writable(0, 'db-1', true, 1), at.down(500, 'db-1'), at.promoted(1000, 'db-2', 1, 0, 0, true)])).toEqual(['epochs']);
  });

  it('flags an old primary acknowledging a write after a newer promotion, not the new primary', () => {
    const failover = [at.writable(0, 'db-1', true, 1), at.writable(1000, 'db-1', false, 1), at.promoted(1000, 'db-2', 2, 0, 0, true), at.writable(1000, 'db-2', true, 2)];
    const stale = [...failover, at.ack(1500, 'db-1', 'w-7', 700)];
    // The stale write is also lost: the new timeline forked off at LSN 0.
    expect(broken(stale)).toEqual(['no-acknowledged-write-lost', 'epochs']);
    expect(messagesOf(stale, 'epochs')[0]).toBe(
      'At 1.50 s db-1 acknowledged write w-7 in epoch 1, although db-2 had been promoted in epoch 2 at 1.00 s. ' +
      'Writes of an old epoch must be refused (fencing).',
    );
    expect(broken([...failover, at.ack(1500, 'db-2', 'w-7', 700)])).toEqual([]);
  });

  it('counts every stale acknowledgement of a split brain', () => {
    const trace = [at.writable(0, 'db-1', true, 1), at.promoted(1000, 'db-2', 2, 0, 0, false), at.writable(1000, 'db-2', true, 2),
      ...Array.from({ length: 30 }, (_, i) => at.ack(1100 + i, 'db-1', `w-${i}`, i))];
    const checker = check(trace);
    expect(resultOf(checker, 'epochs').violationCount).toBe(30);
    expect(resultOf(checker, 'single-writer').ok).toBe(false);
  });
});
