// Proves each consensus invariant is caught by a minimal bad trace and not flagged by a near-identical good one.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { at, broken, check, messagesOf, resultOf } from './trace-builder';

describe('election-safety', () => {
  it('flags two leaders in one term', () => {
    const trace = [at.leader(10_000, 'orch-2', 4), at.leader(12_350, 'orch-3', 4)];
    expect(broken(trace)).toEqual(['election-safety']);
    expect(messagesOf(trace, 'election-safety')[0]).toMatch(/orch-2 and orch-3 were both leader in term 4.*12\.35 s/);
  });

  it('accepts two leaders in different terms, and one node announced twice', () => {
    expect(broken([at.leader(10_000, 'orch-2', 4), at.leader(12_350, 'orch-3', 5)])).toEqual([]);
    expect(broken([at.leader(10_000, 'orch-2', 4), at.leader(10_001, 'orch-2', 4)])).toEqual([]);
  });
});

describe('log-matching', () => {
  const orch1 = at.log(1000, 'orch-1', 1, [[1, 'a'], [1, 'b']]);

  it('flags two nodes holding different entries at the same index and term', () => {
    const trace = [orch1, at.log(1010, 'orch-2', 1, [[1, 'a']]), at.log(1020, 'orch-2', 2, [[1, 'c']])];
    expect(broken(trace)).toEqual(['log-matching']);
    expect(messagesOf(trace, 'log-matching')[0]).toBe(
      'At 1.02 s orch-2 and orch-1 both held an entry at index 2 from term 1, yet orch-2 has "c" there and ' +
      'orch-1 has "b". Entries with the same index and term must have identical logs up to them.',
    );
  });

  it('accepts different entries at the same index from different terms', () => {
    expect(broken([orch1, at.log(1010, 'orch-2', 1, [[1, 'a'], [2, 'c']])])).toEqual([]);
  });

  it('reports one root cause once, not every later entry nor every repeat', () => {
    const trace = [
      at.log(1000, 'orch-1', 1, [[1, 'a'], [1, 'b'], [1, 'c']]),
      at.log(1010, 'orch-2', 1, [[1, 'z'], [1, 'b'], [1, 'c']]),
      at.log(1020, 'orch-2', 1, [[1, 'z'], [1, 'b'], [1, 'c']]), // the same log again
      at.log(1030, 'orch-2', 4, [[1, 'd']]),
      at.log(1030, 'orch-1', 4, [[1, 'd']]),
    ];
    expect(resultOf(check(trace), 'log-matching').violationCount).toBe(1);
  });

  it('finds a difference earlier in the logs through the chained hash', () => {
    const trace = [
      at.log(1000, 'orch-1', 1, [[1, 'a'], [2, 'b']]),
      at.log(1010, 'orch-2', 1, [[3, 'a'], [2, 'b']]), // same entry at 2, different history before it
    ];
    expect(messagesOf(trace, 'log-matching')[0]).toContain('their logs differ before it');
  });
});

describe('leader-completeness', () => {
  const committedInTerm1: TraceEvent[] = [
    at.leader(1000, 'orch-1', 1),
    at.log(1000, 'orch-1', 1, [[1, 'a'], [1, 'b']]),
    at.log(1010, 'orch-2', 1, [[1, 'a'], [1, 'b']]),
    at.commit(1020, 'orch-1', 2, 1),
  ];

  it('flags a new leader that lacks a committed entry', () => {
    const trace = [...committedInTerm1, at.log(1030, 'orch-3', 1, [[1, 'a']]), at.leader(5000, 'orch-3', 2)];
    expect(broken(trace)).toEqual(['leader-completeness']);
    expect(messagesOf(trace, 'leader-completeness')[0]).toBe(
      'At 5.00 s orch-3 became leader of term 2, but its log holds only 1 entry, so it lacks entry 2 ' +
      '(term 1, "b"), committed at 1.02 s. A new leader must already hold every entry committed in earlier terms.',
    );
  });

  it('accepts a new leader that holds every committed entry', () => {
    expect(broken([...committedInTerm1, at.leader(5000, 'orch-2', 2)])).toEqual([]);
  });

  it('keeps a crashed node\'s log and empties a wiped one', () => {
    const crashed = [...committedInTerm1, at.down(2000, 'orch-2'), at.up(3000, 'orch-2'), at.leader(5000, 'orch-2', 2)];
    const wiped = [...committedInTerm1, at.down(2000, 'orch-2', true), at.up(3000, 'orch-2'), at.leader(5000, 'orch-2', 2)];
    expect(broken(crashed)).toEqual([]);
    expect(broken(wiped)).toEqual(['leader-completeness']);
    expect(messagesOf(wiped, 'leader-completeness')[0]).toContain('its log holds no entries');
  });
});

