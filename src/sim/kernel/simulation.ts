/**
 * The kernel: a deterministic discrete-event simulator. Virtual time is an integer count of
 * milliseconds; everything that will happen (a message arriving, a timer firing, a scenario event
 * or a user's click) waits in one queue; the only randomness is the scenario's seeded PRNG, forked
 * per subsystem. A run is therefore a pure function of (scenario, seed, recorded actions), the same
 * in Node and in a browser worker.
 *
 * The kernel hosts nodes (node-host.ts), routes their messages through the network module,
 * performs the effects their machines emit, applies scenario events, stamps the trace and feeds
 * the invariant checker.
 */
import { InvariantChecker } from '../check/invariants';
import type { NodeKind } from '../machines/program';
import type { Effect, Message, MessageLook, NodeEvent, NodeId, NodeTrace, NodeView } from '../machines/protocol';
import { companionFor, programFor } from '../machines/registry';
import { Network, type DropReason } from '../network/network';
import { ReportBuilder, type Report } from '../report/report';
import { initialNodes, SELECTORS } from '../scenario/nodes';
import type { RegionRole, Scenario, ScenarioEvent, Settings, UserAction } from '../scenario/types';
import type { FaultTraceEvent, TraceEvent } from '../trace/trace';
import { EventQueue, Lane } from './event-queue';
import { NodeHost, SimulationError } from './node-host';
import { Prng } from './prng';
import { ProposalClient } from './proposal-client';
import { WriteClient } from './write-client';
import { RequestClient } from './request-client';
import { WriteLedger } from '../report/write-ledger';
import { applySetting } from './settings-path';
import { planRestore, type RestorePlan } from '../machines/backup/logic';
import type { BackupDisk } from '../machines/backup/types';
import type { DatabaseDisk } from '../machines/database/types';
import { formatLsn } from '../machines/database/wal';
import { AgentWatchNotes } from './agent-watch';
import type { InFlightMessage, NodeState } from './node-state';
import type { AgentContext } from '../machines/orchestrator/types';
import type { HealthCheck, HealthReply } from '../machines/database/types';
import { watchedBy } from '../machines/orchestrator/duties';
import { agentsDecide } from '../machines/database/logic';

export { SimulationError };
// The shapes the kernel shows outside now live beside it; re-exported so older imports still resolve.
export type { InFlightMessage, NodeState } from './node-state';
export type { UserAction } from '../scenario/types';

type QueueItem =
  | {
      readonly kind: 'deliver';
      readonly msgId: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly toIncarnation: number;
      /** For an ordered (connection) message, the sender's life it belongs to; -1 for datagrams. */
      readonly fromIncarnation: number;
      readonly msg: Message;
    }
  | { readonly kind: 'die'; readonly msgId: number }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly incarnation: number; readonly name: string; readonly generation: number }
  | { readonly kind: 'scenario'; readonly event: ScenarioEvent }
  | { readonly kind: 'workload-proposal' }
  | { readonly kind: 'client-retry'; readonly proposalId: number }
  | { readonly kind: 'workload-write' }
  | { readonly kind: 'write-timeout'; readonly id: string }
  | { readonly kind: 'workload-request' }
  | { readonly kind: 'request-timeout'; readonly request: string }
  | { readonly kind: 'provisioned'; readonly node: NodeId }
  | { readonly kind: 'restore-done'; readonly node: NodeId; readonly from: NodeId; readonly plan: RestorePlan; readonly startedAtMs: number };

export interface SimulationOptions {
  /** Called with every trace event as it happens (the page's event log, the CLI's timeline). */
  readonly onTrace?: (event: TraceEvent) => void;
  /** Keep messages in flight for drawing (the page); the CLI does not need them. */
  readonly trackMessages?: boolean;
  /** With `trackMessages`, called with every message as it is sent (the page keeps drawing it after it arrives). */
  readonly onMessage?: (message: InFlightMessage) => void;
  /** Keep the whole trace in memory for `trace` (default true); a long headless run streams it through `onTrace` instead. */
  readonly keepTrace?: boolean;
}

export class Simulation {
  readonly scenario: Scenario;
  private settings: Settings;
  private now = 0;
  private readonly queue = new EventQueue<QueueItem>();
  private readonly hosts = new Map<NodeId, NodeHost>();
  private readonly network: Network;
  private readonly client: ProposalClient;
  private readonly writes: WriteClient;
  private readonly ledger = new WriteLedger();
  private readonly checker: InvariantChecker;
  private readonly traceLog: TraceEvent[] = [];
  private readonly keepTrace: boolean;
  private readonly reportBuilder = new ReportBuilder();
  private readonly inFlight = new Map<number, InFlightMessage>();
  private readonly trackMessages: boolean;
  private readonly onMessage: ((message: InFlightMessage) => void) | undefined;
  private readonly onTrace: ((event: TraceEvent) => void) | undefined;
  private readonly userEvents: ScenarioEvent[] = [];
  private nextMsgId = 1;
  /** Per directed link, when the latest ordered message arrives (see `keepOrder`). */
  private readonly orderedUntil = new Map<string, number>();
  /**
   * The one counter of epochs where nobody else keeps it (no Raft orchestrators): the newest epoch
   * any database node opened. An operator's promotion opens the next one, so two promotions, even
   * in one millisecond or of a wiped node, never share an epoch.
   */
  private highestEpoch = 1;
  /** The highest LSN any database node has acknowledged to a client (for `promoted` trace events). */
  private highestAckedLsn = 0;
  /** The node the `@last-crashed` selector names: the latest taken down by a crash or a wiped disk. */
  private lastCrashed: NodeId | null = null;
  /** While a scenario event is performed, what it causes waits here so the trace tells the cause first. */
  private deferredTrace: TraceEvent[] | null = null;
  /** The proposal being handed to a node right now: its reply arrives within that same step. */
  private offering: number | null = null;
  private workloadCount = 0;
  /** Database nodes being restored from a backup right now. */
  private readonly restoring = new Set<NodeId>();
  private readonly watchNotes = new AgentWatchNotes();
  /** Requests through the load balancer (reads, and client writes when there are API servers). */
  private readonly requests = new RequestClient();
  /** A database write an API server made, by write id: the server (and its life) that waits for the answer. */
  private readonly dbOrigins = new Map<string, { readonly server: NodeId; readonly incarnation: number }>();
  /** Machines the cloud is still starting, and when each will boot. */
  private readonly provisioning = new Map<NodeId, number>();
  /** Replacement → the dead node it replaces, and back. */
  private readonly replacesOf = new Map<NodeId, NodeId>();
  private readonly replacedBy = new Map<NodeId, NodeId>();
  /** Each node's region, for the network (replacements are added as they are provisioned). */
  private readonly regions = new Map<NodeId, RegionRole>();
  private readonly stats = { events: 0, messages: 0, dropped: 0 };
  private readonly root: Prng;

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = scenario;
    this.checker = new InvariantChecker(scenario.topology);
    this.settings = scenario.settings;
    this.trackMessages = options.trackMessages ?? false;
    this.onMessage = options.onMessage;
    this.keepTrace = options.keepTrace ?? true;
    this.onTrace = options.onTrace;
    const root = new Prng(scenario.seed);
    this.root = root;
    for (const spec of initialNodes(scenario.topology)) this.regions.set(spec.id, spec.region);
    this.network = new Network((id) => this.regions.get(id), this.settings, root.fork('network'));
    this.client = new ProposalClient(this.settings.heartbeatMs * 2);
    this.writes = new WriteClient(this.settings.healthCheck.intervalMs * this.settings.healthCheck.failureThreshold, () => this.now);

