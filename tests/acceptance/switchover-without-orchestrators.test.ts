// Proves that an operator's Switchover works where no orchestrators run (database nodes alone, or
// with a witness): the primary stops taking writes, waits until the chosen standby has flushed all
// of its WAL, promotes it in a new epoch and follows it, so there is one writer at a time and no
// acknowledged write is lost; a standby that cannot catch up in time leaves the old primary
// writing again, said in words; a switchover that cannot start says why instead of doing nothing.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../src/sim/scenario/types';
import type { TraceEvent } from '../../src/sim/trace/trace';
import { brokenInvariants, scenario } from '../support/scenario';
import { runAndCountMissing } from '../support/write-check';

type Failover = Extract<TraceEvent, { type: 'failover' }>;
type Promoted = Extract<TraceEvent, { type: 'promoted' }>;
type Fault = Extract<TraceEvent, { type: 'fault' }>;

const SWITCH_MS = 5000;

function noOrchestrators(seed: number, events: readonly Record<string, unknown>[], witness = false, durationMs = 20_000): Scenario {
  const standbys = witness ? [{ replication: 'sync' }] : [{ replication: 'sync' }, { replication: 'async' }];
  return scenario({ seed, durationMs, topology: { orchestrators: 0, servers: 0, database: { standbys, witness } }, workload: { writesPerSec: 50 }, events });
}

const promotions = (trace: readonly TraceEvent[]) => trace.filter((e): e is Promoted => e.type === 'promoted');
const steps = (trace: readonly TraceEvent[]) => trace.filter((e): e is Failover => e.type === 'failover');
const writableOn = (trace: readonly TraceEvent[]) => trace.filter((e) => e.type === 'writable' && e.on).map((e) => (e.type === 'writable' ? [e.node, e.epoch, e.atMs] : null));

/** Writes are acknowledged by one node at a time: between two nodes' acknowledgements, the earlier one acknowledges nothing later. */
function expectOneWriterAtATime(trace: readonly TraceEvent[]): void {
  const acks = trace.filter((e) => e.type === 'write-ack');
  const lastBy = new Map<string, number>();
  const firstBy = new Map<string, number>();
  for (const a of acks) {
    if (a.type !== 'write-ack') continue;
    lastBy.set(a.node, a.atMs);
    if (!firstBy.has(a.node)) firstBy.set(a.node, a.atMs);
  }
  const db1Last = lastBy.get('db-1') ?? -1;
  expect(db1Last).toBeLessThanOrEqual(firstBy.get('db-2') ?? Infinity);
}

