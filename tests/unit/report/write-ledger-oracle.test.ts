// Proves that the compact write ledger (every acknowledgement in a few bytes, ack-segment.ts) gives
// exactly what the ledger that kept every acknowledgement as an object gave: `lost`, `lostDegraded`,
// the RPO, the failovers with their lost writes and the time without a primary, after every event.
// The object book is kept as the oracle (tests/support/reference-ack-book.ts), in the same ledger. Compared on
// traces of random events (out-of-order LSNs, unsorted histories, older timelines brought back,
// degraded primaries), on every bundled scenario with a database over a few seeds, on the recorded
// sweep cases and on generated full-stack fault schedules of both families.
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WriteLedger } from '../../../src/sim/report/write-ledger';
import { parseScenarioText } from '../../../src/sim/scenario/parse';
import type { Scenario } from '../../../src/sim/scenario/types';
import type { TraceEvent } from '../../../src/sim/trace/trace';
import { Simulation } from '../../../src/sim/world/simulation';
import { fullStackScenario, fullStackScheduleArb } from '../../support/full-stack';
import { ReferenceAckBook } from '../../support/reference-ack-book';

type Ledgers = { ledger: WriteLedger; reference: WriteLedger };

function figures(l: WriteLedger, endMs: number) {
  return { lost: l.lost, lostDegraded: l.lostDegraded, rpo: l.rpo(), failovers: l.failoverList(), noPrimaryMs: l.unavailableUntil(endMs) };
}

/** Feeds both ledgers; `every` compares them after each event (slow on long runs), otherwise after each promotion and at the end. */
function pair(every: boolean): Ledgers & { observe: (e: TraceEvent) => void; compared: () => number } {
  const ledger = new WriteLedger();
  const reference = new WriteLedger(new ReferenceAckBook());
  let compared = 0;
  const observe = (event: TraceEvent) => {
    ledger.observe(event);
    reference.observe(event);
    if (every || event.type === 'promoted') {
      compared++;
      expect(figures(ledger, event.atMs), `after ${JSON.stringify(event)}`).toEqual(figures(reference, event.atMs));
    }
  };
  return { ledger, reference, observe, compared: () => compared };
}

function runBoth(scenario: Scenario): { lost: number; compared: number } {
  const both = pair(false);
  const sim = new Simulation(scenario, { keepTrace: false, onTrace: both.observe });
  sim.runUntil(scenario.durationMs);
  expect(figures(both.ledger, sim.nowMs)).toEqual(figures(both.reference, sim.nowMs));
  return { lost: both.ledger.lost, compared: both.compared() };
}

function scenariosIn(dir: URL): [string, Scenario][] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'index.json')
    .map((name) => {
      const parsed = parseScenarioText(readFileSync(new URL(name, dir), 'utf8'));
      if (!parsed.ok) throw new Error(name);
      return [name, parsed.scenario] as [string, Scenario];
    })
    .filter(([, s]) => s.topology.database !== null);
}

// ---- random traces ----------------------------------------------------------------------------

const NODES = ['db-1', 'db-2', 'db-3'];
const node = fc.constantFrom(...NODES);
const lsn = fc.integer({ min: 0, max: 40 }).map((n) => n * 100);
const history = fc
  .array(
    // Now and then an epoch opened by hand (its number may be given again to another timeline).
    fc.record({ epoch: fc.integer({ min: 1, max: 8 }), startLsn: lsn, byHand: fc.option(node, { nil: undefined, freq: 4 }) }).map(({ byHand, ...entry }) => (byHand === undefined ? entry : { ...entry, openedBy: byHand })),
    { minLength: 1, maxLength: 4 },
  )
  .chain((entries) => fc.boolean().map((sorted) => (sorted ? [...entries].sort((a, b) => a.startLsn - b.startLsn || a.epoch - b.epoch) : entries)));

