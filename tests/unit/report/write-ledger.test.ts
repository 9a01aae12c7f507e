// Proves that the write ledger counts each acknowledged write once, against the newest promotion's timeline: a write the newest primary lacks is lost, a former timeline brought back by a later promotion brings its writes back, and the failovers' shares add up to the total.
import { describe, expect, it } from 'vitest';
import { WriteLedger } from '../../../src/sim/report/write-ledger';
import type { TraceEvent } from '../../../src/sim/trace/trace';

const writable = (atMs: number, node: string, epoch: number): TraceEvent => ({ atMs, type: 'writable', node, on: true, epoch });
const stopped = (atMs: number, node: string, epoch: number): TraceEvent => ({ atMs, type: 'writable', node, on: false, epoch });
const ack = (atMs: number, node: string, lsn: number): TraceEvent => ({ atMs, type: 'write-ack', node, write: `w-${lsn}`, lsn });
const redirect = (atMs: number, from: string, to: string, epoch: number): TraceEvent => ({ atMs, type: 'failover', node: 'orch-1', step: 'redirect', from, to, epoch, ok: true, text: '' });

function promoted(atMs: number, node: string, epoch: number, history: [number, number][]): TraceEvent {
  const timeline = history.map(([e, startLsn]) => ({ epoch: e, startLsn }));
  return { atMs, type: 'promoted', node, epoch, flushLsn: timeline.at(-1)!.startLsn, synchronous: true, history: timeline, highestAckedLsn: 0 };
}

/** A failover as the trace tells it: `to` promoted at `atMs` with its timeline `history`, taking writes, and the agent redirecting from `from` a moment later. */
function failover(atMs: number, from: string, to: string, epoch: number, history: [number, number][]): TraceEvent[] {
  return [promoted(atMs, to, epoch, history), writable(atMs, to, epoch), redirect(atMs + 1, from, to, epoch)];
}

function ledgerOf(events: TraceEvent[]): WriteLedger {
  const ledger = new WriteLedger();
  for (const e of events) ledger.observe(e);
  return ledger;
}

const firstPrimaryWrites = [writable(0, 'db-1', 1), ack(10, 'db-1', 100), ack(20, 'db-1', 200), ack(30, 'db-1', 300), stopped(40, 'db-1', 1)];

describe('the write ledger', () => {
  it('counts the writes a promotion forked away from as lost, against that failover', () => {
    const ledger = ledgerOf([...firstPrimaryWrites, ...failover(50, 'db-1', 'db-2', 2, [[1, 0], [2, 100]])]);
    expect(ledger.lost).toBe(2);
    expect(ledger.failoverList().map((f) => f.lostWrites)).toEqual([2]);
  });

  it('a later promotion that brings the older timeline back brings its writes back: nothing counted twice', () => {
    const ledger = ledgerOf([
      ...firstPrimaryWrites,
      ...failover(50, 'db-1', 'db-2', 2, [[1, 0], [2, 100]]),
      stopped(60, 'db-2', 2),
      // db-1, which never followed db-2, holds everything it acknowledged, and is promoted again.
      ...failover(70, 'db-2', 'db-1', 3, [[1, 0], [3, 300]]),
      ack(80, 'db-1', 400),
    ]);
    expect(ledger.lost).toBe(0);
    expect(ledger.failoverList().reduce((sum, f) => sum + f.lostWrites, 0)).toBe(0);
  });

  it('a write a primary settles after it stopped taking new writes (a switchover) counts in its epoch', () => {
    const ledger = ledgerOf([writable(0, 'db-1', 1), ack(10, 'db-1', 100), stopped(15, 'db-1', 1), ack(16, 'db-1', 200), promoted(20, 'db-2', 2, [[1, 0], [2, 200]])]);
    expect(ledger.lost).toBe(0);
  });

  it('a write acknowledged on a timeline the newest promotion already left behind (a split brain) is lost at once', () => {
    const ledger = ledgerOf([writable(0, 'db-1', 1), ack(10, 'db-1', 100), promoted(20, 'db-2', 2, [[1, 0], [2, 100]]), writable(20, 'db-2', 2), ack(25, 'db-1', 200)]);
    expect(ledger.lost).toBe(1);
  });

  it('losses add up across failovers to the total', () => {
    const ledger = ledgerOf([
      ...firstPrimaryWrites,
      ...failover(50, 'db-1', 'db-2', 2, [[1, 0], [2, 200]]),
      ack(55, 'db-2', 300),
      ack(56, 'db-2', 400),
      stopped(60, 'db-2', 2),
      ...failover(70, 'db-2', 'db-3', 3, [[1, 0], [2, 200], [3, 300]]),
    ]);
    expect(ledger.lost).toBe(2);
    expect(ledger.failoverList().map((f) => f.lostWrites)).toEqual([1, 1]);
  });
});
