/**
 * A tiny stand-in for the kernel, for driving the load balancer and the API servers together on
 * virtual time: every node is an XState actor, a message arrives `LATENCY_MS` after it is sent,
 * timers fire when `advance` reaches them, and both go in time order (ties in the order they were
 * scheduled). A crash stops the actor, forgets its timers and kills the ordered messages it still
 * had on the way (its connections die with it); messages to a node that is down are lost. The test
 * plays the database (`db-write` effects wait in `dbWrites` until `dbReply`) and the orchestrators
 * (`fromOutside`); messages to nodes that are not hosted here are kept in `outside`.
 */
import { createActor, type Actor, type AnyStateMachine } from 'xstate';
import { loadBalancerProgram } from '../../../src/sim/machines/load-balancer/program';
import type { LoadBalancerContext, LoadBalancerDisk } from '../../../src/sim/machines/load-balancer/types';
import { serverProgram } from '../../../src/sim/machines/server/program';
import type { ServerContext, ServerMessage } from '../../../src/sim/machines/server/types';
import type { NodeProgram, ProgramInput } from '../../../src/sim/machines/program';
import type { Effect, NodeEvent, NodeId, NodeTrace, NodeView } from '../../../src/sim/machines/protocol';
import type { Settings, Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export const LATENCY_MS = 2;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: ServerMessage;
  readonly ordered: boolean;
}

export interface RequestReply {
  readonly atMs: number;
  readonly id: string;
  readonly ok: boolean;
  readonly server: NodeId | null;
  readonly reason: string | null;
}

export interface TierOptions {
  readonly servers?: number;
  readonly settings?: Partial<Settings>;
}

type Item =
  | { readonly kind: 'deliver'; readonly envelope: Envelope; readonly incarnation: number }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly name: string; readonly generation: number };

interface Scheduled {
  readonly atMs: number;
  readonly order: number;
  readonly item: Item;
}

interface Host {
  readonly actor: Actor<AnyStateMachine>;
  readonly program: NodeProgram;
  readonly incarnation: number;
  /** Timer name → its generation: a re-armed or cancelled timer's earlier firing is ignored. */
  readonly timers: Map<string, number>;
}

export class Tier {
  readonly settings: Settings;
  readonly topology: Topology;
  now = 0;
  readonly replies: RequestReply[] = [];
  /** `db-write` effects not yet answered: the server and the request id. */
  dbWrites: { server: NodeId; id: string }[] = [];
  /** Messages to nodes that are not hosted here (orchestrators), in order. */
  readonly outside: Envelope[] = [];
  /** Every message sent, in order. */
  readonly sent: Envelope[] = [];
  private readonly hosts = new Map<NodeId, Host>();
  private readonly disks = new Map<NodeId, unknown>();
  private readonly incarnations = new Map<NodeId, number>();
  private readonly traces = new Map<NodeId, NodeTrace[]>();
  private queue: Scheduled[] = [];
  private order = 0;
  private generation = 0;
  private requestCount = 0;

  constructor(options: TierOptions = {}) {
    const servers = options.servers ?? 3;
    this.settings = { ...TEST_SETTINGS, ...options.settings };
    this.topology = { ...TEST_TOPOLOGY, servers };
    this.boot('lb', loadBalancerProgram as NodeProgram);
    for (let k = 1; k <= servers; k++) this.boot(`api-${k}`, serverProgram as NodeProgram);
  }

  // --- processes

  private boot(id: NodeId, program: NodeProgram): void {
    const incarnation = (this.incarnations.get(id) ?? 0) + 1;
    this.incarnations.set(id, incarnation);
    const input: ProgramInput<unknown> = { id, peers: [], disk: this.disks.get(id) ?? null, settings: this.settings, topology: this.topology };
    const actor = createActor(program.machine, { input });
    const host: Host = { actor, program, incarnation, timers: new Map() };
    this.hosts.set(id, host);
    actor.on('*', (effect) => this.perform(id, host, effect as Effect<ServerMessage>));
    actor.start();
    this.checkHealthy(id);
  }

  /** A new API server (a replacement) starts, empty. */
  startServer(id: NodeId): void {
    if (this.hosts.has(id)) throw new Error(`${id} is running`);
    this.boot(id, serverProgram as NodeProgram);
  }

  /** The process dies; its disk stays (for the load balancer: its list). */
  crash(id: NodeId): void {
    const host = this.hostOf(id);
    this.disks.set(id, host.program.diskOf(host.actor.getSnapshot()));
    host.actor.stop();
    this.hosts.delete(id);
  }

  /** The disk fails: the node dies and what it kept is gone. */
  wipe(id: NodeId): void {
    if (this.isUp(id)) this.crash(id);
    this.disks.delete(id);
  }

  restart(id: NodeId): void {
    if (this.hosts.has(id)) throw new Error(`${id} is running`);
    this.boot(id, id === 'lb' ? (loadBalancerProgram as NodeProgram) : (serverProgram as NodeProgram));
  }

  isUp(id: NodeId): boolean {
    return this.hosts.has(id);
  }