describe('Switchover without orchestrators: the primary hands over itself', () => {
  it.each([1, 2, 3])('moves the primary role to db-2 in epoch 2 with no overlap and nothing lost; db-1 and the async db-3 follow db-2 (seed %i)', (seed) => {
    const s = noOrchestrators(seed, [{ atMs: SWITCH_MS, do: 'switchover', node: 'db-2' }]);
    const result = runAndCountMissing(s);
    const { report, trace } = result;
    expect(promotions(trace).map((p) => [p.node, p.epoch])).toEqual([['db-2', 2]]);
    expect(promotions(trace)[0]!.atMs).toBeLessThan(SWITCH_MS + 500);
    const said = steps(trace);
    expect(said.map((e) => [e.node, e.step, e.ok])).toEqual([
      ['db-1', 'detect', true],
      ['db-1', 'fence', true],
      ['db-1', 'fence', true],
      ['db-1', 'promote', true],
      ['db-1', 'redirect', true],
    ]);
    expect(said[0]!.text).toBe('an operator asks for the switchover from db-1 to db-2');
    expect(said[2]!.text).toMatch(/^db-2 has caught up with db-1 at .*: nothing acknowledged is missing$/);
    // db-1 stops taking writes before db-2 starts, and never takes them again.
    expect(writableOn(trace)).toEqual([
      ['db-1', 1, 0],
      ['db-2', 2, promotions(trace)[0]!.atMs],
    ]);
    expectOneWriterAtATime(trace);
    expect(report.nodes.filter((n) => n.kind === 'database').map((n) => [n.id, n.role, n.term])).toEqual([
      ['db-1', 'standby', 2],
      ['db-2', 'primary', 2],
      ['db-3', 'standby', 2],
    ]);
    expect(trace.some((e) => e.type === 'write-ack' && e.node === 'db-2' && e.atMs > SWITCH_MS + 1000)).toBe(true);
    expect(report.failovers).toEqual([expect.objectContaining({ from: 'db-1', to: 'db-2', lostWrites: 0 })]);
    expect(result.missing).toBe(0);
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it.each([1, 2, 3])('with a witness: the new primary becomes the lock holder, so when it later dies db-1 takes over from it without losing a write (seed %i)', (seed) => {
    const s = noOrchestrators(
      seed,
      [
        { atMs: SWITCH_MS, do: 'switchover', node: 'db-2' },
        { atMs: 15_000, do: 'crash', node: 'db-2' },
        { atMs: 22_000, do: 'restart', node: 'db-2' },
      ],
      true,
      30_000,
    );
    const result = runAndCountMissing(s);
    const { report, trace } = result;
    expect(promotions(trace).map((p) => [p.node, p.epoch])).toEqual([
      ['db-2', 2],
      ['db-1', 3],
    ]);
    expect(steps(trace).find((e) => e.step === 'confirm' && e.ok)?.text).toMatch(/the witness gave db-1 the lock for epoch 3/);
    expect(report.nodes.find((n) => n.id === 'db-2')).toMatchObject({ up: true, role: 'standby', term: 3 });
    expect(result.missing).toBe(0);
    expect(report.writes.lost).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it.each([1, 2, 3])('a standby that cannot catch up in time is not promoted: the switchover is abandoned in words and db-1 takes writes again (seed %i)', (seed) => {
    const s = noOrchestrators(seed, [
      { atMs: SWITCH_MS - 1000, do: 'slow-link', between: ['db-1', 'db-2'], latencyMs: [3000, 3000] },
      { atMs: SWITCH_MS, do: 'switchover', node: 'db-2' },
      { atMs: 12_000, do: 'heal' },
    ]);
    const result = runAndCountMissing(s);
    const { report, trace } = result;
    expect(promotions(trace)).toEqual([]);
    const gaveUp = steps(trace).find((e) => e.abandoned === true);
    expect(gaveUp).toMatchObject({ node: 'db-1', step: 'fence', ok: false, to: 'db-2' });
    expect(gaveUp!.text).toBe('db-2 did not catch up with db-1 within 2500 ms: the switchover is abandoned and db-1 takes writes again');
    expect(writableOn(trace)).toEqual([
      ['db-1', 1, 0],
      ['db-1', 1, gaveUp!.atMs],
    ]);
    expect(trace.some((e) => e.type === 'write-ack' && e.node === 'db-1' && e.atMs > gaveUp!.atMs)).toBe(true);
    expect(report.nodes.find((n) => n.id === 'db-1')).toMatchObject({ role: 'primary', term: 1 });
    expect(result.missing).toBe(0);
    expect(brokenInvariants(report)).toEqual([]);
  });

  it('a switchover that cannot start says why, and changes nothing', () => {
    const s = noOrchestrators(1, [
      { atMs: 3000, do: 'switchover', node: 'db-1' },
      { atMs: 4000, do: 'crash', node: 'db-1' },
      { atMs: 4500, do: 'switchover', node: 'db-2' },
    ]);
    const { trace } = runAndCountMissing(s);
    const faults = trace.filter((e): e is Fault => e.type === 'fault' && e.do === 'switchover');
    expect(faults.map((f) => f.noop)).toEqual(['db-1 is primary, not a standby streaming from the primary', "db-2's primary db-1 is down: promote db-2 instead"]);
    expect(promotions(trace)).toEqual([]);
    expect(steps(trace)).toEqual([]);
  });
});
