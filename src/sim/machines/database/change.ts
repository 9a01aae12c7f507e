/**
 * What a database step returns (the fields that change and the effects to emit), and `Change`,
 * which collects them while a step runs. Every step of the database node is written with `run`.
 */
import type { NodeId, NodeTrace } from '../protocol';
import type { DatabaseContext, DatabaseEffect, DatabaseMessage } from './types';

export interface Step {
  readonly patch: Partial<DatabaseContext>;
  readonly effects: readonly DatabaseEffect[];
}

/** Collects one step's changes; `ctx` always shows the context as changed so far. */
export class Change {
  readonly patch: Partial<DatabaseContext> = {};
  readonly effects: DatabaseEffect[] = [];
  /** The role the node had when this step began (the XState state it is in). */
  readonly startRole: DatabaseContext['role'];

  constructor(public ctx: DatabaseContext) {
    this.startRole = ctx.role;
  }

  set(patch: Partial<DatabaseContext>): void {
    Object.assign(this.patch, patch);
    this.ctx = { ...this.ctx, ...patch };
  }
  send(to: NodeId, msg: DatabaseMessage): void {
    // Streaming replication runs over a connection (TCP): in order, like PostgreSQL's walsender.
    this.effects.push({ type: 'send', to, msg, ordered: true });
  }
  trace(event: NodeTrace): void {
    this.effects.push({ type: 'trace', event });
  }
  timer(name: string, afterMs: number): void {
    this.effects.push({ type: 'set-timer', name, afterMs: Math.max(1, Math.ceil(afterMs)) });
  }
  cancel(name: string): void {
    this.effects.push({ type: 'cancel-timer', name });
  }
  reply(id: string, ok: boolean, lsn: number | null, reason: string | null): void {
    this.effects.push({ type: 'write-reply', id, ok, lsn, reason });
  }
  /** STONITH, out of band: the kernel powers `node` off and answers with a `fence-result` event. */
  fence(node: NodeId): void {
    this.effects.push({ type: 'fence', node });
  }
  step(): Step {
    return { patch: this.patch, effects: this.effects };
  }
}

export function run(ctx: DatabaseContext, body: (c: Change) => void): Step {
  const change = new Change(ctx);
  body(change);
  return change.step();
}
