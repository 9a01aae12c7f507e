// Proves the WAL helpers: PostgreSQL-style LSN text, retention by segment, and where two timelines part.
import { describe, expect, it } from 'vitest';
import { divergenceLsn, epochAt, formatLsn, holdsWrite, promotedTimeline, recycle, WAL_SEGMENT_BYTES } from '../../../src/sim/machines/database/wal';
import type { WalRecord } from '../../../src/sim/machines/database/types';

describe('wal', () => {
  it('formats LSNs as PostgreSQL does', () => {
    expect(formatLsn(0)).toBe('0/0');
    expect(formatLsn(8000)).toBe('0/1F40');
    expect(formatLsn(2 ** 32 + 255)).toBe('1/FF');
  });

  it('finds where two timelines part', () => {
    const one = [{ epoch: 1, startLsn: 0 }];
    const two = [...one, { epoch: 2, startLsn: 800 }];
    expect(divergenceLsn(one, two)).toBe(800);
    expect(divergenceLsn(two, two)).toBe(Infinity);
    expect(divergenceLsn([], two)).toBe(Infinity);
    expect(divergenceLsn([...one, { epoch: 2, startLsn: 500 }], [...one, { epoch: 3, startLsn: 700 }])).toBe(500);
    // One epoch opened twice, by hand and by the keeper of epochs, even at one LSN: two timelines.
    const byHand = [...one, { epoch: 2, startLsn: 800, openedBy: 'db-3' }];
    expect(divergenceLsn(byHand, two)).toBe(800);
    expect(divergenceLsn(byHand, byHand)).toBe(Infinity);
    expect(divergenceLsn(two, [...byHand, { epoch: 3, startLsn: 1500 }])).toBe(800);
    expect(promotedTimeline(one, 2, 800, 'db-3')).toEqual(byHand);
    expect(epochAt(two, 800)).toBe(1);
    expect(epochAt(two, 900)).toBe(2);
    expect(holdsWrite(two, 1000, 1, 700)).toBe(true);
    expect(holdsWrite(two, 1000, 1, 900)).toBe(false);
    expect(holdsWrite(two, 1000, 2, 1100)).toBe(false);
  });

  it('recycles whole segments older than the kept bytes', () => {
    const wal: WalRecord[] = Array.from({ length: 200 }, (_, i) => ({ lsn: (i + 1) * 100, write: `w-${i}`, epoch: 1 }));
    expect(recycle(wal, 0, 20_000, 20_000 - WAL_SEGMENT_BYTES + 100)).toBe(0);
    const start = recycle(wal, 0, 20_000, 1000);
    expect(start).toBe(19_000);
    expect(wal[0]!.lsn).toBe(19_100);
  });
});

describe('the timeline a promotion opens', () => {
  it('is the node’s history up to its flush, then the new epoch: a switch point it never reached is left out, so the timeline runs forward', () => {
    // db-2 streamed epoch 1 to 189,600 and learned that epoch 2 began at 195,100; promoted in epoch 3 there.
    const learned = [{ epoch: 1, startLsn: 0 }, { epoch: 2, startLsn: 195_100 }];
    const opened = promotedTimeline(learned, 3, 189_600);
    expect(opened).toEqual([{ epoch: 1, startLsn: 0 }, { epoch: 3, startLsn: 189_600 }]);
    // Its own writes above 189,600 are epoch 3's, those below epoch 1's.
    expect(epochAt(opened, 190_000)).toBe(3);
    expect(epochAt(opened, 195_200)).toBe(3);
    expect(epochAt(opened, 189_600)).toBe(1);
    // A node that had reached the switch point keeps it.
    expect(promotedTimeline(learned, 3, 200_000)).toEqual([...learned, { epoch: 3, startLsn: 200_000 }]);
    // A switch point exactly at its flush: it holds nothing of that epoch.
    expect(promotedTimeline(learned, 3, 195_100)).toEqual([{ epoch: 1, startLsn: 0 }, { epoch: 3, startLsn: 195_100 }]);
  });
});
