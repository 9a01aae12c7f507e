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
 * The newest epoch the agent knows was opened: the log's, or the timeline a demoted former primary
 * answers on when that is newer. An operator may promote a node while no orchestrator answers (its
 * data centre dark): that epoch never reaches the log, yet its primary took writes in it.
 */
export function newestOpenedEpoch(ctx: AgentContext): number {
  let newest = ctx.logEpoch;
  for (const db of ctx.databases) {
    const reply = ctx.replies[db];
    if (reply !== undefined && reply.role === 'demoted' && reply.history !== undefined) newest = Math.max(newest, timelineOf(reply));
  }
  return newest;
}

/**
 * The node that opened the newest epoch (`newestOpenedEpoch`), newer than the primary the agent
 * watches, and answers demoted on that epoch's timeline (null: none). Its promotion happened,
 * though the plan was abandoned before its answers came through (a slow or lossy link), or an
 * operator made it while the orchestrators were dark; it has stopped taking writes since (its
 * lease ran out, or it restarted). It, not the older primary, is the one that failed: every write
 * acknowledged in that epoch is its own, and the older primary lacks them.
 */
export function promotedSince(ctx: AgentContext): NodeId | null {
  const newest = newestOpenedEpoch(ctx);
  if (newest <= ctx.epoch) return null;
  const opener = ctx.databases.find((db) => {
    const reply = ctx.replies[db];
    return db !== ctx.primary && reply !== undefined && reply.role === 'demoted' && (ctx.failures[db] ?? 0) === 0 && reply.history !== undefined && timelineOf(reply) === newest;
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