  private perform(id: NodeId, host: Host, effect: Effect<ServerMessage>): void {
    switch (effect.type) {
      case 'send': {
        const envelope = { from: id, to: effect.to, msg: effect.msg, ordered: effect.ordered ?? false };
        this.sent.push(envelope);
        if (!this.incarnations.has(effect.to)) this.outside.push(envelope);
        else this.schedule(this.now + LATENCY_MS, { kind: 'deliver', envelope, incarnation: host.incarnation });
        return;
      }
      case 'set-timer':
        return this.arm(id, host, effect.name, effect.afterMs);
      case 'set-random-timer':
        throw new Error('the stateless tier needs no randomness');
      case 'cancel-timer':
        host.timers.delete(effect.name);
        return;
      case 'trace':
        this.tracesOf(id).push(effect.event);
        return;
      case 'request-reply':
        this.replies.push({ atMs: this.now, id: effect.id, ok: effect.ok, server: effect.server, reason: effect.reason });
        return;
      case 'db-write':
        this.dbWrites.push({ server: id, id: effect.id });
        return;
      default:
        throw new Error(`unexpected effect ${effect.type} from ${id}`);
    }
  }

  private arm(id: NodeId, host: Host, name: string, afterMs: number): void {
    if (!(afterMs >= 1)) throw new Error(`${id} armed ${name} for ${afterMs} ms`);
    const generation = ++this.generation;
    host.timers.set(name, generation);
    this.schedule(this.now + afterMs, { kind: 'timer', node: id, name, generation });
  }

  private schedule(atMs: number, item: Item): void {
    this.queue.push({ atMs, order: this.order++, item });
  }

  private checkHealthy(id: NodeId): void {
    const snapshot = this.hostOf(id).actor.getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error;
  }

  private send(id: NodeId, event: NodeEvent<ServerMessage>): void {
    this.hostOf(id).actor.send(event);
    this.checkHealthy(id);
  }

  // --- time

  /** Runs everything due up to `now + ms`, in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let steps = 0; ; steps++) {
      if (steps > 1_000_000) throw new Error('events keep coming');
      const next = this.popDue(until);
      if (next === null) break;
      this.now = next.atMs;
      this.process(next.item);
    }
    this.now = until;
  }

  private popDue(until: number): Scheduled | null {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const s = this.queue[i]!;
      if (s.atMs > until) continue;
      const b = this.queue[best];
      if (b === undefined || s.atMs < b.atMs || (s.atMs === b.atMs && s.order < b.order)) best = i;
    }
    if (best < 0) return null;
    return this.queue.splice(best, 1)[0]!;
  }

  private process(item: Item): void {
    if (item.kind === 'timer') {
      const host = this.hosts.get(item.node);
      if (!host || host.timers.get(item.name) !== item.generation) return;
      host.timers.delete(item.name);
      return this.send(item.node, { type: 'timer', name: item.name });
    }
    const { envelope } = item;
    // An ordered message dies with its sender's connection: the sender crashed (or restarted) since.
    if (envelope.ordered && (!this.isUp(envelope.from) || this.incarnations.get(envelope.from) !== item.incarnation)) return;
    if (!this.isUp(envelope.to)) return;
    this.send(envelope.to, { type: 'message', from: envelope.from, msg: envelope.msg });
  }

  // --- the outside world

  /** A client request to the load balancer; returns its id (r-1, w-2, …). */
  request(write = false, avoid: string | null = null): string {
    const id = `${write ? 'w' : 'r'}-${++this.requestCount}`;
    this.send('lb', avoid === null ? { type: 'request', id, write } : { type: 'request', id, write, avoid });
    return id;
  }

  /** The database answers a server's `db-write`. */
  dbReply(id: string, ok = true, reason: string | null = null): void {
    const pending = this.dbWrites.find((w) => w.id === id);
    if (!pending) throw new Error(`no db-write ${id} is waiting`);
    this.dbWrites = this.dbWrites.filter((w) => w !== pending);
    if (this.isUp(pending.server)) this.send(pending.server, { type: 'db-reply', id, ok, reason });
  }

  /** A message from a node not hosted here (an orchestrator), delivered at once. */
  fromOutside(from: NodeId, to: NodeId, msg: ServerMessage): void {
    this.send(to, { type: 'message', from, msg });
  }

  // --- reading the nodes

  private hostOf(id: NodeId): Host {
    const host = this.hosts.get(id);
    if (!host) throw new Error(`${id} is down`);
    return host;
  }

  lb(): LoadBalancerContext {
    return this.hostOf('lb').actor.getSnapshot().context as LoadBalancerContext;
  }

  server(id: NodeId): ServerContext {
    return this.hostOf(id).actor.getSnapshot().context as ServerContext;
  }

  view(id: NodeId): NodeView {
    const host = this.hostOf(id);
    return host.program.view(host.actor.getSnapshot());
  }

  lbDisk(): LoadBalancerDisk {
    const host = this.hostOf('lb');
    return host.program.diskOf(host.actor.getSnapshot()) as LoadBalancerDisk;
  }

  inRotation(): NodeId[] {
    return this.lb()
      .backends.filter((b) => b.inRotation)
      .map((b) => b.server);
  }

  isArmed(id: NodeId, name: string): boolean {
    return this.hostOf(id).timers.has(name);
  }

  tracesOf(id: NodeId): NodeTrace[] {
    let list = this.traces.get(id);
    if (!list) this.traces.set(id, (list = []));
    return list;
  }

  tracesOfType<T extends NodeTrace['type']>(id: NodeId, type: T): Extract<NodeTrace, { type: T }>[] {
    return this.tracesOf(id).filter((t): t is Extract<NodeTrace, { type: T }> => t.type === type);
  }

  replyTo(id: string): RequestReply | undefined {
    return this.replies.find((r) => r.id === id);
  }

  sentOfType<T extends ServerMessage['type']>(type: T, to?: NodeId): Envelope[] {
    return this.sent.filter((e) => e.msg.type === type && (to === undefined || e.to === to));
  }
}
