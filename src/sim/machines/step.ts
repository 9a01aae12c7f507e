/**
 * The one shape of a machine's step, for every machine: a rule in a `logic.ts` takes the context
 * (and what happened) and returns a `Step`, the context fields it changes and the effects to emit
 * in order; the machine's action, made with `stepAction`, carries it out. A step is built with a
 * `Change`, which keeps its `ctx` up to date as the step goes, so later parts of one step see what
 * earlier parts changed. Rules stay plain functions, testable without XState.
 */
import { assign, emit, raise, type ActionFunction, type EventObject, type MachineContext, type ParameterizedObject } from 'xstate';
import type { Effect, EffectBatch, Message, NodeEvent, NodeId, NodeTrace } from './protocol';

export interface Step<Ctx, M extends Message = Message> {
  readonly patch: Partial<Ctx>;
  readonly effects: readonly Effect<M>[];
}

/** The step that changes nothing and emits nothing. */
export const NO_STEP = { patch: {}, effects: [] } as const;

export class Change<Ctx extends object, M extends Message = Message> {
  readonly patch: Partial<Ctx> = {};
  readonly effects: Effect<M>[] = [];
  /** `ctx` is this step's own copy: the first `set` copies the context handed in (never changed), later ones change the copy. */
  private own = false;
  constructor(public ctx: Ctx) {}

  /** Changes the step's `ctx`: a reference to it taken after the first `set` sees what later ones change. */
  set(patch: Partial<Ctx>): void {
    Object.assign(this.patch, patch);
    if (this.own) Object.assign(this.ctx, patch);
    else {
      this.ctx = { ...this.ctx, ...patch };
      this.own = true;
    }
  }

  /** A datagram; `ordered` puts it on the one connection between the two nodes (it dies with the sender). */
  send(to: NodeId, msg: M, ordered = false): void {
    this.effects.push(ordered ? { type: 'send', to, msg, ordered } : { type: 'send', to, msg });
  }

  /** Arms (or re-arms) timer `name` to fire `afterMs` from now, rounded up to whole milliseconds (at least 1). */
  timer(name: string, afterMs: number): void {
    this.effects.push({ type: 'set-timer', name, afterMs: Math.max(1, Math.ceil(afterMs)) });
  }

  cancel(name: string): void {
    this.effects.push({ type: 'cancel-timer', name });
  }

  trace(event: NodeTrace): void {
    this.effects.push({ type: 'trace', event });
  }

  emit(effect: Effect<M>): void {
    this.effects.push(effect);
  }

  step(): Step<Ctx, M> {
    return { patch: this.patch, effects: this.effects };
  }
}

/** Builds a step: `body` records what changes and what to emit on a `Change` of `ctx`. */
export function run<Ctx extends object, M extends Message>(ctx: Ctx, body: (c: Change<Ctx, M>) => void): Step<Ctx, M> {
  const change = new Change<Ctx, M>(ctx);
  body(change);
  return change.step();
}

/**
 * An event a machine raises to itself, never one the kernel delivers: its type names the machine
 * and what happened, with a dot (`raft.own-removal-committed`), which no kernel event has.
 */
export interface InternalEvent {
  readonly type: `${string}.${string}`;
}

/**
 * Where the effects of the steps an actor takes right now go, when its runner gave a place
 * (`collectingEffects`): `stepAction` pushes them straight there, in order, instead of emitting
 * them. XState builds an action object, a deferred call and a listener list for every emit, and
 * keeps them in an array V8 often allocates as long-lived; everything a step emitted then
 * outlived the step, and garbage collection took a third of a run. Without a place (a machine
 * run on its own in a test), `stepAction` emits a step's effects, one as itself and several as
 * one batch. Either way they leave in the order the steps asked for them.
 */
let effectSink: Effect[] | null = null;

/** Runs `body` (an actor taking an event, or starting) with the effects of the steps its actions carry out pushed onto `sink`. */
export function collectingEffects(sink: Effect[], body: () => void): void {
  const outer = effectSink;
  effectSink = sink;
  try {
    body();
  } finally {
    effectSink = outer;
  }
}

/** A step and the events its machine raises to itself once the step is carried out, in order. */
export interface RaisingStep<Ctx, M extends Message = Message> extends Step<Ctx, M> {
  readonly raise?: readonly EventObject[] | undefined;
}

