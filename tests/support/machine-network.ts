/**
 * The one stand-in for the kernel that machine tests drive by hand (after etcd's raft_test.go
 * network): every node is an XState actor of its program, what it emits is kept per node, and
 * nothing happens until the test says so.
 *
 * - Messages wait in `inFlight` until the test delivers (in any order), drops or duplicates them;
 *   a message to a down node or across a cut link is lost at delivery, as on the real network.
 *   Messages to ids the test declares outside (`isOutside`: an orchestrator a database answers)
 *   are kept in `outside` instead.
 * - A timer fires only when the test fires it, and only if the machine armed it.
 * - Or, with `latencyMs`, on a virtual clock: `advance(ms)` delivers each message `latencyMs` after
 *   it was sent and fires each timer when it is due, in time order (ties in the order scheduled);
 *   a re-armed or cancelled timer's earlier firing is ignored, and an ordered message dies with its
 *   sender's connection (the sender crashed or restarted since).
 * - A crash keeps what the program says is on disk; a wipe loses it (the next boot is told so).
 *
 * Each area's harness (tests/unit/<area>/harness.ts) extends this with its protocol's scripts and
 * readings (an election, a WAL tick, a health-check round) and its effects (replies, fences).
 */
import { createActor, type AnyActorRef, type AnyMachineSnapshot } from 'xstate';
import type { NodeFacts, NodeProgram, ProgramInput } from '../../src/sim/machines/program';
import type { Effect, EffectBatch, Message, NodeEvent, NodeId, NodeTrace, NodeView } from '../../src/sim/machines/protocol';
import type { Settings, Topology } from '../../src/sim/scenario/types';

export interface Envelope<M extends Message = Message> {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: M;
  /** On the clock only: a connection's message, which dies with its sender. */
  readonly ordered?: boolean;
}

/** One line of the network's history: a node's trace, or the node going down or coming up. */
export type TimelineEntry = { readonly node: NodeId; readonly trace: NodeTrace } | { readonly node: NodeId; readonly lifecycle: 'down' | 'up' };

export interface NetworkOptions {
  readonly settings: Settings;
  readonly topology: Topology;
  /** Ids that are not hosted here; what is sent to them lands in `outside`. */
  readonly isOutside?: (id: NodeId) => boolean;
  /** Run on a virtual clock: each message takes this long. Without it, the test delivers by hand. */
  readonly latencyMs?: number;
}

interface ArmedTimer {
  readonly effect: Extract<Effect, { type: 'set-timer' | 'set-random-timer' }>;
  readonly generation: number;
}

interface Host {
  readonly program: NodeProgram;
  readonly peers: readonly NodeId[];
  actor: AnyActorRef | null;
  disk: unknown;
  wiped: boolean;
  incarnation: number;
  readonly timers: Map<string, ArmedTimer>;
  readonly effects: Effect[];
  readonly traces: NodeTrace[];
}

type Scheduled =
  | { readonly atMs: number; readonly order: number; readonly kind: 'deliver'; readonly envelope: Envelope; readonly incarnation: number }
  | { readonly atMs: number; readonly order: number; readonly kind: 'timer'; readonly node: NodeId; readonly name: string; readonly generation: number };

type Unordered<T> = T extends unknown ? Omit<T, 'order'> : never;

export class MachineNetwork<M extends Message = Message> {
  readonly settings: Settings;
  readonly topology: Topology;
  /** Messages sent and not yet delivered or dropped, oldest first (by hand, without a clock). */
  inFlight: Envelope<M>[] = [];
  /** Messages to ids declared outside, in order. */
  readonly outside: Envelope<M>[] = [];
  /** Every message sent, in order. */
  readonly sent: Envelope<M>[] = [];
  /** Every message delivered, in order. */
  readonly delivered: Envelope<M>[] = [];
  /** Every trace and every crash and restart, in the order they happened (what a kernel's trace would hold). */
  readonly timeline: TimelineEntry[] = [];
  /** The virtual clock (with `latencyMs`). */
  now = 0;
  private readonly hosts = new Map<NodeId, Host>();
  private readonly cutLinks = new Set<string>();
  private groups: readonly (readonly NodeId[])[] | null = null;
  private readonly isOutside: (id: NodeId) => boolean;
  private readonly latencyMs: number | null;
  private scheduled: Scheduled[] = [];
  private order = 0;
  private generation = 0;

  constructor(options: NetworkOptions) {
    this.settings = options.settings;
    this.topology = options.topology;
    this.isOutside = options.isOutside ?? (() => false);
    this.latencyMs = options.latencyMs ?? null;
  }

