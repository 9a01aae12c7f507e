// Proves the lsn-order property over random schedules (writes, deliveries, losses, timers, crashes, promotions, partitions): primary LSN ≥ sent ≥ write ≥ flush ≥ replay for every standby, nothing goes backwards within a timeline, and epochs never fall.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DbCluster } from './harness';
import { propertyOptions } from '../../support/property';
import type { NodeId } from '../../../src/sim/machines/protocol';

type Action =
  | { kind: 'write'; node: number; count: number }
  | { kind: 'settle' }
  | { kind: 'deliver'; pick: number }
  | { kind: 'drop'; pick: number }
  | { kind: 'timer'; node: number; timer: number }
  | { kind: 'crash' | 'restart' | 'promote'; node: number }
  | { kind: 'isolate'; node: number }
  | { kind: 'heal' };

const TIMERS = ['wal-sender', 'wal-receiver', 'wal-flush', 'lease', 'base-backup'];

const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), node: fc.nat(3), count: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 20, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('timer' as const), node: fc.nat(3), timer: fc.nat(TIMERS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('crash' as const, 'restart' as const, 'promote' as const), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('isolate' as const), node: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('heal' as const) }) },
);

function perform(c: DbCluster, a: Action): void {
  const node = 'node' in a ? c.ids[a.node % c.ids.length]! : '';
  switch (a.kind) {
    case 'write': for (let k = 0; k < a.count && c.isUp(node); k++) c.write(node); return;
    case 'settle': c.deliverAll(); return;
    case 'deliver': if (c.inFlight.length > 0) c.deliverAt(a.pick % c.inFlight.length); return;
    case 'drop': if (c.inFlight.length > 0) c.inFlight.splice(a.pick % c.inFlight.length, 1); return;
    case 'timer': c.fireIfArmed(node, TIMERS[a.timer]!); return;
    case 'crash': if (c.isUp(node)) c.crash(node); return;
    case 'restart': if (!c.isUp(node)) c.restart(node); return;
    case 'promote': if (c.isUp(node)) c.send(node, { type: 'operator', action: 'promote' }); return;
    case 'isolate': c.isolate(node); return;
    case 'heal': c.heal(); return;
  }
}

interface Seen {
  readonly history: string;
  readonly flushLsn: number;
  readonly replayLsn: number;
  readonly epoch: number;
}

/** Checks the order on every primary's rows and each node's own positions; returns what it saw for the next check. */
function check(c: DbCluster, seen: Map<string, Seen>, rows: Map<string, { sent: number; write: number; flush: number; replay: number }>): void {
  for (const id of c.ids) {
    if (!c.isUp(id)) continue;
    const ctx = c.ctx(id);
    expect(ctx.writeLsn).toBeGreaterThanOrEqual(ctx.flushLsn);
    expect(ctx.flushLsn).toBeGreaterThanOrEqual(ctx.replayLsn);
    const history = JSON.stringify(ctx.history);
    const before = seen.get(id);
    if (before) expect(ctx.epoch).toBeGreaterThanOrEqual(before.epoch);
    if (before && before.history === history) {
      expect(ctx.flushLsn).toBeGreaterThanOrEqual(before.flushLsn);
      expect(ctx.replayLsn).toBeGreaterThanOrEqual(before.replayLsn);
    }
    seen.set(id, { history, flushLsn: ctx.flushLsn, replayLsn: ctx.replayLsn, epoch: ctx.epoch });
    if (ctx.role !== 'primary') continue;
    for (const [standby, s] of Object.entries(ctx.streams)) {
      expect(ctx.writeLsn).toBeGreaterThanOrEqual(ctx.flushLsn);
      expect(ctx.flushLsn).toBeGreaterThanOrEqual(s.sentLsn);
      expect(s.sentLsn).toBeGreaterThanOrEqual(s.writeLsn);
      expect(s.writeLsn).toBeGreaterThanOrEqual(s.flushLsn);
      expect(s.flushLsn).toBeGreaterThanOrEqual(s.replayLsn);
      // Within one streaming session of one timeline nothing goes backwards.
      const key = `${id}|${standby}|${history}|${s.session}`;
      const old = rows.get(key);
      if (old) {
        expect(s.sentLsn).toBeGreaterThanOrEqual(old.sent);
        expect(s.writeLsn).toBeGreaterThanOrEqual(old.write);
        expect(s.flushLsn).toBeGreaterThanOrEqual(old.flush);
        expect(s.replayLsn).toBeGreaterThanOrEqual(old.replay);
      }
      rows.set(key, { sent: s.sentLsn, write: s.writeLsn, flush: s.flushLsn, replay: s.replayLsn });
    }
  }
}

describe('lsn-order', () => {
  it('holds at every step of random schedules', () => {
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 50, maxLength: 300, size: 'max' }),
        fc.constantFrom(0, 3),
        fc.constantFrom(0, 100_000),
        (actions, diskFlushMs, walKeepBytes) => {
          const c = new DbCluster({ standbys: ['sync', 'async', 'async'], settings: { diskFlushMs, walKeepBytes } });
          const seen = new Map<NodeId, Seen>();
          const rows = new Map<string, { sent: number; write: number; flush: number; replay: number }>();
          check(c, seen, rows);
          for (const a of [{ kind: 'settle' } as const, ...actions]) {
            perform(c, a);
            check(c, seen, rows);
          }
        },
      ),
      propertyOptions(150),
    );
  });

  // A schedule the lsn-order property test found (CI, November 2026): two operators promote db-2 and
  // db-3 into the same epoch while db-1 rebuilds. db-1 used to switch its upstream between the two
  // at every message, restarting its copy each time, and messages never stopped flowing.
  it('a rebuilding standby between two primaries of one epoch settles on one of them', () => {
    const [actions, diskFlushMs, walKeepBytes] = [[{"kind":"write","node":0,"count":8},{"kind":"write","node":0,"count":7},{"kind":"write","node":0,"count":8},{"kind":"write","node":0,"count":7},{"kind":"write","node":0,"count":7},{"kind":"write","node":0,"count":12},{"kind":"write","node":0,"count":4},{"kind":"promote","node":2},{"kind":"promote","node":1},{"kind":"write","node":0,"count":3},{"kind":"write","node":0,"count":8},{"kind":"deliver","pick":0},{"kind":"settle"},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"timer","node":0,"timer":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"settle"},{"kind":"isolate","node":0},{"kind":"settle"},{"kind":"isolate","node":0},{"kind":"drop","pick":0},{"kind":"timer","node":0,"timer":0},{"kind":"write","node":0,"count":1},{"kind":"drop","pick":0},{"kind":"deliver","pick":0},{"kind":"write","node":0,"count":1},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"isolate","node":0},{"kind":"deliver","pick":0},{"kind":"write","node":0,"count":1},{"kind":"isolate","node":0},{"kind":"settle"},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"write","node":0,"count":1},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"timer","node":0,"timer":0},{"kind":"write","node":0,"count":1},{"kind":"deliver","pick":0},{"kind":"write","node":0,"count":1},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"drop","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0},{"kind":"settle"},{"kind":"write","node":0,"count":1},{"kind":"write","node":0,"count":1},{"kind":"write","node":0,"count":1},{"kind":"deliver","pick":0},{"kind":"deliver","pick":0}],0,0] as unknown as [Action[], number, number];
    const c = new DbCluster({ standbys: ['sync', 'async', 'async'], settings: { diskFlushMs, walKeepBytes } });
    for (const a of [{ kind: 'settle' } as const, ...actions]) perform(c, a);
    c.deliverAll();
    expect(c.inFlight).toEqual([]);
  });
});
