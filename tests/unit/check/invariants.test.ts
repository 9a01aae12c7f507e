// Proves the checker's outer promises: every contract invariant is always reported, a clean run passes all, and the earliest violation is found.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { CONTRACT_INVARIANTS, InvariantChecker } from '../../../src/sim/check/invariants';
import { at, broken, check, replicate, resultOf } from './trace-builder';

const ORCHESTRATORS = ['orch-1', 'orch-2', 'orch-3'];

/** Three orchestrators and a primary with one synchronous standby, through a crash of each leader. */
function cleanRun(): TraceEvent[] {
  return [
    ...ORCHESTRATORS.map((node) => at.role(0, node, 'follower', 0)),
    at.writable(0, 'db-1', true, 1),
    at.vote(1000, 'orch-1', 1, 'orch-1'),
    at.role(1000, 'orch-1', 'candidate', 1),
    at.vote(1002, 'orch-2', 1, 'orch-1'),
    at.vote(1002, 'orch-3', 1, 'orch-1'),
    at.role(1004, 'orch-1', 'leader', 1),
    at.leader(1004, 'orch-1', 1),
    ...replicate(1004, ORCHESTRATORS, 'orch-1', 1, [[1, 'no-op']]),
    at.ack(1500, 'db-1', 'w-1', 100),
    ...replicate(2000, ORCHESTRATORS, 'orch-1', 2, [[1, 'x=1'], [1, 'x=2']]),
    at.ack(2500, 'db-1', 'w-2', 200),
    at.log(2900, 'orch-1', 4, [[1, 'x=3']]), // appended, never replicated: it may be lost
    at.down(3000, 'orch-1'),
    at.vote(4000, 'orch-2', 2, 'orch-2'),
    at.role(4000, 'orch-2', 'candidate', 2),
    at.role(4002, 'orch-3', 'follower', 2),
    at.vote(4002, 'orch-3', 2, 'orch-2'),
    at.role(4004, 'orch-2', 'leader', 2),
    at.leader(4004, 'orch-2', 2),
    ...replicate(4004, ['orch-2', 'orch-3'], 'orch-2', 4, [[2, 'no-op']]),
    at.up(5000, 'orch-1'),
    at.role(5000, 'orch-1', 'follower', 1),
    at.role(5010, 'orch-1', 'follower', 2),
    at.log(5010, 'orch-1', 4, [[2, 'no-op']]), // its uncommitted x=3 is replaced
    at.commit(5010, 'orch-1', 4, 2),
    ...[[1, 'no-op'], [1, 'x=1'], [1, 'x=2'], [2, 'no-op']].map(([term, cmd], i) =>
      at.apply(5010, 'orch-1', i + 1, term as number, cmd as string)), // re-applied from 1 after the restart
    at.down(41200, 'db-1'),
    at.promoted(47210, 'db-2', 2, 200, 200, true),
    at.writable(47210, 'db-2', true, 2),
    at.ack(47300, 'db-2', 'w-3', 300),
  ];
}

describe('InvariantChecker', () => {
  it('lists the six contract invariants first, in contract order, even for an empty trace', () => {
    const results = new InvariantChecker().results();
    expect(results.slice(0, 6).map((r) => r.name)).toEqual([...CONTRACT_INVARIANTS]);
    expect(results.map((r) => r.name)).toEqual([
      ...CONTRACT_INVARIANTS, 'single-leader', 'leader-append-only', 'current-term-commit', 'monotonic-terms', 'epochs', 'apply-order',
    ]);
    expect(results.every((r) => r.ok && r.violationCount === 0 && r.violations.length === 0)).toBe(true);
    expect(new InvariantChecker().firstViolation()).toBeNull();
  });

  it('passes a clean three-node run with a database failover', () => {
    const checker = check(cleanRun());
    expect(checker.results().filter((r) => !r.ok)).toEqual([]);
    expect(checker.firstViolation()).toBeNull();
  });

  it('keeps the first 20 violations of a kind and counts them all', () => {
    const trace = Array.from({ length: 25 }, (_, i) => [at.leader(i * 10, 'orch-1', i + 1), at.leader(i * 10 + 5, 'orch-2', i + 1)]).flat();
    const result = resultOf(check(trace), 'election-safety');
    expect(result.violationCount).toBe(25);
    expect(result.violations).toHaveLength(20);
    expect(result.violations[0]?.message).toContain('term 1');
  });

  it('names the earliest violation, whichever invariant it breaks', () => {
    const checker = check([
      at.role(1000, 'orch-1', 'follower', 5),
      at.apply(2000, 'orch-1', 1, 1, 'a'),
      at.apply(2000, 'orch-2', 1, 1, 'b'),
      at.role(3000, 'orch-1', 'follower', 4),
    ]);
    expect(checker.firstViolation()).toMatchObject({ name: 'state-machine-safety', atMs: 2000, nodes: ['orch-2', 'orch-1'] });
  });

  it('shows a violation as soon as the event that causes it is observed', () => {
    const checker = new InvariantChecker();
    checker.observe(at.leader(1000, 'orch-1', 3));
    expect(checker.firstViolation()).toBeNull();
    checker.observe(at.leader(1200, 'orch-2', 3));
    expect(checker.firstViolation()?.name).toBe('election-safety');
  });

  it('ignores events it has no check for', () => {
    expect(broken([
      { atMs: 10, type: 'fault', do: 'crash', node: 'orch-1' },
      { atMs: 10, type: 'propose', node: 'orch-1', cmd: 'x', accepted: false },
    ])).toEqual([]);
  });
});
