/**
 * The scenario's clients: proposals to the orchestrators (a Raft client that follows leader
 * hints), writes to the database (straight to the primary, or through the load balancer and an API
 * server) and reads through the load balancer. Each arrives at its own steady rate; each is
 * answered by an effect of the machine that took it, or times out.
 */
import type { Kernel, Schedule } from '../kernel/kernel';
import type { NodeHost } from '../kernel/node-host';
import { workloadCommand } from '../machines/orchestrator/log-commands';
import type { NodeId } from '../machines/protocol';
import type { Scenario } from '../scenario/types';
import { ProposalClient } from './proposal-client';
import { RequestClient } from './request-client';
import type { DatabaseService } from './service';
import { WriteClient } from './write-client';

export class Workload {
  readonly proposals: ProposalClient;
  readonly writes: WriteClient;
  /** Requests through the load balancer (reads, and client writes when there are API servers). */
  readonly requests = new RequestClient();
  /** A database write an API server made, by write id: the server (and its life) that waits for the answer. */
  private readonly dbOrigins = new Map<string, { readonly server: NodeId; readonly incarnation: number }>();
  /** The proposal being handed to a node right now: its reply arrives within that same step. */
  private offering: number | null = null;
  private workloadCount = 0;
  private balancer: NodeHost | null | undefined;
  private readonly nextProposal: Schedule<null>;
  private readonly retry: Schedule<number>;
  private readonly nextWrite: Schedule<null>;
  private readonly writeTimeout: Schedule<string>;
  private readonly nextRequest: Schedule<null>;
  private readonly requestTimeout: Schedule<string>;

  constructor(
    private readonly kernel: Kernel,
    private readonly scenario: Scenario,
    private readonly service: DatabaseService,
  ) {
    const { settings } = kernel;
    this.proposals = new ProposalClient(settings.heartbeatMs * 2);
    this.writes = new WriteClient(settings.healthCheck.intervalMs * settings.healthCheck.failureThreshold, () => kernel.nowMs);
    kernel.handle('client-reply', (host, effect) => {
      kernel.record({ atMs: kernel.nowMs, type: 'propose', node: host.id, cmd: effect.cmd, accepted: effect.accepted });
      if (this.offering !== null) this.proposals.reply(this.offering, host.id, effect.accepted, effect.leaderHint);
    });
    kernel.handle('write-reply', (_host, effect) => this.writeReplied(effect.id, effect.ok, effect.reason));
    kernel.handle('request-reply', (_host, effect) => this.requestReplied(effect.id, effect.ok, effect.server));
    kernel.handle('db-write', (server, effect) => this.dbWrite(server, effect.id));
    this.nextProposal = kernel.itemKind<null>('workload-proposal', () => {
      this.propose(workloadCommand(++this.workloadCount));
      this.nextProposal(kernel.nowMs + everyMs(scenario.workload.proposalsPerSec), null);
    });
    this.retry = kernel.itemKind<number>('client-retry', (proposalId) => this.offerProposal(proposalId));
    this.nextWrite = kernel.itemKind<null>('workload-write', () => {
      this.write();
      this.nextWrite(kernel.nowMs + everyMs(scenario.workload.writesPerSec), null);
    });
    this.writeTimeout = kernel.itemKind<string>('write-timeout', (id) => {
      this.requests.abandon(id);
      this.writes.settle(id, false);
    });
    this.nextRequest = kernel.itemKind<null>('workload-request', () => {
      this.request(this.requests.newRead(), false, 1);
      this.nextRequest(kernel.nowMs + everyMs(scenario.workload.requestsPerSec), null);
    });
    this.requestTimeout = kernel.itemKind<string>('request-timeout', (request) => this.requests.abandon(request));
  }

  /** Starts the clients that this scenario has. */
  start(): void {
    const { workload, topology } = this.scenario;
    if (workload.proposalsPerSec > 0) this.nextProposal(everyMs(workload.proposalsPerSec), null);
    if (workload.writesPerSec > 0 && topology.database) this.nextWrite(everyMs(workload.writesPerSec), null);
    if (workload.requestsPerSec > 0 && topology.servers > 0) this.nextRequest(everyMs(workload.requestsPerSec), null);
  }

  // ---- client proposals ---------------------------------------------------------------------

