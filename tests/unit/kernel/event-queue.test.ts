// Proves the queue orders by time, then lane (system work before scenario events), then insertion.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventQueue, Lane } from '../../../src/sim/kernel/event-queue';
import { propertyOptions } from '../../support/property';

function drain<T>(q: EventQueue<T>): T[] {
  const out: T[] = [];
  for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
  return out;
}

describe('EventQueue', () => {
  it('runs system work before scenario events at the same millisecond, each in insertion order', () => {
    const q = new EventQueue<string>();
    q.push(10, Lane.Scenario, 'user click');
    q.push(10, Lane.System, 'timer a');
    q.push(5, Lane.Scenario, 'early fault');
    q.push(10, Lane.System, 'timer b');
    expect(drain(q)).toEqual(['early fault', 'timer a', 'timer b', 'user click']);
  });

  it('pops in the same order as a stable sort, for any pushes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.constantFrom(Lane.System, Lane.Scenario))), (pushes) => {
        const q = new EventQueue<number>();
        pushes.forEach(([at, lane], i) => q.push(at, lane, i));
        const expected = pushes.map(([at, lane], i) => ({ at, lane, i })).sort((x, y) => x.at - y.at || x.lane - y.lane || x.i - y.i).map((x) => x.i);
        expect(drain(q)).toEqual(expected);
      }),
      propertyOptions(100),
    );
  });

  it('refuses a time that is not finite', () => {
    expect(() => new EventQueue<number>().push(Number.NaN, Lane.System, 1)).toThrow(RangeError);
  });
});