/** How XState resolves one of its own actions: the snapshot after it, its parameters, and the actions it stands for. */
type Resolve = (scope: unknown, snapshot: unknown, args: { context: unknown; event: unknown }, params: unknown) => [unknown, undefined, unknown[] | undefined];

/**
 * An action that carries out the step `rule` takes on the context, the event and the action's
 * parameters (null: none): the one way every machine's action carries out a step. XState resolves
 * its own actions (`assign`, `raise`, `enqueueActions`, …) through their `resolve` function, which
 * returns the actions an action stands for; this one stands for an `assign` only when the step
 * changes a field (an assign copies the context and the snapshot, and most messages leave most
 * fields as they were), for the step's effects emitted as one batch only when no runner collects
 * them, and for the events it raises, in that order. It allocates no closures: `enqueueActions`
 * makes nine closures and an array for every call, and V8 keeps that array in the old generation
 * from birth, so the assign put in it outlived every step by a garbage collection, and
 * collections took a fifth of a busy run.
 */
export function stepAction<Ctx extends MachineContext, E extends EventObject, P extends ParameterizedObject['params'] | undefined = undefined, M extends Message = Message>(
  rule: (context: Ctx, event: E, params: P) => RaisingStep<Ctx, M> | null,
): ActionFunction<Ctx, E, E, P, never, never, never, never, never> {
  // Never called: XState calls `resolve` for an action that has one.
  const action = () => {};
  const resolve: Resolve = (_scope, snapshot, args, params) => {
    const context = args.context as Ctx;
    const step = rule(context, args.event as E, params as P);
    if (step === null) return [snapshot, undefined, undefined];
    const { patch, effects } = step;
    let actions: unknown[] | undefined;
    if (changesAnything(context, patch)) actions = [assign(patch)];
    const sink = effectSink;
    if (sink) for (const effect of effects) sink.push(effect);
    else if (effects.length > 0) (actions ??= []).push(emit(effects.length === 1 ? effects[0]! : ({ type: 'effects', effects } satisfies EffectBatch<M>)));
    if (step.raise) for (const event of step.raise) (actions ??= []).push(raise(event));
    return [snapshot, undefined, actions];
  };
  return Object.assign(action, { type: 'ha.step', resolve });
}

/**
 * Two steps taken on the same context, as one: what carrying out the first and then the second
 * does. Each patch counts only if it changes a field of `context`, as it is assigned only then,
 * and the second's fields go over the first's; the first's effects and raised events come first.
 * For an action whose two rules each read the context as the event found it.
 */
export function inTurn<Ctx extends object, M extends Message>(context: Ctx, first: RaisingStep<Ctx, M>, second: RaisingStep<Ctx, M>): RaisingStep<Ctx, M> {
  const firstChanges = changesAnything(context, first.patch);
  const secondChanges = changesAnything(context, second.patch);
  const patch = !secondChanges ? first.patch : !firstChanges ? second.patch : { ...first.patch, ...second.patch };
  const effects = second.effects.length === 0 ? first.effects : first.effects.length === 0 ? second.effects : [...first.effects, ...second.effects];
  const raise = !second.raise?.length ? first.raise : !first.raise?.length ? second.raise : [...first.raise, ...second.raise];
  return { patch, effects, raise };
}

function changesAnything<Ctx extends object>(context: Ctx, patch: Partial<Ctx>): boolean {
  for (const key in patch) {
    if (patch[key] !== context[key]) return true;
  }
  return false;
}

/** The event is message `type` of the machine's protocol (narrowed, with its sender); `event` may also be one the machine raises itself. */
export function isMessage<M extends Message, T extends M['type']>(
  event: NodeEvent<M> | InternalEvent | { readonly type: string },
  type: T,
): event is { readonly type: 'message'; readonly from: NodeId; readonly msg: Extract<M, { type: T }> } {
  return event.type === 'message' && (event as Extract<NodeEvent<M>, { type: 'message' }>).msg.type === type;
}

/** The event is the firing of timer `name`. */
export function isTimer(event: NodeEvent | InternalEvent, name: string): boolean {
  return event.type === 'timer' && event.name === name;
}