/** One step of a made-up trace; `write-ack` is the most common, with LSNs that mostly climb. */
const step = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('ack' as const), node, jump: fc.integer({ min: -3, max: 3 }), gap: fc.integer({ min: 0, max: 90 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('writable' as const), node, on: fc.boolean(), epoch: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('promoted' as const), node, epoch: fc.integer({ min: 1, max: 9 }), flushLsn: lsn, history: fc.option(history, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sync' as const), node, none: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('down' as const), node }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('failover' as const), from: node, to: node, epoch: fc.integer({ min: 1, max: 9 }), detect: fc.boolean() }) },
);

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function traceOf(steps: Step[]): TraceEvent[] {
  const events: TraceEvent[] = [];
  const lastLsn = new Map<string, number>();
  let atMs = 0;
  let n = 0;
  for (const s of steps) {
    switch (s.kind) {
      case 'ack': {
        atMs += s.gap;
        // Mostly the next record (100 bytes on), sometimes a gap, a repeat or a step back.
        const at = Math.max(0, (lastLsn.get(s.node) ?? 0) + (s.jump <= 0 ? s.jump * 100 : s.jump === 1 ? 100 : s.jump * 100));
        lastLsn.set(s.node, at);
        events.push({ atMs, type: 'write-ack', node: s.node, write: `w-${++n}`, lsn: at });
        break;
      }
      case 'writable':
        events.push({ atMs, type: 'writable', node: s.node, on: s.on, epoch: s.epoch });
        break;
      case 'promoted':
        events.push({ atMs, type: 'promoted', node: s.node, epoch: s.epoch, flushLsn: s.flushLsn, synchronous: true, ...(s.history ? { history: s.history } : {}), highestAckedLsn: 0 } as TraceEvent);
        break;
      case 'sync':
        events.push({ atMs, type: 'sync', node: s.node, standbys: s.none ? [] : ['db-9'] });
        break;
      case 'down':
        events.push({ atMs, type: 'down', node: s.node, reason: 'crash' });
        break;
      case 'failover':
        events.push({ atMs, type: 'failover', node: 'orch-1', step: s.detect ? 'detect' : 'redirect', from: s.from, to: s.to, epoch: s.epoch, ok: true, text: '' } as TraceEvent);
        break;
    }
  }
  return events;
}

describe('the compact write ledger against the ledger that kept every acknowledgement', () => {
  it('agrees after every event of random traces', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), (steps) => {
        const both = pair(true);
        for (const event of traceOf(steps)) both.observe(event);
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('agrees on long runs of consecutive writes cut by promotions (segments spanning many blocks)', () => {
    const both = pair(true);
    const events: TraceEvent[] = [{ atMs: 0, type: 'writable', node: 'db-1', on: true, epoch: 1 }];
    for (let i = 1; i <= 500; i++) events.push({ atMs: i * 7, type: 'write-ack', node: 'db-1', write: `w-${i}`, lsn: i * 100 });
    events.push({ atMs: 4000, type: 'promoted', node: 'db-2', epoch: 2, flushLsn: 23_300, synchronous: false, history: [{ epoch: 1, startLsn: 0 }, { epoch: 2, startLsn: 23_300 }], highestAckedLsn: 50_000 } as TraceEvent);
    events.push({ atMs: 4001, type: 'promoted', node: 'db-3', epoch: 3, flushLsn: 6_400, synchronous: false, history: [{ epoch: 1, startLsn: 0 }, { epoch: 3, startLsn: 6_400 }], highestAckedLsn: 50_000 } as TraceEvent);
    events.push({ atMs: 4002, type: 'promoted', node: 'db-1', epoch: 4, flushLsn: 50_000, synchronous: false, history: [{ epoch: 1, startLsn: 0 }, { epoch: 4, startLsn: 50_000 }], highestAckedLsn: 50_000 } as TraceEvent);
    for (const event of events) both.observe(event);
    expect(both.ledger.lost).toBe(0);
    expect(both.reference.rpo().lostWrites).toBe(267);
  });

  const bundledLost = new Map<string, number>();
  it.each(scenariosIn(new URL('../../../public/scenarios/', import.meta.url)))('agrees on the bundled %s over seeds', (name, scenario) => {
    for (const seed of [scenario.seed, 1, 2]) bundledLost.set(`${name}#${seed}`, runBoth({ ...scenario, seed }).lost);
  }, 120_000);

  it('the bundled runs compared include runs that lose writes (the comparison is not only of zeros)', () => {
    expect([...bundledLost.values()].filter((lost) => lost > 0).length).toBeGreaterThan(3);
  });

  it.each(scenariosIn(new URL('../../acceptance/sweep-cases/', import.meta.url)))('agrees on the recorded sweep case %s', (_name, scenario) => {
    runBoth(scenario);
  }, 120_000);

  it('agrees on generated full-stack fault schedules of both families, at every promotion', () => {
    let promotions = 0;
    for (const family of ['safe', 'operator'] as const) {
      for (const schedule of fc.sample(fullStackScheduleArb(family), { numRuns: 6, seed: 1515 })) {
        const scenario = fullStackScenario(schedule);
        promotions += runBoth({ ...scenario, durationMs: schedule.faultPhaseMs + schedule.convergeMs }).compared;
      }
    }
    expect(promotions).toBeGreaterThan(5);
  }, 600_000);
});
