/**
 * The database node's small rules, read off the topology and the context without changing
 * anything: how a standby replicates, who decides failovers (agents, a witness, nobody), whether
 * a lease applies and how long it lasts, how far behind the standbys are.
 */
import type { NodeId } from '../protocol';
import type { ReplicationMode, StandbySpec, Topology } from '../../scenario/types';
import type { DatabaseContext } from './types';

export function standbySpecOf(topology: Topology, id: NodeId, replaced: Readonly<Record<NodeId, NodeId>> = {}): StandbySpec | null {
  const match = /^db-(\d+)$/.exec(originalOf(replaced, id));
  const index = match ? Number(match[1]) - 2 : -1;
  return topology.database?.standbys[index] ?? null;
}

/** The node of the topology that `id` stands in for: itself, or the node its replacement chain began with (db-4 replaced db-2). */
export function originalOf(replaced: Readonly<Record<NodeId, NodeId>>, id: NodeId): NodeId {
  let node = id;
  for (let hops = 0; hops < 1000; hops++) {
    const dead = Object.keys(replaced).find((k) => replaced[k] === node);
    if (dead === undefined) return node;
    node = dead;
  }
  return node;
}

/**
 * How `standby` replicates from `primary`. db-2… keep the mode the scenario gave them; db-1 as a
 * standby takes the place, and the mode, of the standby that replaced it as primary. A node the
 * orchestrators provisioned in place of a lost one (`replaced`: dead → replacement) inherits the
 * lost node's place and mode.
 */
export function modeOf(topology: Topology, standby: NodeId, primary: NodeId, replaced: Readonly<Record<NodeId, NodeId>> = {}): ReplicationMode {
  return (standbySpecOf(topology, standby, replaced) ?? standbySpecOf(topology, primary, replaced))?.replication ?? 'async';
}

export function syncStandbysOf(ctx: DatabaseContext): NodeId[] {
  return ctx.peers.filter((peer) => modeOf(ctx.topology, peer, ctx.id, ctx.replaced) === 'sync');
}

/** Raft orchestrators run a failover agent beside each member: the agents renew the lease and decide failovers. */
export function agentsDecide(topology: Topology): boolean {
  return topology.orchestrators > 0 && topology.election === 'raft';
}

/**
 * Witness mode: a witness and no failover agents. The primary renews its lease with the witness;
 * a standby whose primary fails its health checks takes over with the witness's vote.
 */
export function witnessMode(topology: Topology): boolean {
  return topology.database?.witness === true && !agentsDecide(topology);
}

/**
 * A primary names its synchronous standby, and may name another one (Patroni's synchronous_mode),
 * only where failover agents read the naming off the health replies and promote only the named
 * one. An operator promoting by hand, or a witness's lone standby, keep the topology's
 * synchronous standbys.
 */
export function reselectsSync(topology: Topology): boolean {
  return agentsDecide(topology);
}

/**
 * Patroni's rule applies when quorum is on and someone renews the lease: Raft orchestrators, whose
 * agents renew it through their log, or a witness. (Bully orchestrators have no log to agree
 * through and run no agent: with them alone, nobody would renew it.)
 */
export function leaseApplies(ctx: DatabaseContext): boolean {
  return ctx.settings.quorum && (agentsDecide(ctx.topology) || witnessMode(ctx.topology)) && !ctx.leaseWaived;
}

/** Whether the orchestrators' log or the witness keeps the count of epochs (so a promotion by hand may collide with theirs). */
export function epochsKeptElsewhere(topology: Topology): boolean {
  return agentsDecide(topology) || witnessMode(topology);
}

/** The first lease also covers the orchestrators' first election and first health check; the witness renews from the start. */
export function firstLeaseMs(ctx: DatabaseContext): number {
  if (witnessMode(ctx.topology)) return witnessLeaseMs(ctx);
  return ctx.settings.leaseMs + ctx.settings.electionTimeoutMs[1] + ctx.settings.healthCheck.intervalMs;
}

/**
 * How long a primary holds the lease after the witness renewed it. It takes a renewal only if the
 * answer came within `timeoutMs` of its request, and holds the lease `leaseMs − timeoutMs` from
 * the answer, that is at most `leaseMs` from the request. The witness counts `leaseMs` from the
 * moment the request reached it, which is later: the primary's lease always ends first.
 */
export function witnessLeaseMs(ctx: DatabaseContext): number {
  return Math.max(1, ctx.settings.leaseMs - ctx.settings.healthCheck.timeoutMs);
}

/** Bytes the slowest standby's replay is behind the primary's flush, or the standby's own lag. */
export function lagBytesOf(ctx: DatabaseContext): number {
  if (ctx.role !== 'primary') return Math.max(0, ctx.primaryLsn - ctx.replayLsn);
  let lag = 0;
  for (const peer of ctx.peers) {
    const stream = ctx.streams[peer];
    if (stream) lag = Math.max(lag, ctx.flushLsn - stream.replayLsn);
  }
  return lag;
}

export function kilobytes(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

export function namesSync(ctx: DatabaseContext): boolean {
  return reselectsSync(ctx.topology) && ctx.role === 'primary' && syncStandbysOf(ctx).length > 0;
}
