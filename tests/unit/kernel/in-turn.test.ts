// `inTurn` (src/sim/machines/step.ts) makes one step of two taken on the same context, for an
// action whose two rules each read the context as the event found it (the orchestrator's failover
// and its duties). Carrying it out must do what carrying out the first and then the second would:
// each patch assigned only if it changes a field, the second's over the first's, and the first's
// effects and raised events before the second's.
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../src/sim/machines/protocol';
import { inTurn, type RaisingStep } from '../../../src/sim/machines/step';

interface Ctx {
  readonly a: number;
  readonly b: number;
}

const context: Ctx = { a: 1, b: 1 };
const cancel = (name: string): Effect => ({ type: 'cancel-timer', name });
const step = (patch: Partial<Ctx>, effects: Effect[] = [], raise?: { type: string }[]): RaisingStep<Ctx> => (raise ? { patch, effects, raise } : { patch, effects });

describe('two steps in turn', () => {
  it('changes the fields each changes, the second over the first', () => {
    expect(inTurn(context, step({ a: 2 }), step({ b: 3 })).patch).toEqual({ a: 2, b: 3 });
    expect(inTurn(context, step({ a: 2 }), step({ a: 3 })).patch).toEqual({ a: 3 });
  });

  it('leaves out a patch that changes nothing, as it would not be assigned: a field it sets back stays as the other step set it', () => {
    expect(inTurn(context, step({ a: 2 }), step({ a: 1 })).patch).toEqual({ a: 2 });
    expect(inTurn(context, step({ a: 1 }), step({ a: 2 })).patch).toEqual({ a: 2 });
    expect(inTurn(context, step({ a: 1 }), step({ b: 1 })).patch).toEqual({ a: 1 });
  });

  it("puts the first's effects and raised events before the second's", () => {
    const both = inTurn(context, step({}, [cancel('x')], [{ type: 't.one' }]), step({}, [cancel('y'), cancel('z')], [{ type: 't.two' }]));
    expect(both.effects).toEqual([cancel('x'), cancel('y'), cancel('z')]);
    expect(both.raise).toEqual([{ type: 't.one' }, { type: 't.two' }]);
  });

  it('raises nothing when neither step does, and keeps the one list when only one has anything', () => {
    const first = step({}, [cancel('x')], [{ type: 't.one' }]);
    const both = inTurn(context, first, step({}));
    expect(both.effects).toBe(first.effects);
    expect(both.raise).toBe(first.raise);
    expect(inTurn(context, step({}), step({})).raise).toBeUndefined();
  });
});