describe('state-machine-safety and apply-order', () => {
  it('flags two commands applied at one index', () => {
    const trace = [at.apply(1000, 'orch-1', 1, 1, 'a'), at.apply(1010, 'orch-2', 1, 1, 'b')];
    expect(broken(trace)).toEqual(['state-machine-safety']);
    expect(messagesOf(trace, 'state-machine-safety')[0]).toContain('orch-2 applied "b" as entry 1, but orch-1 had applied "a"');
  });

  it('accepts the same command applied at one index on every node', () => {
    expect(broken([at.apply(1000, 'orch-1', 1, 1, 'a'), at.apply(1010, 'orch-2', 1, 1, 'a')])).toEqual([]);
  });

  it('accepts re-applying from 1 after a restart, but not without one', () => {
    const before = [at.apply(1000, 'orch-1', 1, 1, 'a'), at.apply(1000, 'orch-1', 2, 1, 'b')];
    const again = [at.apply(3000, 'orch-1', 1, 1, 'a'), at.apply(3000, 'orch-1', 2, 1, 'b')];
    expect(broken([...before, at.down(2000, 'orch-1'), at.up(2500, 'orch-1'), ...again])).toEqual([]);
    const repeated = [...before, ...again];
    expect(broken(repeated)).toEqual(['apply-order']);
    expect(messagesOf(repeated, 'apply-order')[0]).toContain('applied entry 1 again, after entry 2');
  });

  it('flags a gap in what a node applies', () => {
    const trace = [at.apply(1000, 'orch-1', 1, 1, 'a'), at.apply(1000, 'orch-1', 4, 1, 'd')];
    expect(broken(trace)).toEqual(['apply-order']);
    expect(messagesOf(trace, 'apply-order')[0]).toContain('skipping entries 2 to 3');
  });
});

describe('leader-append-only', () => {
  const leading: TraceEvent[] = [at.leader(1000, 'orch-1', 2), at.log(1000, 'orch-1', 1, [[1, 'a'], [2, 'b'], [2, 'c']])];

  it('flags a leader truncating its own log', () => {
    const trace = [...leading, at.log(1500, 'orch-1', 2, [[2, 'x']])];
    expect(broken(trace)).toEqual(['leader-append-only']);
    expect(messagesOf(trace, 'leader-append-only')[0]).toContain('orch-1, leader of term 2, rewrote its log from entry 2 on');
  });

  it('accepts the same truncation once the node has stepped down, and a leader restating its log', () => {
    expect(broken([...leading, at.role(1500, 'orch-1', 'follower', 3), at.log(1500, 'orch-1', 2, [[3, 'x']])])).toEqual([]);
    expect(broken([...leading, at.log(1500, 'orch-1', 3, [[2, 'c'], [2, 'd']])])).toEqual([]);
  });
});

describe('current-term-commit', () => {
  const logs: TraceEvent[] = [
    at.log(1000, 'orch-1', 1, [[2, 'a']]),
    at.log(1000, 'orch-2', 1, [[2, 'a']]),
    at.leader(2000, 'orch-1', 3),
  ];

  it('flags a leader committing an entry of an older term by itself', () => {
    const trace = [...logs, at.commit(2100, 'orch-1', 1, 2)];
    expect(broken(trace)).toEqual(['current-term-commit']);
    expect(messagesOf(trace, 'current-term-commit')[0]).toContain('orch-1, leader of term 3, committed entry 1 from term 2');
  });

  it('accepts a follower learning that an old-term entry is committed', () => {
    expect(broken([...logs, at.commit(2100, 'orch-2', 1, 2)])).toEqual([]);
  });

  it('reads the entry\'s term from the node\'s log, not from the event alone', () => {
    expect(broken([...logs, at.commit(2100, 'orch-1', 1, 3)])).toEqual(['current-term-commit']);
  });
});

describe('monotonic-terms', () => {
  it('flags a term going back', () => {
    const trace = [at.role(1000, 'orch-1', 'follower', 5), at.role(2000, 'orch-1', 'follower', 3)];
    expect(broken(trace)).toEqual(['monotonic-terms']);
    expect(messagesOf(trace, 'monotonic-terms')[0]).toContain("orch-1's term went back from 5 to 3");
  });

  it('flags a term forgotten across a crash, but not across a disk wipe', () => {
    const before = [at.vote(1000, 'orch-1', 5, 'orch-2'), at.leader(1500, 'orch-1', 6)];
    const after = [at.up(3000, 'orch-1'), at.role(3000, 'orch-1', 'follower', 0)];
    expect(broken([...before, at.down(2000, 'orch-1'), ...after])).toEqual(['monotonic-terms']);
    expect(broken([...before, at.down(2000, 'orch-1', true), ...after])).toEqual([]);
  });

  it('flags two votes for different candidates in one term, not a repeated vote', () => {
    const trace = [at.vote(1000, 'orch-2', 4, 'orch-1'), at.vote(1100, 'orch-2', 4, 'orch-3')];
    expect(broken(trace)).toEqual(['monotonic-terms']);
    expect(messagesOf(trace, 'monotonic-terms')[0]).toContain('orch-2 voted for orch-3 in term 4, after it had already voted for orch-1');
    expect(broken([at.vote(1000, 'orch-2', 4, 'orch-1'), at.vote(1100, 'orch-2', 4, 'orch-1')])).toEqual([]);
    expect(broken([at.vote(1000, 'orch-2', 4, 'orch-1'), at.vote(1100, 'orch-2', 5, 'orch-3')])).toEqual([]);
  });
});