  // --- processes

  /** Adds a node (not started): its program, its peers, and what is on its disk. */
  add(id: NodeId, program: NodeProgram, peers: readonly NodeId[], disk: unknown = null): void {
    if (this.hosts.has(id)) throw new Error(`${id} exists`);
    this.hosts.set(id, { program, peers, actor: null, disk, wiped: false, incarnation: 0, timers: new Map(), effects: [], traces: [] });
  }

  /** Boots (or restarts) a node from the disk it has. */
  start(id: NodeId): void {
    const host = this.host(id);
    if (host.actor) throw new Error(`${id} is running`);
    this.timeline.push({ node: id, lifecycle: 'up' });
    const input: ProgramInput<unknown> = { id, peers: host.peers, disk: host.disk, settings: this.settings, topology: this.topology, diskWiped: host.wiped };
    const actor = createActor(host.program.machine, { input });
    host.timers.clear();
    host.incarnation++;
    host.actor = actor;
    actor.on('*', (emitted: Effect | EffectBatch) => {
      if (emitted.type !== 'effects') this.perform(id, host, emitted);
      else for (const effect of emitted.effects) this.perform(id, host, effect);
    });
    actor.start();
    host.wiped = false;
    this.checkHealthy(id, actor);
  }

  /** Adds a node and boots it. */
  boot(id: NodeId, program: NodeProgram, peers: readonly NodeId[], disk: unknown = null): void {
    this.add(id, program, peers, disk);
    this.start(id);
  }

  /** The process dies; its disk survives. Returns the disk. */
  crash(id: NodeId): unknown {
    const host = this.host(id);
    if (!host.actor) throw new Error(`${id} is down`);
    host.disk = host.program.diskOf(host.actor.getSnapshot());
    host.actor.stop();
    host.actor = null;
    host.timers.clear();
    this.timeline.push({ node: id, lifecycle: 'down' });
    return host.disk;
  }

  /** The disk fails: the node dies (if it was up) and its data is gone; its next boot is told. */
  wipe(id: NodeId): void {
    if (this.isUp(id)) this.crash(id);
    const host = this.host(id);
    host.disk = null;
    host.wiped = true;
  }

  restart(id: NodeId): void {
    this.start(id);
  }

  has(id: NodeId): boolean {
    return this.hosts.has(id);
  }

  isUp(id: NodeId): boolean {
    return this.hosts.get(id)?.actor != null;
  }

  /** What a node has on disk: read off the running machine, or what it left when it went down. */
  diskOf(id: NodeId): unknown {
    const host = this.host(id);
    return host.actor ? host.program.diskOf(host.actor.getSnapshot()) : host.disk;
  }

  /** What a node left on disk when it last went down (null before, or after a wipe). */
  storedDisk(id: NodeId): unknown {
    return this.host(id).disk;
  }

  // --- effects

  private perform(id: NodeId, host: Host, effect: Effect): void {
    host.effects.push(effect);
    switch (effect.type) {
      case 'send': {
        const envelope: Envelope<M> =
          this.latencyMs === null ? { from: id, to: effect.to, msg: effect.msg as M } : { from: id, to: effect.to, msg: effect.msg as M, ordered: effect.ordered ?? false };
        this.sent.push(envelope);
        if (this.outsideOf(effect.to)) this.outside.push(envelope);
        else if (this.latencyMs === null) this.inFlight.push(envelope);
        else this.schedule({ atMs: this.now + this.latencyMs, kind: 'deliver', envelope, incarnation: host.incarnation });
        return;
      }
      case 'set-timer':
      case 'set-random-timer': {
        const generation = ++this.generation;
        host.timers.set(effect.name, { effect, generation });
        if (this.latencyMs !== null) {
          const afterMs = effect.type === 'set-timer' ? effect.afterMs : effect.minMs;
          if (!(afterMs >= 1)) throw new Error(`${id} armed ${effect.name} for ${afterMs} ms`);
          this.schedule({ atMs: this.now + afterMs, kind: 'timer', node: id, name: effect.name, generation });
        }
        return;
      }
      case 'cancel-timer':
        host.timers.delete(effect.name);
        return;
      case 'trace':
        host.traces.push(effect.event);
        this.timeline.push({ node: id, trace: effect.event });
        this.performed(id, effect);
        return;
      default:
        this.performed(id, effect);
    }
  }

