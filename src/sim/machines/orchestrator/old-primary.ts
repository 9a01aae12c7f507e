/**
 * What the agent reads off the nodes' replies about a primary it may have to replace: whether the
 * old primary takes no writes (so there is nothing to fence), and which node opened the log's
 * newest epoch and has stopped taking writes since (the primary that failed, whatever the agent
 * watched).
 */
import type { NodeId } from '../protocol';
import type { HealthReply } from '../database/types';
import { timelineOf } from '../database/wal';
import type { AgentContext } from './types';

export const ROLE_WORDS: Record<Exclude<HealthReply['role'], 'primary'>, string> = { standby: 'a standby', rebuilding: 'a node being rebuilt', demoted: 'a demoted former primary' };

/**
 * The node the log promoted in its newest epoch, newer than the primary the agent watches, that
 * answers demoted on that epoch's timeline (null: none). It opened that epoch: its promotion
 * happened, though the plan was abandoned before its answers came through (a slow or lossy link),
 * and its lease ran out since. It, not the older primary, is the one that failed: every write
 * acknowledged in that epoch is its own, and it held every earlier acknowledged one when chosen.
 */
export function promotedSince(ctx: AgentContext): NodeId | null {
  if (ctx.logEpoch <= ctx.epoch) return null;
  const opener = ctx.databases.find((db) => {
    const reply = ctx.replies[db];
    return db !== ctx.primary && reply !== undefined && reply.role === 'demoted' && (ctx.failures[db] ?? 0) === 0 && reply.history !== undefined && timelineOf(reply) === ctx.logEpoch;
  });
  return opener ?? null;
}

/**
 * The node's answer shows it takes no writes, and nothing can change that but a Promote: it
 * answers in the newest epoch any plan asked it to open, or a newer one. An older answer may have
 * left before a Promote arrived (a plan abandoned at its promote step, whose target then took
 * writes): the node must be fenced like any primary.
 */
export function takesNoWrites(ctx: AgentContext, node: NodeId, reply: HealthReply | null | undefined): reply is HealthReply & { readonly role: Exclude<HealthReply['role'], 'primary'> } {
  return reply != null && !reply.writable && reply.role !== 'primary' && reply.epoch >= (ctx.promoteAsked[node] ?? 0);
}