    const specs = initialNodes(scenario.topology);
    const clusterOf = (kind: NodeKind) => specs.filter((s) => s.kind === kind).map((s) => s.id);
    for (const spec of specs) {
      const program = programFor(spec.kind, scenario.topology);
      if (!program) continue; // this kind is not simulated yet
      const peers = clusterOf(spec.kind).filter((id) => id !== spec.id);
      const companion = companionFor(spec.kind, scenario.topology);
      this.hosts.set(spec.id, new NodeHost(spec.id, spec.kind, spec.region, program, peers, root.fork(`node:${spec.id}`), companion));
    }
    for (const host of this.hosts.values()) this.bringUp(host, 'booted');
    for (const event of scenario.events) this.queue.push(event.atMs, Lane.Scenario, { kind: 'scenario', event });
    if (scenario.workload.proposalsPerSec > 0) this.queue.push(this.workloadIntervalMs(), Lane.System, { kind: 'workload-proposal' });
    if (scenario.workload.writesPerSec > 0 && scenario.topology.database) this.queue.push(this.writeIntervalMs(), Lane.System, { kind: 'workload-write' });
    if (scenario.workload.requestsPerSec > 0 && scenario.topology.servers > 0) this.queue.push(this.requestIntervalMs(), Lane.System, { kind: 'workload-request' });
  }

  get nowMs(): number {
    return this.now;
  }

  /** Time of the next thing that will happen, or undefined when nothing is left. */
  nextAtMs(): number | undefined {
    return this.queue.peekAtMs();
  }

  /** Runs everything due at or before `tMs`, then stands at `tMs`. */
  runUntil(tMs: number): void {
    if (tMs < this.now) throw new RangeError(`cannot run backwards from ${this.now} to ${tMs}`);
    for (;;) {
      const at = this.queue.peekAtMs();
      if (at === undefined || at > tMs) break;
      const next = this.queue.pop()!;
      this.now = next.atMs;
      this.stats.events++;
      this.process(next.item);
    }
    this.now = tMs;
  }

  /** Runs the next instant at which anything happens (everything due then). False if nothing is left. */
  stepInstant(limitMs = Number.POSITIVE_INFINITY): boolean {
    const at = this.queue.peekAtMs();
    if (at === undefined || at > limitMs) return false;
    this.runUntil(at);
    return true;
  }

  /**
   * A user's action, now. It is recorded into the scenario's events at the current time and
   * performed through the queue, exactly as the same event in a file would be on replay.
   */
  act(action: UserAction): ScenarioEvent {
    const event = { ...action, atMs: this.now } as ScenarioEvent;
    this.userEvents.push(event);
    this.queue.push(this.now, Lane.Scenario, { kind: 'scenario', event });
    this.runUntil(this.now);
    return event;
  }

  /** The scenario with every user action recorded into its events (for links and files). */
  recordedScenario(): Scenario {
    const events = [...this.scenario.events, ...this.userEvents].map((e, i) => ({ e, i }));
    events.sort((x, y) => x.e.atMs - y.e.atMs || x.i - y.i);
    return { ...this.scenario, events: events.map((x) => x.e) };
  }

  nodes(): NodeState[] {
    return [...this.hosts.values()].map((h) => {
      const readyAtMs = this.provisioning.get(h.id);
      const view = readyAtMs === undefined ? h.view() : { role: 'provisioning', term: null, detail: { readyAtMs } };
      let state: NodeState = { id: h.id, kind: h.kind, region: h.region, up: h.up, view };
      const agent = this.agentContext(h);
      if (agent?.active) state = { ...state, watch: this.watchNotes.watch(agent) };
      const watches = h.up ? this.watchesOf(h, view) : [];
      if (watches.length > 0) state = { ...state, watches };
      const replaces = this.replacesOf.get(h.id);
      if (replaces !== undefined) state = { ...state, replaces };
      const replacedBy = this.replacedBy.get(h.id);
      if (replacedBy !== undefined) state = { ...state, replacedBy };
      if (readyAtMs !== undefined) state = { ...state, readyAtMs };
      const countdown = h.countdown();
      if (countdown) state = { ...state, countdown };
      const statecharts = h.statecharts();
      if (statecharts) state = { ...state, statecharts };
      return state;
    });
  }

  /** Whom a running node health-checks now: the load balancer its servers, an orchestrator its duties. */
  private watchesOf(host: NodeHost, view: NodeView): NodeId[] {
    if (host.kind === 'load-balancer') {
      const backends = view.detail.backends;
      return typeof backends === 'string' && backends !== '' ? backends.split(',').map((id) => id.trim()) : [];
    }
    const agent = this.agentContext(host);
    return agent ? watchedBy(agent) : [];
  }

  private agentContext(host: NodeHost): AgentContext | null {
    return host.kind === 'orchestrator' && host.companion ? (host.companionContext() as AgentContext | null) : null;
  }

  /** What each database node has on disk now (flushed WAL only): what a check of the run's outcome reads. */
  databaseDisks(): { id: NodeId; up: boolean; disk: DatabaseDisk | null }[] {
    return [...this.hosts.values()].filter((h) => h.kind === 'database').map((h) => ({ id: h.id, up: h.up, disk: h.currentDisk() as DatabaseDisk | null }));
  }

  messagesInFlight(): InFlightMessage[] {
    return [...this.inFlight.values()];
  }

  faults(): ReturnType<Network['faults']> {
    return this.network.faults();
  }

  /** Every trace event so far (empty when the simulation was made with `keepTrace: false`). */
  get trace(): readonly TraceEvent[] {
    return this.traceLog;
  }

  /** The safety checks as of now: an overlap still open counts up to this moment. */
  invariants(): ReturnType<InvariantChecker['results']> {
    return this.checker.results(this.now);
  }

  /** The live figures the page's meters show: client writes so far, the worst data loss, the downtime clients saw and the time without a primary. */
  meters(): { writes: Report['writes']; rpo: Report['rpo']; unavailableMs: number; noPrimaryMs: number; primary: NodeId | null; requests: Report['requests'] } {
    return {
      requests: this.requests.figures(),
      writes: { attempted: this.writes.attempted, acknowledged: this.writes.acknowledged, rejected: this.writes.rejected, lost: this.ledger.lost },
      rpo: this.ledger.rpo(),
      unavailableMs: this.writes.unavailableUntil(this.now),
      noPrimaryMs: this.ledger.unavailableUntil(this.now),
      primary: this.currentPrimary()?.id ?? null,
    };
  }

  currentSettings(): Settings {
    return this.settings;
  }

  report(): Report {
    const regionName = (r: RegionRole) => this.scenario.topology.regions[r];
    return this.reportBuilder.build({
      scenario: this.scenario,
      endMs: this.now,
      invariants: this.checker.results(this.now),
      nodes: this.nodes().map((n) => ({ id: n.id, kind: n.kind, region: regionName(n.region), up: n.up, role: n.view.role, term: n.view.term })),
      stats: { ...this.stats },
      writes: { attempted: this.writes.attempted, acknowledged: this.writes.acknowledged, rejected: this.writes.rejected, lost: this.ledger.lost },
      rpo: this.ledger.rpo(),
      rto: { unavailableMs: this.writes.unavailableUntil(this.now), noPrimaryMs: this.ledger.unavailableUntil(this.now) },
      failovers: this.ledger.failoverList(),
      requests: this.requests.figures(),
      lostDegraded: this.ledger.lostDegraded,
    });
  }

  // ---- the queue's items --------------------------------------------------------------------

  private process(item: QueueItem): void {
    switch (item.kind) {
      case 'deliver':
        return this.deliver(item);
      case 'die':
        this.inFlight.delete(item.msgId);
        return;
      case 'timer': {
        const host = this.hosts.get(item.node);
        if (!host || !host.up || host.incarnation !== item.incarnation || host.timers.get(item.name)?.generation !== item.generation) return;
        host.disarmTimer(item.name);
        return this.perform(host, host.deliver({ type: 'timer', name: item.name }, this.now));
      }
      case 'scenario':
        return this.applyScenarioEvent(item.event);
      case 'workload-proposal':
        this.propose(`op-${++this.workloadCount}`);
        this.queue.push(this.now + this.workloadIntervalMs(), Lane.System, { kind: 'workload-proposal' });
        return;
      case 'client-retry':
        return this.offerProposal(item.proposalId);
      case 'workload-write':
        this.write();
        this.queue.push(this.now + this.writeIntervalMs(), Lane.System, { kind: 'workload-write' });
        return;
      case 'write-timeout':
        this.requests.abandon(item.id);
        return this.writes.settle(item.id, false);
      case 'workload-request':
        this.request(this.requests.newRead(), false, 1);
        this.queue.push(this.now + this.requestIntervalMs(), Lane.System, { kind: 'workload-request' });
        return;
      case 'request-timeout':
        return this.requests.abandon(item.request);
      case 'provisioned':
        return this.finishProvisioning(item.node);
      case 'restore-done':
        return this.finishRestore(item);
    }
  }

  private deliver(item: Extract<QueueItem, { kind: 'deliver' }>): void {
    this.inFlight.delete(item.msgId);
    const host = this.hosts.get(item.to);
    const sender = this.hosts.get(item.from);
    const connectionDied = item.fromIncarnation >= 0 && sender?.incarnation !== item.fromIncarnation;
    const reason: DropReason | null =
      this.network.blockedReason(item.from, item.to) ?? (!host || !host.up || host.incarnation !== item.toIncarnation || connectionDied ? 'down' : null);
    if (reason) {
      this.stats.dropped++;
      return;
    }
    const event: NodeEvent = { type: 'message', from: item.from, msg: item.msg };
    const effects = host!.deliver(event, this.now);
    if (item.msg.type === 'HealthReply') this.noteReply(host!, item.from, (item.msg as unknown as HealthReply).seq);
    this.perform(host!, effects);
  }

  /** Notes when an agent took a health reply, for the inspector (the agent keeps no times). */
  private noteReply(host: NodeHost, from: NodeId, seq: number): void {
    const agent = this.agentContext(host);
    if (agent?.replies[from]?.seq === seq) this.watchNotes.replied(host.id, from, seq, this.now);
  }

  private perform(host: NodeHost, effects: readonly Effect[]): void {
    for (const effect of effects) {
      switch (effect.type) {
        case 'send':
          this.send(host, effect.to, effect.msg, effect.ordered ?? false);
          break;
        case 'set-timer':
          this.armTimer(host, effect.name, effect.afterMs);
          break;
        case 'set-random-timer':
          this.armTimer(host, effect.name, host.rng.int(effect.minMs, effect.maxMs));
          break;
        case 'cancel-timer':
          host.disarmTimer(effect.name);
          break;
        case 'client-reply':
          this.record({ atMs: this.now, type: 'propose', node: host.id, cmd: effect.cmd, accepted: effect.accepted });
          if (this.offering !== null) this.client.reply(this.offering, host.id, effect.accepted, effect.leaderHint);
          break;
        case 'trace':
          this.recordNodeTrace(host, effect.event);
          break;
        case 'write-reply':
          this.writeReplied(effect.id, effect.ok, effect.reason);
          break;
        case 'request-reply':
          this.requestReplied(effect.id, effect.ok, effect.server);
          break;
        case 'db-write':
          this.dbWrite(host, effect.id);
          break;
        case 'provision':
          this.provision(host, effect.node, effect.kind, effect.replaces);
          break;
        case 'fence':
          this.fence(host, effect.node);
          break;
        case 'cloud-status':
          this.cloudStatus(host, effect.node);
          break;
        case 'local-propose':
          break; // handled inside the node (node-host.ts); never reaches the kernel
      }
    }
  }

  /**
   * STONITH: powers `node` off out of band, then tells the asking agent how it went. The power
   * controller sits in the target's data centre and is reached over a management network that
   * partitions and cut links do not touch; the one case it cannot be reached is a dark data
   * centre. Then the node is probably off, but nobody can prove it, and (Pacemaker's rule)
   * nothing may be promoted.
   */
  private fence(by: NodeHost, node: NodeId): void {
    const target = this.hosts.get(node);
    let ok = true;
    let reason: string;
    if (!target) {
      ok = false;
      reason = `${node} is not part of this simulation`;
    } else if (this.network.isRegionDark(target.region)) {
      ok = false;
      reason = `the power controller of ${node} in ${this.scenario.topology.regions[target.region]} cannot be reached: the data centre is dark`;
    } else if (target.up) {
      this.takeDown(target, 'fenced', false, `fenced: ${by.id} powered it off out of band (STONITH)`);
      reason = `${by.id} powered ${node} off out of band (STONITH)`;
    } else {
      reason = `${node} is already down; ${by.id} keeps its power off (STONITH)`;
    }
    if (by.up) this.perform(by, by.deliver({ type: 'fence-result', node, ok, reason }, this.now));
  }

  /**
   * The cloud's API answers about a machine, over the management network (like the power
   * controller): whether it runs, whether its disk is lost, whether its data centre is dark.
   */
  private cloudStatus(by: NodeHost, node: NodeId): void {
    const target = this.hosts.get(node);
    if (!target || !by.up) return;
    const status = { type: 'cloud-status', node, up: target.up, diskLost: !target.up && target.diskLost, dark: this.network.isRegionDark(target.region) } as const;
    this.perform(by, by.deliver(status, this.now));
  }

  private armTimer(host: NodeHost, name: string, afterMs: number): void {
    const delayMs = Math.max(1, Math.round(afterMs));
    const generation = host.armTimer(name, this.now, this.now + delayMs);
    this.queue.push(this.now + delayMs, Lane.System, { kind: 'timer', node: host.id, incarnation: host.incarnation, name, generation });
  }

  private send(host: NodeHost, to: NodeId, msg: Message, ordered: boolean): void {
    const target = this.hosts.get(to);
    const msgId = this.nextMsgId++;
    this.stats.messages++;
    if (msg.type === 'HealthCheck' && (msg as unknown as HealthCheck).lease === true) {
      const agent = this.agentContext(host);
      if (agent) this.watchNotes.leaseSent(host.id, to, agent.epoch, (msg as unknown as HealthCheck).seq, this.now);
    }
    const drawn = this.network.route(host.id, to, this.now);
    const route = ordered && drawn.ok ? this.keepOrder(host.id, to, drawn.deliverAtMs) : drawn;
    if (this.trackMessages) {
      const tracked: InFlightMessage = {
        id: msgId,
        from: host.id,
        to,
        look: this.lookOf(host, msg),
        sentAtMs: this.now,
        endAtMs: route.ok ? route.deliverAtMs : route.dieAtMs,
        dropped: route.ok ? null : route.reason,
      };
      this.inFlight.set(msgId, tracked);
      this.onMessage?.(tracked);
    }
    if (!route.ok) {
      this.stats.dropped++;
      if (this.trackMessages) this.queue.push(route.dieAtMs, Lane.System, { kind: 'die', msgId });
      return;
    }
    const toIncarnation = target?.up ? target.incarnation : -1;
    const fromIncarnation = ordered ? host.incarnation : -1;
    this.queue.push(route.deliverAtMs, Lane.System, { kind: 'deliver', msgId, from: host.id, to, toIncarnation, fromIncarnation, msg });
  }

  /** How to draw a message: as its sender's main program sees it, or its companion's (an agent's health check). */
  private lookOf(host: NodeHost, msg: Message): MessageLook {
    const look = host.program.look(msg);
    return look.family === 'other' && host.companion ? host.companion.look(msg) : look;
  }

  /** Stamps a machine's trace event; a promotion also gets the highest LSN acknowledged so far. */
  private recordNodeTrace(host: NodeHost, event: NodeTrace): void {
    if (event.type === 'write-ack') this.highestAckedLsn = Math.max(this.highestAckedLsn, event.lsn);
    if (event.type === 'promoted' || event.type === 'writable') this.highestEpoch = Math.max(this.highestEpoch, event.epoch);
    if (event.type === 'promoted') this.record({ atMs: this.now, node: host.id, ...event, highestAckedLsn: this.highestAckedLsn });
    else this.record({ atMs: this.now, node: host.id, ...event });
  }

  /** An ordered message arrives no earlier than the previous ordered one on its directed link. */
  private keepOrder(from: NodeId, to: NodeId, deliverAtMs: number): { ok: true; deliverAtMs: number } {
    const key = `${from}>${to}`;
    const at = Math.max(deliverAtMs, this.orderedUntil.get(key) ?? 0);
    this.orderedUntil.set(key, at);
    return { ok: true, deliverAtMs: at };
  }

  private record(event: TraceEvent): void {
    if (this.deferredTrace) {
      this.deferredTrace.push(event);
      return;
    }
    if (this.keepTrace) this.traceLog.push(event);
    this.checker.observe(event);
    this.reportBuilder.observe(event);
    this.ledger.observe(event);
    this.onTrace?.(event);
  }

  // ---- client writes ------------------------------------------------------------------------

  private writeIntervalMs(): number {
    return Math.max(1, Math.round(1000 / this.scenario.workload.writesPerSec));
  }

  /** The database node accepting writes now (the newest epoch if, in a split brain, there are two). */
  private currentPrimary(): NodeHost | null {
    let best: NodeHost | null = null;
    for (const host of this.hosts.values()) {
      if (host.kind !== 'database' || !host.up) continue;
      const view = host.view();
      if (view.detail.writable === true && (best === null || (view.term ?? 0) > (best.view().term ?? 0))) best = host;
    }
    return best;
  }

  private write(): void {
    const id = this.writes.start();
    if (this.scenario.topology.servers > 0) {
      // Through the load balancer and an API server, which writes to the primary.
      this.queue.push(this.now + this.writes.timeoutMs, Lane.System, { kind: 'write-timeout', id });
      this.request(id, true, 1);
      return;
    }
    const primary = this.currentPrimary();
    if (!primary) {
      this.writes.settle(id, false);
      return;
    }
    this.queue.push(this.now + this.writes.timeoutMs, Lane.System, { kind: 'write-timeout', id });
    this.perform(primary, primary.deliver({ type: 'write', id }, this.now));
  }

  /** A database answer: to the API server that asked, or (with no servers) straight to the client. */
  private writeReplied(id: string, ok: boolean, reason: string | null): void {
    const origin = this.dbOrigins.get(id);
    if (!origin) {
      this.writes.settle(id, ok);
      return;
    }
    this.dbOrigins.delete(id);
    const server = this.hosts.get(origin.server);
    // A server that died meanwhile never hears the answer: its client's request fails.
    if (!server?.up || server.incarnation !== origin.incarnation) return;
    this.perform(server, server.deliver({ type: 'db-reply', id, ok, reason }, this.now));
  }

  /**
   * An API server writes through the database's service address, which always names the current
   * primary (what the orchestrators' redirect step keeps true, as a Patroni-managed VIP does).
   */
  private dbWrite(server: NodeHost, id: string): void {
    const primary = this.currentPrimary();
    if (!primary) {
      this.perform(server, server.deliver({ type: 'db-reply', id, ok: false, reason: 'no database node accepts writes' }, this.now));
      return;
    }
    this.dbOrigins.set(id, { server: server.id, incarnation: server.incarnation });
    this.perform(primary, primary.deliver({ type: 'write', id }, this.now));
  }

  // ---- requests through the load balancer ---------------------------------------------------

  private requestIntervalMs(): number {
    return Math.max(1, Math.round(1000 / this.scenario.workload.requestsPerSec));
  }

  /** One attempt of a client request: handed to the load balancer, or failed at once when it is down. */
  private request(request: string, write: boolean, attempt: number, avoid: NodeId | null = null): void {
    const id = this.requests.begin(request, write, attempt);
    if (attempt === 1 && !write) this.queue.push(this.now + this.writes.timeoutMs, Lane.System, { kind: 'request-timeout', request });
    const lb = this.hosts.get('lb');
    if (!lb?.up) {
      this.requestReplied(id, false, null);
      return;
    }
    this.perform(lb, lb.deliver(avoid === null ? { type: 'request', id, write } : { type: 'request', id, write, avoid }, this.now));
  }

  private requestReplied(id: string, ok: boolean, server: NodeId | null): void {
    const ended = this.requests.end(id, ok);
    if (ended === null) return;
    if (ended.retry) return this.request(ended.request, ended.write, ended.attempt + 1, server);
    if (ended.write) this.writes.settle(ended.request, ok);
  }

  // ---- replacement machines -----------------------------------------------------------------

  /**
   * The cloud starts a new machine `node`; it boots `provisionMs` later. Asking again changes
   * nothing. A database node is started empty in the data centre of the node it replaces, and
   * knows the other database nodes still in service as its peers.
   */
  private provision(by: NodeHost, node: NodeId, kind: 'server' | 'orchestrator' | 'database', replaces: NodeId | null): void {
    if (this.hosts.has(node)) return;
    const nodeKind: NodeKind = kind;
    const expected = { server: /^api-[1-9][0-9]{0,5}$/, orchestrator: /^orch-[1-9][0-9]{0,5}$/, database: /^db-[1-9][0-9]{0,5}$/ }[kind];
    if (!expected.test(node)) throw new SimulationError(`${by.id} asked for a ${kind} named "${node}"`, this.now, by.id);
    const program = programFor(nodeKind, this.scenario.topology);
    if (!program) throw new SimulationError(`${by.id} asked for a ${kind}, which this scenario cannot run`, this.now, by.id);
    const old = replaces === null ? undefined : this.hosts.get(replaces);
    const region = kind === 'database' ? (old?.region ?? 'primary') : 'primary';
    // A brand-new orchestrator knows no peers: it learns the cluster from the leader's log.
    const peers = kind === 'database' ? [...this.hosts.values()].filter((h) => h.kind === 'database' && h.id !== replaces && !this.replacedBy.has(h.id)).map((h) => h.id) : [];
    const host = new NodeHost(node, nodeKind, region, program, peers, this.root.fork(`node:${node}`), companionFor(nodeKind, this.scenario.topology));
    if (kind === 'database') host.blank = true;
    this.hosts.set(node, host);
    this.regions.set(node, region);
    const readyAtMs = this.now + this.settings.provisionMs;
    this.provisioning.set(node, readyAtMs);
    if (replaces !== null) {
      this.replacesOf.set(node, replaces);
      this.replacedBy.set(replaces, node);
      // The cloud terminates the machine being replaced: one cut off but alive must not linger as a ghost.
      if (old?.up) this.takeDown(old, 'fenced', false, `retired: ${node} replaces it`);
      else if (old) old.downCause = 'fenced'; // retired while down: power coming back does not start it
    }
    this.queue.push(readyAtMs, Lane.System, { kind: 'provisioned', node });
  }

  private finishProvisioning(node: NodeId): void {
    const host = this.hosts.get(node)!;
    this.provisioning.delete(node);
    const replaces = this.replacesOf.get(node);
    const why = replaces === undefined ? 'provisioned' : `provisioned as the replacement for ${replaces}`;
    if (this.network.isRegionDark(host.region)) {
      host.downCause = 'region-down'; // boots when the data centre has power again
      return;
    }
    this.bringUp(host, why);
  }

  // ---- client proposals ---------------------------------------------------------------------

  private workloadIntervalMs(): number {
    return Math.max(1, Math.round(1000 / this.scenario.workload.proposalsPerSec));
  }

  private orchestratorIds(): NodeId[] {
    return [...this.hosts.values()].filter((h) => h.kind === 'orchestrator').map((h) => h.id);
  }

  private propose(cmd: string): void {
    const id = this.client.add(cmd);
    this.offerProposal(id);
  }

  /** Hands a pending proposal to the node the client believes leads; retries later if that fails. */
  private offerProposal(proposalId: number): void {
    const proposal = this.client.get(proposalId);
    if (!proposal) return;
    const target = this.client.pickTarget(this.orchestratorIds(), (id) => this.hosts.get(id)?.up ?? false);
    if (target === null) {
      this.queue.push(this.now + this.client.retryMs, Lane.System, { kind: 'client-retry', proposalId });
      return;
    }
    const host = this.hosts.get(target)!;
    this.offering = proposalId;
    const effects = host.deliver({ type: 'propose', cmd: proposal.cmd }, this.now);
    this.perform(host, effects);
    this.offering = null;
    if (this.client.get(proposalId)) this.queue.push(this.now + this.client.retryMs, Lane.System, { kind: 'client-retry', proposalId });
  }

  // ---- scenario events ----------------------------------------------------------------------

  /** Resolves `@leader` / `@primary` / `@last-crashed` / an id to a hosted node, or explains why it cannot. */
  private resolve(ref: string): { id: NodeId; host: NodeHost } | { noop: string } {
    if (ref === SELECTORS.leader) {
      let best: NodeHost | null = null;
      let bestTerm = -1;
      for (const host of this.hosts.values()) {
        if (host.kind !== 'orchestrator' || !host.up) continue;
        const view = host.view();
        if (view.role === 'leader' && (view.term ?? 0) > bestTerm) {
          best = host;
          bestTerm = view.term ?? 0;
        }
      }
      return best ? { id: best.id, host: best } : { noop: 'there is no leader at this moment' };
    }
    if (ref === SELECTORS.primary) {
      const primary = this.currentPrimary();
      return primary ? { id: primary.id, host: primary } : { noop: 'no database node accepts writes at this moment' };
    }
    if (ref === SELECTORS.lastCrashed) {
      const host = this.lastCrashed === null ? undefined : this.hosts.get(this.lastCrashed);
      return host ? { id: host.id, host } : { noop: 'no node has crashed yet' };
    }
    const host = this.hosts.get(ref);
    return host ? { id: ref, host } : { noop: `${ref} is not part of this simulation` };
  }

  /** The trace tells the scenario event first, then what it caused (a node going down, …). */
  private applyScenarioEvent(event: ScenarioEvent): void {
    const consequences: TraceEvent[] = [];
    this.deferredTrace = consequences;
    let fault: Omit<FaultTraceEvent, 'atMs' | 'type'>;
    try {
      fault = this.performScenarioEvent(event);
    } finally {
      this.deferredTrace = null;
    }
    this.record({ atMs: this.now, type: 'fault', ...fault } as FaultTraceEvent);
    for (const e of consequences) this.record(e);
  }

  /** Performs one scenario event and returns what the trace says of it (selectors resolved). */
  private performScenarioEvent(event: ScenarioEvent): Omit<FaultTraceEvent, 'atMs' | 'type'> {
    switch (event.do) {
      case 'crash':
      case 'wipe-disk':
      case 'restart':
      case 'promote':
      case 'switchover': {
        const target = this.resolve(event.node);
        if ('noop' in target) return { do: event.do, noop: target.noop };
        return { do: event.do, node: target.id, ...this.nodeAction(event.do, target.host) };
      }
      case 'restore-backup': {
        const target = this.resolve(event.node);
        if ('noop' in target) {
          const created = this.restoreOntoNewMachine(event.node, event.from);
          if ('noop' in created) return { do: event.do, ...(created.named ? { node: event.node } : {}), from: event.from, noop: created.result.noop };
          return { do: event.do, node: created.id, from: event.from, ...created.result };
        }
        return { do: event.do, node: target.id, from: event.from, ...this.startRestore(target.host, event.from) };
      }
      case 'partition': {
        const groups = event.groups.map((g) => g.filter((r) => r !== '*').map((r) => this.resolveId(r)).filter((id): id is NodeId => id !== null));
        const restGroup = event.groups.findIndex((g) => g.includes('*'));
        this.network.partition(groups, restGroup);
        const named = new Set(groups.flat());
        const rest = this.allIds().filter((id) => !named.has(id));
        const shown = restGroup >= 0 ? groups.map((g, i) => (i === restGroup ? [...g, ...rest] : g)) : rest.length > 0 ? [...groups, rest] : groups;
        return { do: 'partition', groups: shown };
      }
      case 'cut':
      case 'heal-link':
      case 'slow-link': {
        const a = this.resolveId(event.between[0]);
        const b = this.resolveId(event.between[1]);
        if (a === null || b === null) return { do: event.do, noop: `${a === null ? event.between[0] : event.between[1]} is not part of this simulation` };
        if (event.do === 'slow-link') this.network.slowLink(a, b, event.latencyMs, event.lossRate);
        else if (event.do === 'cut') this.network.cut(a, b);
        else this.network.healLink(a, b);
        return { do: event.do, between: [a, b] };
      }
      case 'heal':
        this.network.heal();
        return { do: 'heal' };
      case 'region-down':
      case 'region-up':
        return { do: event.do, region: this.scenario.topology.regions[event.region], ...this.regionAction(event.do, event.region) };
      case 'set': {
        const result = applySetting(this.settings, event.path, event.value);
        if (!result.ok) return { do: 'set', path: event.path, value: event.value, noop: result.reason };
        this.settings = result.settings;
        this.network.setSettings(this.settings);
        return { do: 'set', path: event.path, value: event.value };
      }
      case 'propose':
        if (this.orchestratorIds().length === 0) return { do: 'propose', cmd: event.cmd, noop: 'there are no orchestrators to take it' };
        this.propose(event.cmd);
        return { do: 'propose', cmd: event.cmd };
    }
  }

  private resolveId(ref: string): NodeId | null {
    const r = this.resolve(ref);
    return 'noop' in r ? null : r.id;
  }

  private allIds(): NodeId[] {
    return [...this.hosts.keys()];
  }

  private nodeAction(action: 'crash' | 'wipe-disk' | 'restart' | 'promote' | 'switchover', host: NodeHost): { noop?: string } {
    if (this.provisioning.has(host.id) && action !== 'promote') return { noop: `${host.id} is still being provisioned` };
    switch (action) {
      case 'crash':
        if (!host.up) return { noop: `${host.id} is already down` };
        this.takeDown(host, 'crash', false);
        return {};
      case 'wipe-disk':
        this.takeDown(host, 'wipe-disk', true);
        return {};
      case 'restart':
        if (host.up) return { noop: `${host.id} is already running` };
        if (this.replacedBy.has(host.id)) return { noop: `${host.id} was replaced by ${this.replacedBy.get(host.id)}; its machine was retired for good` };
        // A database node whose disk was lost may be restarted by hand, empty, to be rebuilt from a
        // base backup (an operator swapping the disk) until the orchestrators have replaced it.
        if (host.diskLost && host.kind !== 'database') return { noop: `${host.id} lost its disk; it cannot come back under the same identity` };
        if (this.network.isRegionDark(host.region)) return { noop: `${host.id}'s data centre is dark` };
        this.bringUp(host, 'restarted');
        return {};
      case 'promote':
      case 'switchover':
        if (host.kind !== 'database') return { noop: `${host.id} is not a database node` };
        if (!host.up) return { noop: `${host.id} is down` };
        if (agentsDecide(this.scenario.topology) && this.askOrchestrators(action, host.id)) return {};
        if (action === 'switchover') {
          if (agentsDecide(this.scenario.topology)) return { noop: 'no orchestrator leads now, and a switchover is carried out by the orchestrators; try again once one leads' };
          return this.switchoverByHand(host);
        }
        // No orchestrators, or none leads (their data centre is dark, or they lost their
        // majority): the operator's pg_ctl promote acts alone, in a new epoch all the same.
        this.operatorPromote(host);
        return {};
    }
  }

  /** `pg_ctl promote` by an operator, in the next epoch of the one counter. */
  private operatorPromote(host: NodeHost): void {
    this.perform(host, host.deliver({ type: 'operator', action: 'promote', epoch: this.nextEpoch() }, this.now));
  }

  /** Takes the next epoch of the one counter (no orchestrators keep it here, or none leads). */
  private nextEpoch(): number {
    let known = Math.max(this.highestEpoch, this.newestDatabaseEpoch());
    for (const h of this.hosts.values()) known = Math.max(known, this.agentContext(h)?.highestEpoch ?? 0);
    this.highestEpoch = known + 1;
    return this.highestEpoch;
  }

  /**
   * A switchover where no orchestrators run: the operator asks the primary that `target` streams
   * from to hand over to it (the primary stops taking writes, waits until `target` has flushed all
   * of its WAL, promotes it in the next epoch and follows it; see the database's
   * `switchoverByOperator`). Refused in words when `target` is not a standby of a running primary.
   */
  private switchoverByHand(target: NodeHost): { noop?: string } {
    const view = target.view();
    if (view.role !== 'standby') return { noop: `${target.id} is ${view.role}, not a standby streaming from the primary` };
    const upstream = view.detail.upstream;
    const primary = typeof upstream === 'string' ? this.hosts.get(upstream) : undefined;
    if (primary === undefined) return { noop: `${target.id} streams from no primary yet` };
    if (!primary.up) return { noop: `${target.id}'s primary ${primary.id} is down: promote ${target.id} instead` };
    if (primary.view().role !== 'primary' || primary.view().detail.writable !== true) return { noop: `${primary.id}, which ${target.id} follows, is not a primary taking writes` };
    this.perform(primary, primary.deliver({ type: 'operator', action: 'switchover', to: target.id, epoch: this.nextEpoch() }, this.now));
    return {};
  }

  /**
   * With Raft orchestrators, an operator's promotion or switchover goes to the agent whose member
   * leads (as patronictl goes through Patroni's store), which makes it a plan in the log or refuses
   * it with the reason. False when no orchestrator leads now.
   */
  private askOrchestrators(action: 'promote' | 'switchover', node: NodeId): boolean {
    let leader: NodeHost | null = null;
    let term = -1;
    for (const host of this.hosts.values()) {
      const agent = host.up ? this.agentContext(host) : null;
      if (agent?.leading && agent.term > term) {
        leader = host;
        term = agent.term;
      }
    }
    if (leader === null) return false;
    const msg = { type: 'OperatorRequest', action, node } as const;
    this.perform(leader, leader.deliver({ type: 'message', from: 'operator', msg }, this.now));
    return true;
  }

  // ---- restore from a backup ----------------------------------------------------------------

  /** Why `host` cannot be restored from `from` now, or the plan of the restore. */
  private restorePlanFor(host: NodeHost, from: NodeId): RestorePlan | { noop: string } {
    const regionName = (r: RegionRole) => this.scenario.topology.regions[r];
    if (host.kind !== 'database') return { noop: `${host.id} is not a database node` };
    if (this.replacedBy.has(host.id)) return { noop: `${host.id} was replaced by ${this.replacedBy.get(host.id)}; its machine was retired for good` };
    if (host.up) return { noop: `${host.id} is running: a backup is restored only onto a node that is down, whose disk failed or that was stopped` };
    if (this.restoring.has(host.id)) return { noop: `${host.id} is already being restored` };
    if (this.network.isRegionDark(host.region)) return { noop: `${host.id}'s data centre ${regionName(host.region)} is dark` };
    const problem = this.storeProblem(from);
    if (problem !== null) return { noop: problem };
    const store = this.hosts.get(from)!;
    const plan = planRestore((store.currentDisk() as BackupDisk | null)?.chain ?? [], this.settings.baseBackupBytesPerSec);
    return plan ?? { noop: `${from} holds no full backup yet: there is nothing to restore` };
  }

  /** Why the backups of `from` cannot be read now, or null when they can. */
  private storeProblem(from: NodeId): string | null {
    const store = this.hosts.get(from);
    if (!store || store.kind !== 'backup') return `there is no backup store ${from} in this simulation`;
    if (this.network.isRegionDark(store.region)) {
      const region = this.scenario.topology.regions[store.region];
      return `${from} is in ${region}, which is dark: its backups cannot be read, and no copy of them exists elsewhere unless backups are offsite`;
    }
    if (!store.up) return `${from} is down: its backups cannot be read`;
    return null;
  }

  /**
   * An operator restores `host` from a backup store: provision a machine, copy the newest full
   * backup and the incrementals after it (at `baseBackupBytesPerSec`), verify, then switch: the
   * node comes up with that data (`finishRestore`). The store's backups are read now.
   */
  private startRestore(host: NodeHost, from: NodeId): { noop?: string } {
    const plan = this.restorePlanFor(host, from);
    if ('noop' in plan) return plan;
    this.restoring.add(host.id);
    const readyAtMs = this.now + plan.totalMs;
    if (host.incarnation === 0) this.provisioning.set(host.id, readyAtMs); // a new machine: shown as provisioning until it boots
    this.queue.push(readyAtMs, Lane.System, { kind: 'restore-done', node: host.id, from, plan, startedAtMs: this.now });
    const text =
      `Restoring ${host.id} from ${from}: a full backup and ${plan.incrementals} incremental${plan.incrementals === 1 ? '' : 's'} up to LSN ` +
      `${formatLsn(plan.upToLsn)}, ${(plan.bytes / 1000).toFixed(1)} kB copied in ${(plan.copyMs / 1000).toFixed(1)} s ` +
      `(plus provisioning and checks); ready at ${(readyAtMs / 1000).toFixed(3)} s`;
    this.record({ atMs: this.now, type: 'restore', phase: 'started', node: host.id, from, upToLsn: plan.upToLsn, bytes: plan.bytes, readyAtMs, text });
    return {};
  }

  /**
   * The restored node comes up with the backup's data. With no primary left it becomes the primary
   * of a new epoch (an operator's restore after losing everything): its promotion at the backup's
   * LSN makes every write acknowledged after it lost. With a primary, it follows it as a standby.
   */
  private finishRestore(item: Extract<QueueItem, { kind: 'restore-done' }>): void {
    this.restoring.delete(item.node);
    this.provisioning.delete(item.node);
    const host = this.hosts.get(item.node)!;
    const { plan } = item;
    const base = { atMs: this.now, type: 'restore', node: host.id, from: item.from, upToLsn: plan.upToLsn, bytes: plan.bytes, readyAtMs: this.now } as const;
    if (host.up || this.network.isRegionDark(host.region)) {
      const why = host.up ? `${host.id} was started meanwhile` : `${host.id}'s data centre went dark`;
      this.record({ ...base, phase: 'abandoned', text: `The restore of ${host.id} from ${item.from} was abandoned: ${why}` });
      return;
    }
    const primary = this.currentPrimary();
    const restoredFrom = `restored from ${item.from} up to LSN ${formatLsn(plan.upToLsn)}`;
    const disk: DatabaseDisk = {
      ...plan.disk,
      epoch: Math.max(plan.epoch, this.newestDatabaseEpoch()),
      role: primary ? 'standby' : 'demoted',
      upstream: primary?.id ?? null,
      restoredFrom: primary ? `${restoredFrom}; follows ${primary.id}` : `${restoredFrom}; no primary is left, so it will be promoted`,
    };
    host.disk = disk;
    host.diskLost = false;
    const tookMs = this.now - item.startedAtMs;
    this.record({ ...base, phase: 'done', text: `${host.id} restored from ${item.from} up to LSN ${formatLsn(plan.upToLsn)} in ${(tookMs / 1000).toFixed(1)} s` });
    this.bringUp(host, restoredFrom);
    if (!primary && host.up) this.operatorPromote(host);
  }

  /**
   * A restore onto a machine that does not exist yet (`db-4`): the operator provisions it in the
   * backup store's data centre, then restores onto it. Nothing is created when the restore cannot
   * happen (no such store, nothing to restore, …).
   */
  private restoreOntoNewMachine(node: NodeId, from: NodeId): { id: NodeId; result: { noop?: string } } | { noop: true; named: boolean; result: { noop: string } } {
    const store = this.hosts.get(from);
    const program = programFor('database', this.scenario.topology);
    if (!/^db-[1-9][0-9]{0,5}$/.test(node) || !program) return { noop: true, named: false, result: { noop: `${node} is not part of this simulation` } };
    const problem = this.storeProblem(from);
    if (problem !== null || !store) return { noop: true, named: true, result: { noop: problem ?? `there is no backup store ${from}` } };
    const host = new NodeHost(node, 'database', store.region, program, [], this.root.fork(`node:${node}`), null);
    this.hosts.set(node, host);
    this.regions.set(node, store.region);
    const result = this.startRestore(host, from);
    if (result.noop !== undefined) {
      this.hosts.delete(node);
      this.regions.delete(node);
      return { noop: true, named: true, result: { noop: result.noop } };
    }
    return { id: node, result };
  }

  /** The newest epoch any database node has been in, so that a restored primary opens a newer one. */
  private newestDatabaseEpoch(): number {
    let epoch = 0;
    for (const host of this.hosts.values()) if (host.kind === 'database') epoch = Math.max(epoch, host.view().term ?? 0);
    return epoch;
  }

  private regionAction(action: 'region-down' | 'region-up', region: RegionRole): { noop?: string } {
    const name = this.scenario.topology.regions[region];
    if (action === 'region-down') {
      if (this.network.isRegionDark(region)) return { noop: `${name} is already dark` };
      this.network.setRegionDark(region, true);
      for (const host of this.hosts.values()) if (host.region === region && host.up) this.takeDown(host, 'region-down', false);
      return {};
    }
    if (!this.network.isRegionDark(region)) return { noop: `${name} is not dark` };
    this.network.setRegionDark(region, false);
    for (const host of this.hosts.values()) if (host.region === region && host.downCause === 'region-down') this.bringUp(host, `${name} has power again`);
    return {};
  }

  private takeDown(host: NodeHost, cause: 'crash' | 'wipe-disk' | 'region-down' | 'fenced', loseDisk: boolean, why?: string): void {
    const wasUp = host.up;
    if (cause === 'crash' || cause === 'wipe-disk') this.lastCrashed = host.id;
    host.stop(cause, loseDisk);
    const reason = why ?? (cause === 'crash' ? 'crashed' : cause === 'wipe-disk' ? 'its disk failed' : `${this.scenario.topology.regions[host.region]} went dark`);
    if (wasUp || loseDisk) this.record({ atMs: this.now, type: 'down', node: host.id, reason, diskLost: host.diskLost });
    if (wasUp) this.noteUnwatched(host);
  }

  /**
   * Says so when a death will go unnoticed: an API server, or the last orchestrator, dies while no
   * running orchestrator keeps the servers alive (the watcher problem of a single orchestrator).
   */
  private noteUnwatched(host: NodeHost): void {
    const { servers, election, orchestrators } = this.scenario.topology;
    if (servers === 0 || (host.kind !== 'server' && host.kind !== 'orchestrator')) return;
    if (election === 'bully' && orchestrators > 0) return; // Bully orchestrators have no log to agree on replacements: not simulated

    const watchers = [...this.hosts.values()].filter((h) => h.up && h.kind === 'orchestrator' && this.agentContext(h)?.duties.enabled === true);
    if (watchers.length > 0) return;
    const orchs = [...this.hosts.values()].filter((h) => h.kind === 'orchestrator').map((h) => h.id);
    const text =
      host.kind === 'server'
        ? orchs.length === 0
          ? `Nobody will replace ${host.id}: there is no orchestrator to watch the servers`
          : `Nobody will replace ${host.id}: the orchestrator${orchs.length === 1 ? '' : 's'} that watched it (${orchs.join(', ')}) ${orchs.length === 1 ? 'is' : 'are'} down, and nothing watches the watcher`
        : `${host.id} was the last orchestrator running: from now on no one watches the API servers, and no one is left to replace ${host.id} itself`;
    this.record({ atMs: this.now, type: 'unwatched', node: host.id, text });
  }

  private bringUp(host: NodeHost, reason: string): void {
    this.watchNotes.forget(host.id);
    this.record({ atMs: this.now, type: 'up', node: host.id, reason });
    this.perform(host, host.start(this.settings, this.scenario.topology, this.now));
  }
}