  /** Whether messages to `id` land in `outside` (by default, as the options say). */
  protected outsideOf(id: NodeId): boolean {
    return this.isOutside(id);
  }

  /** Each effect that is not a send or a timer, as it is emitted (a harness records replies here). */
  protected performed(_id: NodeId, _effect: Effect): void {}

  /** After each event a node took, once its effects are performed (a harness answers fences here). */
  protected settled(_id: NodeId): void {}

  private checkHealthy(id: NodeId, actor: AnyActorRef): void {
    const snapshot = actor.getSnapshot() as { status?: string; error?: unknown };
    if (snapshot.status === 'error') throw snapshot.error instanceof Error ? snapshot.error : new Error(`${id}: ${String(snapshot.error)}`);
  }

  // --- events

  /** Hands an event to a running node. */
  send(id: NodeId, event: NodeEvent<M>): void {
    const actor = this.host(id).actor;
    if (!actor) throw new Error(`${id} is down`);
    actor.send(event);
    this.checkHealthy(id, actor);
    this.settled(id);
  }

  armedTimers(id: NodeId): string[] {
    return [...this.host(id).timers.keys()];
  }

  isArmed(id: NodeId, timer: string): boolean {
    return this.hosts.get(id)?.timers.has(timer) ?? false;
  }

  /** The effect that armed a timer, to read its duration; undefined when not armed. */
  timerEffect(id: NodeId, timer: string): ArmedTimer['effect'] | undefined {
    return this.host(id).timers.get(timer)?.effect;
  }

  /** How long a timer was armed for (a random one: its shortest). */
  armedAfterMs(id: NodeId, timer: string): number | undefined {
    const effect = this.hosts.get(id)?.timers.get(timer)?.effect;
    return effect === undefined ? undefined : effect.type === 'set-timer' ? effect.afterMs : effect.minMs;
  }

  /** Fires an armed timer of `id` (a test cannot fire one the machine did not ask for). */
  fire(id: NodeId, timer: string): void {
    if (!this.isArmed(id, timer)) throw new Error(`${id} has no ${timer} timer armed (armed: ${this.armedTimers(id).join(', ') || 'none'})`);
    this.host(id).timers.delete(timer);
    this.send(id, { type: 'timer', name: timer });
  }

  /** Fires `timer` on `id` if it is up and armed; returns whether it did. */
  fireIfArmed(id: NodeId, timer: string): boolean {
    if (!this.isUp(id) || !this.isArmed(id, timer)) return false;
    this.fire(id, timer);
    return true;
  }

  // --- the network

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  /** Cuts every link between `group` and every other node hosted here. */
  isolate(...group: NodeId[]): void {
    for (const a of group) for (const b of this.hosts.keys()) if (!group.includes(b)) this.cut(a, b);
  }

  isCut(a: NodeId, b: NodeId): boolean {
    return this.cutLinks.has(`${a}|${b}`);
  }

  /** Nodes in different groups cannot reach each other (nodes named in no group form one more). */
  partition(...groups: NodeId[][]): void {
    this.groups = groups;
  }

  /** Every cut link and partition healed. */
  heal(): void {
    this.cutLinks.clear();
    this.groups = null;
  }

  canReach(a: NodeId, b: NodeId): boolean {
    if (this.isCut(a, b)) return false;
    if (!this.groups) return true;
    const side = (id: NodeId) => this.groups!.findIndex((group) => group.includes(id));
    return side(a) === side(b);
  }

  /** Delivers (or, across a cut or to a down node, loses) the message at `index` of the in-flight list. */
  deliverAt(index: number): Envelope<M> {
    const [envelope] = this.inFlight.splice(index, 1);
    if (!envelope) throw new Error(`no message at ${index}`);
    this.arrive(envelope);
    return envelope;
  }

  private arrive(envelope: Envelope<M>): void {
    if (!this.isUp(envelope.to) || !this.canReach(envelope.from, envelope.to)) return;
    this.delivered.push(envelope);
    this.send(envelope.to, { type: 'message', from: envelope.from, msg: envelope.msg });
  }

  /** Delivers the oldest message matching `match`; returns it. */
  deliverFirst(match: (e: Envelope<M>) => boolean): Envelope<M> {
    const index = this.inFlight.findIndex(match);
    if (index < 0) throw new Error('no such message in flight');
    return this.deliverAt(index);
  }

  /** Delivers in order until nothing is in flight (the answers too). */
  deliverAll(limit = 100_000): void {
    for (let i = 0; this.inFlight.length > 0; i++) {
      if (i >= limit) throw new Error('messages keep flowing');
      this.deliverAt(0);
    }
  }

