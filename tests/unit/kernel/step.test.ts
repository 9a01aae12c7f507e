// A machine's step is built on a `Change` (src/sim/machines/step.ts). XState keeps the context it
// hands a rule in its snapshot, so the rule must never change it, however many times the step sets
// fields; the step's own copy is made once and changed in place after that.
import { describe, expect, it } from 'vitest';
import { Change, run } from '../../../src/sim/machines/step';

interface Ctx {
  readonly a: number;
  readonly b: string;
  readonly list: readonly number[];
}

describe('a step built on a Change', () => {
  it('never changes the context it was handed, however many fields it sets', () => {
    const handed: Ctx = Object.freeze({ a: 1, b: 'x', list: Object.freeze([1]) });
    const step = run<Ctx, never>(handed, (c) => {
      c.set({ a: 2 });
      c.set({ b: 'y' });
      c.set({ a: 3, list: [1, 2] });
    });
    expect(handed).toEqual({ a: 1, b: 'x', list: [1] });
    expect(step.patch).toEqual({ a: 3, b: 'y', list: [1, 2] });
  });

  it('shows in ctx every field set so far, in order', () => {
    const c = new Change<Ctx, never>({ a: 1, b: 'x', list: [] });
    const seen: Ctx[] = [];
    c.set({ a: 2 });
    seen.push({ ...c.ctx });
    c.set({ b: 'y' });
    seen.push({ ...c.ctx });
    expect(seen).toEqual([
      { a: 2, b: 'x', list: [] },
      { a: 2, b: 'y', list: [] },
    ]);
  });

  it('keeps the context handed in apart from its own copy: a reference taken before the first set keeps the old values, one taken after sees later sets', () => {
    const c = new Change<Ctx, never>({ a: 1, b: 'x', list: [] });
    const before = c.ctx;
    c.set({ a: 2 });
    const during = c.ctx;
    c.set({ a: 3 });
    expect(before.a).toBe(1);
    expect(during.a).toBe(3);
  });
});
