/**
 * The database's `Change`: the one of every machine (step.ts), with its sends ordered (streaming
 * replication runs over a connection), write replies, fencing and the role the step began in.
 * Every step of the database node is written with `run`.
 */
import type { NodeId } from '../protocol';
import { Change as NodeChange, type Step as NodeStep } from '../step';
import type { DatabaseContext, DatabaseMessage } from './types';

export type Step = NodeStep<DatabaseContext, DatabaseMessage>;

/** Collects one step's changes; `ctx` always shows the context as changed so far. */
export class Change extends NodeChange<DatabaseContext, DatabaseMessage> {
  /** The role the node had when this step began (the XState state it is in). */
  readonly startRole: DatabaseContext['role'];

  constructor(ctx: DatabaseContext) {
    super(ctx);
    this.startRole = ctx.role;
  }

  override send(to: NodeId, msg: DatabaseMessage): void {
    // Streaming replication runs over a connection (TCP): in order, like PostgreSQL's walsender.
    super.send(to, msg, true);
  }
  reply(id: string, ok: boolean, lsn: number | null, reason: string | null): void {
    this.effects.push({ type: 'write-reply', id, ok, lsn, reason });
  }
  /** STONITH, out of band: the kernel powers `node` off and answers with a `fence-result` event. */
  fence(node: NodeId): void {
    this.effects.push({ type: 'fence', node });
  }
}

export function run(ctx: DatabaseContext, body: (c: Change) => void): Step {
  const change = new Change(ctx);
  body(change);
  return change.step();
}
