/**
 * What an orchestrator's failover agent is watching, for the page's inspector: per database node
 * its health-check counters and last reply, the lease it last renewed, and the failover plan in
 * progress. The agent's context holds the counters; the kernel adds the times (when a reply
 * arrived, when a lease renewal left), which the agent itself has no need to keep.
 */
import type { NodeId } from '../machines/protocol';
import type { HealthReply } from '../machines/database/types';
import type { AgentContext, PlanStep } from '../machines/orchestrator/types';

export interface WatchedNode {
  readonly node: NodeId;
  /** Failed checks in a row, out of `threshold`. */
  readonly failures: number;
  /** A check has left and is not answered yet. */
  readonly awaiting: boolean;
  readonly lastReply: {
    readonly role: HealthReply['role'];
    readonly epoch: number;
    readonly writable: boolean;
    readonly flushLsn: number;
    /** When it arrived, if the kernel saw it arrive in this life of the agent. */
    readonly atMs: number | null;
  } | null;
}

export interface AgentWatch {
  /** It checks the database now: its Raft member leads, or quorum is off and every agent acts alone. */
  readonly watching: boolean;
  readonly leading: boolean;
  readonly primary: NodeId;
  readonly epoch: number;
  readonly threshold: number;
  readonly intervalMs: number;
  readonly nodes: readonly WatchedNode[];
  /** The last lease renewal it sent: to whom, in which epoch, when, and whether the primary answered it. */
  readonly lease: LeaseNote | null;
  /** The last lease renewal the primary answered (it then runs for `leaseMs` from about `sentAtMs`). */
  readonly leaseAnswered: LeaseNote | null;
  readonly leaseMs: number;
  /** Leases are renewed through the Raft log only with `quorum` on; with it off, no lease binds the primary. */
  readonly leases: boolean;
  readonly plan: { readonly from: NodeId; readonly to: NodeId; readonly epoch: number; readonly step: PlanStep } | null;
}

export interface LeaseNote {
  readonly node: NodeId;
  readonly epoch: number;
  readonly seq: number;
  readonly sentAtMs: number;
  /** When its answer arrived, or null while it is unanswered. */
  readonly answeredAtMs: number | null;
}

interface Notes {
  readonly replyAtMs: Map<NodeId, { seq: number; atMs: number }>;
  lease: LeaseNote | null;
  leaseAnswered: LeaseNote | null;
}

/** The times the kernel notes for each agent, forgotten when the agent restarts. */
export class AgentWatchNotes {
  private readonly byAgent = new Map<NodeId, Notes>();

  private notes(agent: NodeId): Notes {
    let notes = this.byAgent.get(agent);
    if (!notes) {
      notes = { replyAtMs: new Map(), lease: null, leaseAnswered: null };
      this.byAgent.set(agent, notes);
    }
    return notes;
  }

  forget(agent: NodeId): void {
    this.byAgent.delete(agent);
  }

  /** A reply the agent took (its context now holds a reply with this sequence number). */
  replied(agent: NodeId, from: NodeId, seq: number, atMs: number): void {
    const notes = this.notes(agent);
    notes.replyAtMs.set(from, { seq, atMs });
    if (notes.lease?.node === from && notes.lease.seq === seq) {
      notes.lease = { ...notes.lease, answeredAtMs: atMs };
      notes.leaseAnswered = notes.lease;
    }
  }

  leaseSent(agent: NodeId, to: NodeId, epoch: number, seq: number, atMs: number): void {
    this.notes(agent).lease = { node: to, epoch, seq, sentAtMs: atMs, answeredAtMs: null };
  }

  watch(ctx: AgentContext): AgentWatch {
    const notes = this.byAgent.get(ctx.id);
    const nodes = ctx.databases.map((node): WatchedNode => {
      const reply = ctx.replies[node];
      const seen = notes?.replyAtMs.get(node);
      return {
        node,
        failures: ctx.failures[node] ?? 0,
        awaiting: ctx.awaiting[node] !== undefined,
        lastReply: reply ? { role: reply.role, epoch: reply.epoch, writable: reply.writable, flushLsn: reply.flushLsn, atMs: seen?.seq === reply.seq ? seen.atMs : null } : null,
      };
    });
    return {
      watching: ctx.active && (!ctx.settings.quorum || ctx.leading),
      leading: ctx.leading,
      primary: ctx.primary,
      epoch: ctx.epoch,
      threshold: ctx.settings.healthCheck.failureThreshold,
      intervalMs: ctx.settings.healthCheck.intervalMs,
      nodes,
      lease: notes?.lease ?? null,
      leaseAnswered: notes?.leaseAnswered ?? null,
      leaseMs: ctx.settings.leaseMs,
      leases: ctx.settings.quorum,
      plan: ctx.plan ? { ...ctx.plan } : null,
    };
  }
}
