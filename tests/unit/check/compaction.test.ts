// Proves the consensus checks across log compaction: a snapshot of committed entries breaks nothing and later entries are still matched through the hash kept at the snapshot point; a snapshot of uncommitted entries is flagged; a follower that installs a snapshot and a node that loads one at boot apply in order from it; a divergent log after a snapshot is still caught.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { at, broken, messagesOf, replicate } from './trace-builder';

const nodes = ['orch-1', 'orch-2', 'orch-3'];
const snapshot = (atMs: number, node: string, index: number, term: number, kept: readonly number[] = []): TraceEvent => ({ atMs, type: 'snapshot', node, index, term, kept });
const install = (atMs: number, node: string, index: number, term: number, logAfter = 0): TraceEvent =>
  ({ atMs, type: 'install-snapshot', node, index, term, from: 'orch-1', logAfter, members: nodes });
const restore = (atMs: number, node: string, index: number, term: number, restored: readonly { index: number; term: number; cmd: string }[]): TraceEvent =>
  ({ atMs, type: 'commit', node, index, term, restored });

/** orch-1 leads term 1; entries 1–3 are committed and applied on orch-1 and orch-2, orch-3 never heard of them. */
function start(): TraceEvent[] {
  return [at.leader(100, 'orch-1', 1), ...replicate(1000, ['orch-1', 'orch-2'], 'orch-1', 1, [[1, 'a'], [1, 'b'], [1, 'c']])];
}

describe('log compaction in the consensus checks', () => {
  it('a follower far behind installs the snapshot, loads it and then applies and matches what follows', () => {
    const trace = [
      ...start(),
      snapshot(1100, 'orch-1', 3, 1, [2]),
      snapshot(1100, 'orch-2', 3, 1, [2]),
      install(1200, 'orch-3', 3, 1),
      restore(1200, 'orch-3', 3, 1, [{ index: 2, term: 1, cmd: 'b' }]),
      ...replicate(1300, nodes, 'orch-1', 4, [[1, 'd']]),
    ];
    expect(broken(trace)).toEqual([]);
  });

  it('a node restarted from its snapshot applies in order from it', () => {
    const trace = [
      ...start(),
      snapshot(1100, 'orch-2', 3, 1, [2]),
      at.down(1150, 'orch-2'),
      at.up(1160, 'orch-2'),
      restore(1170, 'orch-2', 3, 1, [{ index: 2, term: 1, cmd: 'b' }]),
      at.commit(1200, 'orch-2', 3, 1),
      ...replicate(1300, ['orch-1', 'orch-2'], 'orch-1', 4, [[1, 'd']]),
    ];
    expect(broken(trace)).toEqual([]);
  });

  it('flags a snapshot of entries not committed', () => {
    const trace = [...start(), at.log(1100, 'orch-2', 4, [[1, 'x']]), snapshot(1200, 'orch-2', 4, 1)];
    expect(broken(trace)).toEqual(['state-machine-safety']);
    expect(messagesOf(trace, 'state-machine-safety')[0]).toMatch(/orch-2 compacted its log up to entry 4 into a snapshot, but only 3 entries are committed/);
  });

  it('still catches two logs that differ after a snapshot point', () => {
    const trace = [
      ...start(),
      snapshot(1100, 'orch-1', 3, 1),
      snapshot(1100, 'orch-2', 3, 1),
      at.log(1200, 'orch-1', 4, [[1, 'd']]),
      at.log(1210, 'orch-2', 4, [[1, 'e']]),
    ];
    expect(broken(trace)).toEqual(['log-matching']);
  });

  it('still catches a restored entry that differs from the one applied there', () => {
    const trace = [...start(), snapshot(1100, 'orch-1', 3, 1, [3]), install(1200, 'orch-3', 3, 1), restore(1200, 'orch-3', 3, 1, [{ index: 3, term: 1, cmd: 'z' }])];
    expect(broken(trace)).toEqual(['state-machine-safety']);
  });
});
