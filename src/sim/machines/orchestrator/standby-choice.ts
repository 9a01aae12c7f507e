/**
 * Which database node a failover may promote, read off the agents' latest health replies: the
 * standby that surely holds every acknowledged write (the synchronous one, in the newest epoch's
 * naming the log has not overruled), or a former primary back with the furthest WAL; and whether
 * a plan's chosen target is still fit to be promoted.
 */
import type { NodeId } from '../protocol';
import { modeOf } from '../database/logic';
import type { HealthReply } from '../database/types';
import { epochAt, formatLsn, walAhead } from '../database/wal';
import type { AgentContext, FailoverPlan } from './types';

/**
 * Why the plan's target may no longer be promoted, from its latest health reply (null: it may).
 * It must still hold what it was chosen for: the WAL up to `plan.lsn`, of epoch `plan.timeline`.
 */
export function unfit(ctx: AgentContext, plan: FailoverPlan): string | null {
  const reply = ctx.replies[plan.to];
  if (reply === undefined || (reply.writable && reply.epoch === plan.epoch)) return null;
  if (reply.role === 'rebuilding') return `${plan.to} is being rebuilt from a base backup and holds none of the WAL it was chosen for`;
  const history = reply.history;
  // Never chosen empty (see `answersWithData`), so its disk was lost since: even where it held no
  // WAL when chosen, it may have opened the plan's epoch and acknowledged writes before the loss
  // (a plan read back from the log cannot tell), so that epoch may not be opened again.
  if (history !== undefined && history.length === 0) return `${plan.to}'s data directory is empty (its disk was wiped): promoting it would lose every write, and it may have opened epoch ${plan.epoch} already`;
  if (plan.lsn <= 0 || history === undefined) return overruledTarget(ctx, plan, reply);
  if (reply.flushLsn < plan.lsn) return `${plan.to} holds WAL up to ${formatLsn(reply.flushLsn)} only, short of the ${formatLsn(plan.lsn)} it held when it was chosen`;
  if (epochAt(history, plan.lsn) !== plan.timeline) return `${plan.to}'s WAL up to ${formatLsn(plan.lsn)} is no longer that of epoch ${plan.timeline}`;
  return overruledTarget(ctx, plan, reply);
}

/** The target's claim to be the synchronous standby was overruled by a later naming in the log (see `namingOverruled`). */
function overruledTarget(ctx: AgentContext, plan: FailoverPlan, reply: HealthReply): string | null {
  if (plan.kind !== 'auto' || plan.to === plan.from || reply.role !== 'standby' || !syncMarked(ctx, plan.from) || !namingOverruled(ctx, reply)) return null;
  // The old primary's disk is gone: the naming that overruled the target died with it (`survivorsOfLostPrimary`).
  if (survivorsOfLostPrimary(ctx, plan.from).includes(plan.to)) return null;
  return `${plan.from} stopped waiting for ${plan.to} as its synchronous standby (the log holds a later naming), so ${plan.to} may lack acknowledged writes`;
}

/**
 * A former primary that came back demoted (after a restart, or when its data centre got power
 * again) and whose WAL goes at least as far as every other node's (`walAhead`: a newer timeline,
 * or more of the same one): promoting it again in a new
 * epoch loses nothing, where promoting a standby that lags would throw away what only it has
 * (Patroni lets the healthiest member take the leader key). It answers, so there is nothing to fence.
 */
export function formerPrimaryBack(ctx: AgentContext, from: NodeId, answer: HealthReply): boolean {
  if (answer.role !== 'demoted') return false;
  return ctx.databases.every((db) => db === from || ctx.replies[db] === undefined || !walAhead(ctx.replies[db]!, answer));
}

/**
 * The standby to promote, from the latest health replies of standbys that answer. Where the
 * primary replicates synchronously, only the synchronous standby is eligible: it alone surely holds
 * every acknowledged write (an asynchronous one's reported LSN may be stale or short), so without
 * one that answers, nothing is promoted (Patroni's synchronous_mode does the same). The primary
 * names its synchronous standby and may name another; each reply says whether its sender was
 * named, and in which epoch. The primary keeps every standby that may say so in its own epoch
 * holding every acknowledged write (see database/sync-naming.ts), but one named by an earlier primary
 * may lack what the newer one acknowledged: only namings of the newest epoch known count, and
 * never one older than the failing primary's (from the log). A reply that does not say goes by the
 * topology. Among the eligible, the WAL that goes furthest wins (the newest timeline, then the highest flushed LSN; `walAhead`), then id order.
 */
export function chooseStandby(ctx: AgentContext, from: NodeId): NodeId | null {
  let best: NodeId | null = null;
  for (const db of eligibleStandbys(ctx, from)) if (best === null || walAhead(ctx.replies[db]!, ctx.replies[best]!)) best = db;
  return best;
}

/** Whether the topology makes any standby of `from` synchronous. */
function syncMarked(ctx: AgentContext, from: NodeId): boolean {
  return ctx.databases.some((db) => db !== from && modeOf(ctx.topology, db, from) === 'sync');
}

/** Answers health checks and holds data (a wiped node that restarted empty answers too, with an empty history). */
function answersWithData(ctx: AgentContext, db: NodeId): boolean {
  const reply = ctx.replies[db];
  return reply !== undefined && (ctx.failures[db] ?? 0) === 0 && (reply.history === undefined || reply.history.length > 0);
}

function demotedWithData(ctx: AgentContext, from: NodeId): NodeId[] {
  return ctx.databases.filter((db) => db !== from && ctx.replies[db]?.role === 'demoted' && answersWithData(ctx, db));
}

/**
 * The nodes that may replace `from`: those that surely hold every write it acknowledged (see
 * `chooseStandby`), or, when its disk is lost, those holding what survives (`survivorsOfLostPrimary`).
 */