  orchestratorIds(): NodeId[] {
    return [...this.kernel.hosts()].filter((h) => h.kind === 'orchestrator').map((h) => h.id);
  }

  propose(cmd: string): void {
    this.offerProposal(this.proposals.add(cmd));
  }

  /** Hands a pending proposal to the node the client believes leads; retries later if that fails. */
  private offerProposal(proposalId: number): void {
    const { kernel, proposals } = this;
    const proposal = proposals.get(proposalId);
    if (!proposal) return;
    const target = proposals.pickTarget(this.orchestratorIds(), (id) => kernel.host(id)?.up ?? false);
    if (target === null) {
      this.retry(kernel.nowMs + proposals.retryMs, proposalId);
      return;
    }
    this.offering = proposalId;
    kernel.tell(kernel.host(target)!, { type: 'propose', cmd: proposal.cmd });
    this.offering = null;
    if (proposals.get(proposalId)) this.retry(kernel.nowMs + proposals.retryMs, proposalId);
  }

  // ---- client writes ------------------------------------------------------------------------

  private write(): void {
    const id = this.writes.start();
    if (this.scenario.topology.servers > 0) {
      // Through the load balancer and an API server, which writes to the primary.
      this.writeTimeout(this.kernel.nowMs + this.writes.timeoutMs, id);
      this.request(id, true, 1);
      return;
    }
    const primary = this.service.primary();
    if (!primary) {
      this.writes.settle(id, false);
      return;
    }
    this.writeTimeout(this.kernel.nowMs + this.writes.timeoutMs, id);
    this.kernel.tell(primary, { type: 'write', id });
  }

  /** A database answer: to the API server that asked, or (with no servers) straight to the client. */
  private writeReplied(id: string, ok: boolean, reason: string | null): void {
    const origin = this.dbOrigins.get(id);
    if (!origin) {
      this.writes.settle(id, ok);
      return;
    }
    this.dbOrigins.delete(id);
    const server = this.kernel.host(origin.server);
    // A server that died meanwhile never hears the answer: its client's request fails.
    if (!server?.up || server.incarnation !== origin.incarnation) return;
    this.kernel.tell(server, { type: 'db-reply', id, ok, reason });
  }

  /**
   * An API server writes through the database's service address, which always names the current
   * primary (what the orchestrators' redirect step keeps true, as a Patroni-managed VIP does).
   */
  private dbWrite(server: NodeHost, id: string): void {
    const primary = this.service.primary();
    if (!primary) {
      this.kernel.tell(server, { type: 'db-reply', id, ok: false, reason: 'no database node accepts writes' });
      return;
    }
    this.dbOrigins.set(id, { server: server.id, incarnation: server.incarnation });
    this.kernel.tell(primary, { type: 'write', id });
  }

  // ---- requests through the load balancer ---------------------------------------------------

  /** The load balancer clients go through (there is at most one, from the start). */
  private loadBalancer(): NodeHost | null {
    if (this.balancer === undefined) this.balancer = [...this.kernel.hosts()].find((h) => h.kind === 'load-balancer') ?? null;
    return this.balancer;
  }

  /** One attempt of a client request: handed to the load balancer, or failed at once when it is down. */
  private request(request: string, write: boolean, attempt: number, avoid: NodeId | null = null): void {
    const id = this.requests.begin(request, write, attempt);
    if (attempt === 1 && !write) this.requestTimeout(this.kernel.nowMs + this.writes.timeoutMs, request);
    const lb = this.loadBalancer();
    if (!lb?.up) {
      this.requestReplied(id, false, null);
      return;
    }
    this.kernel.tell(lb, avoid === null ? { type: 'request', id, write } : { type: 'request', id, write, avoid });
  }

  private requestReplied(id: string, ok: boolean, server: NodeId | null): void {
    const ended = this.requests.end(id, ok);
    if (ended === null) return;
    if (ended.retry) return this.request(ended.request, ended.write, ended.attempt + 1, server);
    if (ended.write) this.writes.settle(ended.request, ok);
  }
}

/** The interval between two arrivals at `perSec` a second, in whole milliseconds (at least 1). */
function everyMs(perSec: number): number {
  return Math.max(1, Math.round(1000 / perSec));
}
