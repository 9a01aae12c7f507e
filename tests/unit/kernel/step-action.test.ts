// `stepAction` (src/sim/machines/step.ts) carries out a rule's step without `enqueueActions`: it
// resolves to an assign only when the step changes a field, to the step's effects (taken by a
// runner, or emitted when the actor runs on its own), and to the events the step raises, in that
// order. These tests drive a small machine through each case.
import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import type { Effect, EffectBatch } from '../../../src/sim/machines/protocol';
import { collectingEffects, stepAction, type RaisingStep } from '../../../src/sim/machines/step';

interface Ctx {
  count: number;
  note: string;
}
type Ev = { type: 'bump'; by: number } | { type: 'same' } | { type: 'none' } | { type: 'raising' } | { type: 'counter.done' };

const trace = (what: string): Effect => ({ type: 'trace', event: { type: 'note', what } as never });

const rules = {
  bump: (context: Ctx, event: Ev): RaisingStep<Ctx> | null =>
    event.type === 'bump' ? { patch: { count: context.count + event.by }, effects: [trace('bumped'), trace('twice')] } : null,
  /** Sets fields to what they are: nothing to assign. */
  same: (context: Ctx): RaisingStep<Ctx> => ({ patch: { count: context.count, note: context.note }, effects: [trace('same')] }),
  raising: (): RaisingStep<Ctx> => ({ patch: { note: 'raised' }, effects: [trace('before the raise')], raise: [{ type: 'counter.done' }] }),
};

const machine = setup({
  types: { context: {} as Ctx, events: {} as Ev },
  actions: {
    bump: stepAction<Ctx, Ev>(rules.bump),
    same: stepAction<Ctx, Ev>((context) => rules.same(context)),
    none: stepAction<Ctx, Ev>(() => null),
    raising: stepAction<Ctx, Ev>(() => rules.raising()),
    sayDone: stepAction<Ctx, Ev, { word: string }>((context, _event, params) => ({ patch: {}, effects: [trace(`${params.word} in ${context.note}`)] })),
  },
}).createMachine({
  context: { count: 0, note: 'start' },
  initial: 'counting',
  states: {
    counting: {
      on: {
        bump: { actions: 'bump' },
        same: { actions: 'same' },
        none: { actions: 'none' },
        raising: { actions: 'raising' },
        'counter.done': { target: 'done', actions: { type: 'sayDone', params: { word: 'done' } } },
      },
    },
    done: {},
  },
});

function words(effects: readonly (Effect | EffectBatch)[]): string[] {
  return effects.flatMap((e) => (e.type === 'effects' ? e.effects : [e])).map((e) => (e.type === 'trace' ? (e.event as unknown as { what: string }).what : e.type));
}

describe('stepAction', () => {
  it('assigns what the step changes and hands its effects to the runner that collects them, emitting nothing', () => {
    const actor = createActor(machine).start();
    const emitted: unknown[] = [];
    actor.on('*', (e) => emitted.push(e));
    const sink: Effect[] = [];
    collectingEffects(sink, () => actor.send({ type: 'bump', by: 2 }));
    expect(actor.getSnapshot().context.count).toBe(2);
    expect(words(sink)).toEqual(['bumped', 'twice']);
    expect(emitted).toEqual([]);
  });

  it('emits the effects when the actor runs on its own: one as itself, several as one batch in order', () => {
    const actor = createActor(machine).start();
    const emitted: (Effect | EffectBatch)[] = [];
    actor.on('*', (e) => emitted.push(e as Effect | EffectBatch));
    actor.send({ type: 'bump', by: 3 });
    actor.send({ type: 'same' });
    expect(emitted.map((e) => e.type)).toEqual(['effects', 'trace']);
    expect(words(emitted)).toEqual(['bumped', 'twice', 'same']);
    expect(actor.getSnapshot().context.count).toBe(3);
  });

  it('leaves the snapshot as it was when the step changes no field, and when the rule takes no step', () => {
    const actor = createActor(machine).start();
    const before = actor.getSnapshot();
    const sink: Effect[] = [];
    collectingEffects(sink, () => actor.send({ type: 'same' }));
    collectingEffects(sink, () => actor.send({ type: 'none' }));
    expect(actor.getSnapshot().context).toBe(before.context);
    expect(words(sink)).toEqual(['same']);
  });

  it('raises the events the step asks for after its effects, with what it assigned already in the context', () => {
    const actor = createActor(machine).start();
    const sink: Effect[] = [];
    collectingEffects(sink, () => actor.send({ type: 'raising' }));
    expect(actor.getSnapshot().value).toBe('done');
    expect(words(sink)).toEqual(['before the raise', 'done in raised']);
  });
});
