/**
 * The shape of one step of the stateless tier's logic (the API server's and the load balancer's):
 * what changes in the machine's context and the effects to emit, in order. A step is built with a
 * `Change`, which also keeps the context up to date as the step goes, so that later parts of one
 * step see what earlier parts changed.
 */
import type { Effect, Message, NodeId, NodeTrace } from '../protocol';

export interface Step<Ctx, M extends Message> {
  readonly patch: Partial<Ctx>;
  readonly effects: readonly Effect<M>[];
}

export class Change<Ctx extends object, M extends Message> {
  readonly patch: Partial<Ctx> = {};
  readonly effects: Effect<M>[] = [];
  constructor(public ctx: Ctx) {}

  set(patch: Partial<Ctx>): void {
    Object.assign(this.patch, patch);
    this.ctx = { ...this.ctx, ...patch };
  }

  /** A datagram; `ordered` puts it on the one connection between the two nodes (it dies with the sender). */
  send(to: NodeId, msg: M, ordered = false): void {
    this.effects.push(ordered ? { type: 'send', to, msg, ordered } : { type: 'send', to, msg });
  }

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
}

export function run<Ctx extends object, M extends Message>(ctx: Ctx, body: (c: Change<Ctx, M>) => void): Step<Ctx, M> {
  const change = new Change<Ctx, M>(ctx);
  body(change);
  return { patch: change.patch, effects: change.effects };
}

/** What a machine's action needs of XState's `enqueue` to carry out a step. */
export interface Enqueue<Ctx, M extends Message> {
  assign(patch: Partial<Ctx>): void;
  emit(effect: Effect<M>): void;
}

/** Carries out a step: assign what it changes (if anything), emit what it asks for, in order. */
export function perform<Ctx, M extends Message>(enqueue: Enqueue<Ctx, M>, { patch, effects }: Step<Ctx, M>): void {
  if (Object.keys(patch).length > 0) enqueue.assign(patch);
  for (const effect of effects) enqueue.emit(effect);
}
