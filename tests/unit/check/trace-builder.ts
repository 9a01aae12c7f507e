// Small builders that make hand-written traces read like the story they tell.
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { InvariantChecker, type InvariantResult } from '../../../src/sim/check/invariants';
import type { Topology } from '../../../src/sim/scenario/types';

export type Entry = readonly [term: number, cmd: string];

export const at = {
  leader: (atMs: number, node: string, term: number): TraceEvent => ({ atMs, type: 'leader', node, term }),
  role: (atMs: number, node: string, role: string, term: number): TraceEvent =>
    ({ atMs, type: 'role', node, role, term, reason: 'test' }),
  vote: (atMs: number, node: string, term: number, votedFor: string): TraceEvent =>
    ({ atMs, type: 'vote', node, term, for: votedFor }),
  log: (atMs: number, node: string, index: number, entries: readonly Entry[]): TraceEvent =>
    ({ atMs, type: 'log', node, index, entries: entries.map(([term, cmd]) => ({ term, cmd })) }),
  commit: (atMs: number, node: string, index: number, term: number): TraceEvent =>
    ({ atMs, type: 'commit', node, index, term }),
  apply: (atMs: number, node: string, index: number, term: number, cmd: string): TraceEvent =>
    ({ atMs, type: 'apply', node, index, term, cmd }),
  down: (atMs: number, node: string, diskLost = false): TraceEvent =>
    ({ atMs, type: 'down', node, reason: diskLost ? 'its disk failed' : 'crashed', diskLost }),
  up: (atMs: number, node: string): TraceEvent => ({ atMs, type: 'up', node, reason: 'restarted' }),
  writable: (atMs: number, node: string, on: boolean, epoch: number): TraceEvent =>
    ({ atMs, type: 'writable', node, on, epoch }),
  ack: (atMs: number, node: string, write: string, lsn: number): TraceEvent =>
    ({ atMs, type: 'write-ack', node, write, lsn }),
  promoted: (atMs: number, node: string, epoch: number, flushLsn: number, highestAckedLsn: number, synchronous: boolean): TraceEvent =>
    ({ atMs, type: 'promoted', node, epoch, flushLsn, highestAckedLsn, synchronous }),
};

/** Checks a trace; `topology` defaults to the checker's own (three Raft orchestrators). */
export function check(trace: readonly TraceEvent[], topology?: Topology): InvariantChecker {
  const checker = new InvariantChecker(topology);
  for (const event of trace) checker.observe(event);
  return checker;
}

export function resultOf(checker: InvariantChecker, name: string): InvariantResult {
  const result = checker.results().find((r) => r.name === name);
  if (result === undefined) throw new Error(`no result named ${name}`);
  return result;
}

/** The names of the invariants a trace breaks, in report order. */
export function broken(trace: readonly TraceEvent[], topology?: Topology): string[] {
  return check(trace, topology).results().filter((r) => !r.ok).map((r) => r.name);
}

/** The messages one invariant reports for a trace. */
export function messagesOf(trace: readonly TraceEvent[], name: string): string[] {
  return resultOf(check(trace), name).violations.map((v) => v.message);
}

/** The same entries replicated to every node, committed and applied in order everywhere. */
export function replicate(atMs: number, nodes: readonly string[], leader: string, fromIndex: number, entries: readonly Entry[]): TraceEvent[] {
  const lastIndex = fromIndex + entries.length - 1;
  const lastTerm = entries[entries.length - 1]?.[0] ?? 0;
  const trace: TraceEvent[] = [at.log(atMs, leader, fromIndex, entries)];
  for (const node of nodes) if (node !== leader) trace.push(at.log(atMs + 2, node, fromIndex, entries));
  trace.push(at.commit(atMs + 4, leader, lastIndex, lastTerm));
  for (const node of nodes) {
    if (node !== leader) trace.push(at.commit(atMs + 6, node, lastIndex, lastTerm));
    entries.forEach(([term, cmd], i) => trace.push(at.apply(atMs + 6, node, fromIndex + i, term, cmd)));
  }
  return trace;
}
