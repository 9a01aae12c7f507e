// A standby promoted before it reached the point where its primary's newest epoch began: db-1's
// lease ran out in a partition (18.7 s) and the orchestrators promoted it again in epoch 2 from
// 0/2FA1C (195,100), where its WAL ended; the synchronous db-2 had only 189,600 of it, learned of
// epoch 2 as it streamed again, and was promoted in epoch 3 when db-1 crashed. Its new timeline kept
// epoch 2's start, 195,100, after epoch 3's, 189,600: a timeline running backwards, under which
// every record db-2 then wrote below 195,100 read as epoch 1's, and the report counted 55 of db-2's
// own acknowledged writes lost (sweep seed 31001, #709). A switch point a node never reached is not
// part of the timeline it opens.
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { expectSweepCaseHealed } from '../support/healed-run';

type Promoted = Extract<TraceEvent, { type: 'promoted' }>;

describe('a standby promoted short of its primary’s newest epoch', () => {
  it('opens a timeline that runs forward, and the report counts no acknowledged write lost', () => {
    const result = expectSweepCaseHealed('raft5-standby-promoted-short-of-its-primarys-new-epoch', 'db-2');
    const promoted = result.trace.filter((e): e is Promoted => e.type === 'promoted');
    expect(promoted.map((p) => [p.node, p.epoch, p.flushLsn])).toEqual([
      ['db-1', 2, 195_100],
      ['db-2', 3, 189_600],
    ]);
    expect(promoted[1]!.history).toEqual([
      { epoch: 1, startLsn: 0 },
      { epoch: 3, startLsn: 189_600 },
    ]);
    expect(result.report.writes.lost).toBe(0);
    expect(result.report.failovers.map((f) => f.lostWrites)).toEqual([0, 0]);
  });
});