  /** Sends a copy of an in-flight message again, as a retry or a duplicating network would. */
  duplicate(index: number): void {
    const envelope = this.inFlight[index];
    if (!envelope) throw new Error(`no message at ${index}`);
    this.inFlight.push(envelope);
  }

  /** Drops the messages in flight that match; returns them. */
  drop(match: (e: Envelope<M>) => boolean): Envelope<M>[] {
    const dropped = this.inFlight.filter(match);
    this.inFlight = this.inFlight.filter((e) => !match(e));
    return dropped;
  }

  // --- the clock (with `latencyMs`)

  private schedule(item: Unordered<Scheduled>): void {
    this.scheduled.push({ ...item, order: this.order++ } as Scheduled);
  }

  /** Runs everything due up to `now + ms`, in time order. */
  advance(ms: number): void {
    const until = this.now + ms;
    for (let steps = 0; ; steps++) {
      if (steps > 1_000_000) throw new Error('events keep coming');
      const next = this.popDue(until);
      if (next === null) break;
      this.now = next.atMs;
      this.process(next);
    }
    this.now = until;
  }

  private popDue(until: number): Scheduled | null {
    let best = -1;
    for (let i = 0; i < this.scheduled.length; i++) {
      const s = this.scheduled[i]!;
      if (s.atMs > until) continue;
      const b = this.scheduled[best];
      if (b === undefined || s.atMs < b.atMs || (s.atMs === b.atMs && s.order < b.order)) best = i;
    }
    return best < 0 ? null : this.scheduled.splice(best, 1)[0]!;
  }

  private process(item: Scheduled): void {
    if (item.kind === 'timer') {
      const host = this.hosts.get(item.node);
      if (!host?.actor || host.timers.get(item.name)?.generation !== item.generation) return;
      host.timers.delete(item.name);
      return this.send(item.node, { type: 'timer', name: item.name });
    }
    const { envelope } = item;
    // An ordered message dies with its sender's connection: the sender crashed (or restarted) since.
    if (envelope.ordered && (!this.isUp(envelope.from) || this.host(envelope.from).incarnation !== item.incarnation)) return;
    this.arrive(envelope as Envelope<M>);
  }

  // --- reading the nodes

  protected host(id: NodeId): Host {
    const host = this.hosts.get(id);
    if (!host) throw new Error(`no node ${id}`);
    return host;
  }

  /** The running machine's snapshot. */
  snapshot(id: NodeId): AnyMachineSnapshot {
    const actor = this.host(id).actor;
    if (!actor) throw new Error(`${id} is down`);
    return actor.getSnapshot() as AnyMachineSnapshot;
  }

  /** The running machine's context. */
  contextOf<C>(id: NodeId): C {
    return this.snapshot(id).context as C;
  }

  /** The running machine's state, as a string. */
  stateOf(id: NodeId): string {
    return String(this.snapshot(id).value);
  }

  /** The node as the page would see it while it runs. */
  viewOf(id: NodeId): NodeView {
    const host = this.host(id);
    if (!host.actor) throw new Error(`${id} is down`);
    return host.program.view(host.actor.getSnapshot());
  }

  /** The running machine's typed facts, as the world reads them. */
  factsOf(id: NodeId): NodeFacts {
    const host = this.host(id);
    if (!host.actor) throw new Error(`${id} is down`);
    return host.program.facts?.(host.actor.getSnapshot()) ?? {};
  }

  /** Every effect a node emitted, across its lives. */
  effectsOf(id: NodeId): Effect[] {
    return this.host(id).effects;
  }

  /** Every trace a node reported, across its lives. */
  tracesOf(id: NodeId): NodeTrace[] {
    return this.host(id).traces;
  }

  tracesOfType<T extends NodeTrace['type']>(id: NodeId, type: T): Extract<NodeTrace, { type: T }>[] {
    return this.tracesOf(id).filter((t): t is Extract<NodeTrace, { type: T }> => t.type === type);
  }
}

/** Matches messages to `to` (of one type, if given). */
export function messageTo<M extends Message>(to: NodeId, type?: M['type']): (e: Envelope<M>) => boolean {
  return (e) => e.to === to && (type === undefined || e.msg.type === type);
}

/** Matches messages from `from` (of one type, if given). */
export function messageFrom<M extends Message>(from: NodeId, type?: M['type']): (e: Envelope<M>) => boolean {
  return (e) => e.from === from && (type === undefined || e.msg.type === type);
}
