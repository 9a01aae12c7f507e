/**
 * The orchestrators' failover agents as the world sees them: what each watches (for the page's
 * inspector, with the times the kernel saw its replies and lease renewals), which one leads (an
 * operator's request goes to it), the newest epoch any of them knows, and who is left to notice a
 * death. An agent is the companion program beside an orchestrator's Raft member (companion.ts).
 */
import type { Kernel } from '../kernel/kernel';
import type { NodeHost } from '../kernel/node-host';
import type { AgentContext } from '../machines/orchestrator/types';
import type { Message } from '../machines/protocol';
import { programKeys } from '../machines/program-keys';
import type { Topology } from '../scenario/types';
import { AgentWatchNotes, type AgentWatch } from './agent-watch';

/** A health check that also renews the primary's lease. */
function isLeaseCheck(msg: Message): msg is Message & { readonly seq: number } {
  return msg.type === 'HealthCheck' && 'lease' in msg && msg.lease === true && 'seq' in msg && typeof msg.seq === 'number';
}

function isHealthReply(msg: Message): msg is Message & { readonly seq: number } {
  return msg.type === 'HealthReply' && 'seq' in msg && typeof msg.seq === 'number';
}

/** The agent running beside `host`'s member now, or null (no agent, or the node is down). */
export function agentOf(host: NodeHost): AgentContext | null {
  return host.up ? (host.facts().agent ?? null) : null;
}

export class Agents {
  private readonly notes = new AgentWatchNotes();

  constructor(
    private readonly kernel: Kernel,
    private readonly topology: Topology,
  ) {
    kernel.onDown((host, _cause, wasUp) => {
      if (wasUp) this.noteUnwatched(host);
    });
    if (!programKeys(topology).includes('agent')) return; // no agents in this world: nothing to note
    kernel.onUp((host) => this.notes.forget(host.id));
    kernel.onSend((host, to, msg) => {
      if (!isLeaseCheck(msg)) return;
      const agent = agentOf(host);
      if (agent) this.notes.leaseSent(host.id, to, agent.epoch, msg.seq, kernel.nowMs);
    });
    // Notes when an agent took a health reply, for the inspector (the agent keeps no times).
    kernel.onDeliver((host, from, msg) => {
      if (isHealthReply(msg) && agentOf(host)?.replies[from]?.seq === msg.seq) this.notes.replied(host.id, from, msg.seq, kernel.nowMs);
    });
  }

  /** What the agent beside `host` watches, while it is active. */
  watch(host: NodeHost): AgentWatch | undefined {
    const agent = agentOf(host);
    return agent?.active ? this.notes.watch(agent) : undefined;
  }

  /** The running node whose agent leads, in the newest term, or null. */
  leader(): NodeHost | null {
    let leader: NodeHost | null = null;
    let term = -1;
    for (const host of this.kernel.hosts()) {
      const agent = host.up ? agentOf(host) : null;
      if (agent?.leading && agent.term > term) {
        leader = host;
        term = agent.term;
      }
    }
    return leader;
  }

  /** The highest epoch any running agent has seen. */
  highestEpoch(): number {
    let epoch = 0;
    for (const host of this.kernel.hosts()) epoch = Math.max(epoch, agentOf(host)?.highestEpoch ?? 0);
    return epoch;
  }

  /**
   * Says so when a death will go unnoticed: an API server, or the last orchestrator, dies while no
   * running orchestrator keeps the servers alive (the watcher problem of a single orchestrator).
   */
  private noteUnwatched(host: NodeHost): void {
    const { servers, election, orchestrators } = this.topology;
    if (servers === 0 || (host.kind !== 'server' && host.kind !== 'orchestrator')) return;
    if (election === 'bully' && orchestrators > 0) return; // Bully orchestrators have no log to agree on replacements: not simulated

    const hosts = [...this.kernel.hosts()];
    if (hosts.some((h) => h.up && h.kind === 'orchestrator' && agentOf(h)?.duties.enabled === true)) return;
    const orchs = hosts.filter((h) => h.kind === 'orchestrator').map((h) => h.id);
    const text =
      host.kind === 'server'
        ? orchs.length === 0
          ? `Nobody will replace ${host.id}: there is no orchestrator to watch the servers`
          : `Nobody will replace ${host.id}: the orchestrator${orchs.length === 1 ? '' : 's'} that watched it (${orchs.join(', ')}) ${orchs.length === 1 ? 'is' : 'are'} down, and nothing watches the watcher`
        : `${host.id} was the last orchestrator running: from now on no one watches the API servers, and no one is left to replace ${host.id} itself`;
    this.kernel.record({ atMs: this.kernel.nowMs, type: 'unwatched', node: host.id, text });
  }
}