export function eligibleStandbys(ctx: AgentContext, from: NodeId): NodeId[] {
  const safe = eligibleWithoutLoss(ctx, from);
  return safe.length > 0 ? safe : survivorsOfLostPrimary(ctx, from);
}

/** The nodes that may replace `from` without losing an acknowledged write (see `chooseStandby`). */
export function eligibleWithoutLoss(ctx: AgentContext, from: NodeId): NodeId[] {
  const answering = ctx.databases.filter((db) => db !== from && ctx.replies[db]?.role === 'standby' && answersWithData(ctx, db));
  const synchronous = ctx.databases.filter((db) => db !== from && modeOf(ctx.topology, db, from, ctx.dbs.replaced) === 'sync');
  // Asynchronous replication promises no standby holds everything: the most up-to-date node that
  // has data is promoted, and when no standby has any, a former primary that came back demoted
  // (what it acknowledged after its last standby copy is the RPO async replication accepts).
  if (synchronous.length === 0) return answering.length > 0 ? answering : demotedWithData(ctx, from);
  const namedIn = (reply: HealthReply) => reply.sync?.epoch ?? reply.epoch;
  const claims = answering.filter((db) => (ctx.replies[db]!.synchronous ?? synchronous.includes(db)) && !namingOverruled(ctx, ctx.replies[db]!));
  const newest = Math.max(ctx.epoch, ctx.syncLog?.epoch ?? 0, ...claims.map((db) => namedIn(ctx.replies[db]!)));
  const eligible = claims.filter((db) => namedIn(ctx.replies[db]!) >= newest);
  return eligible.length > 0 ? eligible : holdersOfAllAcknowledged(ctx, from);
}

/**
 * Whether a database node's data is gone: it answers with an empty data directory (or is being
 * rebuilt from scratch), or it is down and the cloud reports its disk lost.
 */
export function dataGone(ctx: AgentContext, db: NodeId): boolean {
  const reply = ctx.replies[db];
  if (reply !== undefined && (reply.role === 'rebuilding' || (reply.history !== undefined && reply.history.length === 0))) return true;
  const cloud = ctx.dbs.cloud[db];
  return cloud !== undefined && !cloud.up && cloud.diskLost;
}

/**
 * The failing primary's data is gone (its disk was wiped): whatever it alone held is lost whoever
 * is promoted, so a naming that only says it had stopped waiting for its synchronous standby (a
 * cleared naming in the log, durability degraded) no longer stands in the way: the writes it
 * acknowledged since died with its disk. What survives is on the other nodes, so once every one of
 * them answers (a node that is down may hold more: it is waited for) or has lost its disk too, the
 * nodes holding data are eligible and the one whose WAL goes furthest is promoted (`chooseStandby`):
 * it holds every acknowledged write that still exists anywhere, the last named synchronous
 * standby's included. The writes lost with the disk are counted at that promotion (`writes.lost`,
 * and `durability.lostDegraded` for those acknowledged while degraded): the trade-off of
 * synchronous replication that is not strict.
 */
function survivorsOfLostPrimary(ctx: AgentContext, from: NodeId): NodeId[] {
  if (!dataGone(ctx, from)) return [];
  const others = ctx.databases.filter((db) => db !== from);
  if (!others.every((db) => answersWithData(ctx, db) || dataGone(ctx, db))) return [];
  return others.filter((db) => answersWithData(ctx, db) && (ctx.replies[db]!.role === 'standby' || ctx.replies[db]!.role === 'demoted'));
}

/**
 * When nobody claims a naming: the nodes (standbys, or a demoted former primary) that surely hold
 * every write `from` acknowledged. That is known only if `from`'s latest reply as primary showed it
 * had named no synchronous standby (so it acknowledged nothing beyond its `ackedLsn` then, and
 * could acknowledge more only after naming one), and every other node answers with data and none
 * says it was named since: a node holding `from`'s WAL up to that `ackedLsn` then holds it all.
 */
function holdersOfAllAcknowledged(ctx: AgentContext, from: NodeId): NodeId[] {
  const last = ctx.lastPrimary?.node === from ? ctx.lastPrimary.reply : null;
  if (last === null || last.epoch !== ctx.epoch || last.sync !== null || last.ackedLsn === undefined || last.history === undefined) return [];
  // The log holds a naming of that epoch: the reply that showed none is older than it.
  if ((ctx.syncLog?.epoch ?? 0) >= last.epoch) return [];
  const others = ctx.databases.filter((db) => db !== from);
  if (!others.every((db) => answersWithData(ctx, db))) return [];
  if (others.some((db) => (ctx.replies[db]!.sync?.epoch ?? 0) >= last.epoch)) return [];
  const acked = last.ackedLsn;
  const timeline = epochAt(last.history, acked);
  return others.filter((db) => {
    const reply = ctx.replies[db]!;
    const holds = reply.flushLsn >= acked && (acked === 0 || epochAt(reply.history ?? [], acked) === timeline);
    return holds && (reply.role === 'standby' || reply.role === 'demoted');
  });
}

/**
 * A standby's claim to be the synchronous one is overruled when the log holds a later naming of the
 * same epoch (its primary stopped waiting for it once that entry was committed, and may have
 * acknowledged writes it lacks: degraded, or waiting for another standby only).
 */
export function namingOverruled(ctx: AgentContext, reply: HealthReply): boolean {
  const logged = ctx.syncLog;
  if (logged === null) return false;
  const claimed = reply.sync;
  if (claimed === undefined || claimed === null) return logged.epoch >= reply.epoch;
  return claimed.epoch === logged.epoch && claimed.gen < logged.gen;
}
