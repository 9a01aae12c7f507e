/**
 * The kernel: a deterministic discrete-event simulator that knows no protocol. Virtual time is an
 * integer count of milliseconds; everything that will happen waits in one queue (event-queue.ts);
 * the only randomness is the seeded PRNG (src/sim/random), forked per subsystem. A run is
 * therefore a pure function of its inputs, the same in Node and in a browser worker.
 *
 * The kernel hosts nodes (node-host.ts, each running its program through a runner:
 * machines/runner.ts), arms their timers, routes their messages through the network module,
 * performs the effects every machine may emit (`send`, timers, `trace`) and stamps the trace. It
 * names no kind of node and no protocol: the world around it (src/sim/world) registers what else
 * it needs. A world module
 * - performs the other effects machines emit (`handle(type, …)`, one module per effect type),
 * - schedules its own items on the queue (`itemKind(kind, …)` gives a typed scheduler),
 * - watches the trace (`observe`), adds facts to a machine's trace (`annotate`), and hears of
 *   messages sent, arrived and delivered and of nodes going up and down (`onSend`, `onArrive`,
 *   `onDeliver`, `onUp`, `onDown`),
 * - gives a node a runner of its own (`addHost`), to run a second program beside its main one.
 */
import { ActorRunner } from '../machines/actor-runner';
import type { NodeKind, NodeProgram } from '../machines/program';
import type { Effect, Message, NodeEvent, NodeId, NodeTrace } from '../machines/protocol';
import type { Runner } from '../machines/runner';
import { Network, type DropReason, type Route } from '../network/network';
import { Prng } from '../random/prng';
import type { RegionRole, Settings, Topology } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';
import { EventQueue, Lane } from './event-queue';
import { NodeHost, SimulationError, type DownCause } from './node-host';

export { Lane };

/** The effects the kernel performs itself; a world module performs each of the others. */
type CoreEffect = Extract<Effect, { type: 'send' | 'set-timer' | 'set-random-timer' | 'cancel-timer' | 'trace' }>;
export type WorldEffect = Exclude<Effect, CoreEffect>;
export type EffectHandler<E extends WorldEffect> = (host: NodeHost, effect: E) => void;
/** Fields a world module adds to a machine's trace event as the kernel stamps it. */
export type Annotation = Readonly<Record<string, unknown>>;
/** Puts a world item on the queue: due at `atMs`, in the system's lane unless told otherwise. */
export type Schedule<P> = (atMs: number, payload: P, lane?: Lane) => void;
/** A message as it left, with its id (`onArrive` names it by that) and how the network routed it. */
export type SendTap = (host: NodeHost, to: NodeId, msg: Message, msgId: number, route: Route) => void;

type QueueItem =
  | {
      readonly kind: 'deliver';
      readonly msgId: number;
      readonly from: NodeId;
      readonly to: NodeId;
      readonly toIncarnation: number;
      /** Sent to a node that was down: it is taken only if that node booted in the millisecond it was sent (-1: not so). */
      readonly bootedAtMs: number;
      /** For an ordered (connection) message, the sender's life it belongs to; -1 for datagrams. */
      readonly fromIncarnation: number;
      readonly msg: Message;
    }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly incarnation: number; readonly name: string; readonly generation: number }
  /** An item of a kind a world module registered: `world` is its index in `worldItems`. */
  | { readonly kind: 'world'; readonly world: number; readonly payload: unknown };

export interface KernelOptions {
  readonly seed: number;
  readonly settings: Settings;
  /** Handed to every machine as it boots (its `ProgramInput`); the kernel itself never reads it. */
  readonly topology: Topology;
  /** Called with every trace event as it happens, after the observers. */
  readonly onTrace?: ((event: TraceEvent) => void) | undefined;
  /** Keep the whole trace in memory (default true); a long headless run streams it through `onTrace` instead. */
  readonly keepTrace?: boolean | undefined;
}

export class Kernel {
  readonly topology: Topology;
  readonly network: Network;
  readonly stats = { events: 0, messages: 0, dropped: 0 };
  private now = 0;
  private settingsNow: Settings;
  private readonly queue = new EventQueue<QueueItem>();
  private readonly hostsById = new Map<NodeId, NodeHost>();
  private readonly root: Prng;
  private readonly options: KernelOptions;
  private readonly traceLog: TraceEvent[] = [];
  private readonly keepTrace: boolean;
  /** While a world module asks (`deferring`), what happens waits here so the trace tells the cause first. */
  private deferredTrace: TraceEvent[] | null = null;
  private nextMsgId = 1;
  /**
   * The batches of effects being performed now, outermost first (a world module that performs an
   * effect by telling a node something at once starts a batch inside it), and how many of each are
   * still to come.
   */
  private readonly performing: { readonly host: NodeHost; left: number }[] = [];
  /** Events told to a node while some of its effects were still to come: it takes them once they are performed. */
  private readonly heldTells: { readonly host: NodeHost; readonly incarnation: number; readonly event: NodeEvent }[] = [];
  /** When each node last booted. */
  private readonly bootedAt = new Map<NodeId, number>();
  // What the world registered.
  private readonly effectHandlers = new Map<string, EffectHandler<WorldEffect>>();
  private readonly worldItems: { readonly kind: string; readonly run: (payload: unknown) => void }[] = [];
  private readonly observers: ((event: TraceEvent) => void)[] = [];
  private readonly annotators: ((host: NodeHost, event: NodeTrace) => Annotation | null)[] = [];
  private readonly sendTaps: SendTap[] = [];
  private readonly arriveTaps: ((msgId: number) => void)[] = [];
  private readonly deliverTaps: ((host: NodeHost, from: NodeId, msg: Message) => void)[] = [];
  private readonly upTaps: ((host: NodeHost) => void)[] = [];
  private readonly downTaps: ((host: NodeHost, cause: DownCause, wasUp: boolean) => void)[] = [];

  constructor(options: KernelOptions) {
    this.options = options;
    this.topology = options.topology;
    this.settingsNow = options.settings;
    this.keepTrace = options.keepTrace ?? true;
    this.root = new Prng(options.seed);
    this.network = new Network((id) => this.hostsById.get(id)?.region, this.settingsNow, this.root.fork('network'));
  }

  /** The options it was made with: a copy of the run's state leaves them out (they are its wiring). */
  get config(): KernelOptions {
    return this.options;
  }

  // ---- what the world registers -------------------------------------------------------------

  /** Performs effects of this type (one handler per type); a machine emitting one nobody handles is an error. */
  handle<T extends WorldEffect['type']>(type: T, handler: EffectHandler<Extract<WorldEffect, { type: T }>>): void {
    if (this.effectHandlers.has(type)) throw new Error(`the effect ${type} already has a handler`);
    this.effectHandlers.set(type, handler as EffectHandler<WorldEffect>);
  }

  /** Registers a kind of queue item; returns the function that schedules one, whose payload `run` gets when it is due. */
  itemKind<P>(kind: string, run: (payload: P) => void): Schedule<P> {
    if (this.worldItems.some((w) => w.kind === kind)) throw new Error(`the queue item kind ${kind} is already registered`);
    const world = this.worldItems.push({ kind, run: run as (payload: unknown) => void }) - 1;
    return (atMs, payload, lane = Lane.System) => this.queue.push(atMs, lane, { kind: 'world', world, payload });
  }

  /** Sees every trace event as it is recorded, in the order observers were registered. */
  observe(observer: (event: TraceEvent) => void): void {
    this.observers.push(observer);
  }

  /** Adds fields to a machine's trace event as it is stamped (`null`: nothing to add). */
  annotate(annotator: (host: NodeHost, event: NodeTrace) => Annotation | null): void {
    this.annotators.push(annotator);
  }

  /** Hears of every message a node sends, as the network routed it. */
  onSend(tap: SendTap): void {
    this.sendTaps.push(tap);
  }

  /** Hears of every message that reached the end of its link, by id, before the kernel takes or drops it there. */
  onArrive(tap: (msgId: number) => void): void {
    this.arriveTaps.push(tap);
  }

  /** Hears of every message a node took, after its machine took it and before its effects are performed. */
  onDeliver(tap: (host: NodeHost, from: NodeId, msg: Message) => void): void {
    this.deliverTaps.push(tap);
  }

  /** Hears of a node about to boot (before its `up` is traced). */
  onUp(tap: (host: NodeHost) => void): void {
    this.upTaps.push(tap);
  }

  /** Hears of a node stopped (after its `down` is traced); `wasUp` is false for a node already down. */
  onDown(tap: (host: NodeHost, cause: DownCause, wasUp: boolean) => void): void {
    this.downTaps.push(tap);
  }

  // ---- time ---------------------------------------------------------------------------------

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

  get settings(): Settings {
    return this.settingsNow;
  }

  set settings(settings: Settings) {
    this.settingsNow = settings;
    this.network.setSettings(settings);
  }

  // ---- hosts --------------------------------------------------------------------------------

  /**
   * Hosts a new node (down until `bringUp`); its randomized timers draw from its own fork of the
   * seed. It runs `program` as one XState actor unless given a runner of its own.
   */
  addHost(id: NodeId, kind: NodeKind, region: RegionRole, program: NodeProgram, peers: readonly NodeId[], runner: Runner | null): NodeHost {
    const host = new NodeHost(id, kind, region, program, peers, this.root.fork(`node:${id}`), runner ?? new ActorRunner(id, program));
    this.hostsById.set(id, host);
    return host;
  }

  /** Forgets a node that never booted (a machine that was never created after all). */
  removeHost(id: NodeId): void {
    this.hostsById.delete(id);
  }

  host(id: NodeId): NodeHost | undefined {
    return this.hostsById.get(id);
  }

  /** Every hosted node, in the order they were added. */
  hosts(): IterableIterator<NodeHost> {
    return this.hostsById.values();
  }

  bringUp(host: NodeHost, reason: string): void {
    for (const tap of this.upTaps) tap(host);
    this.bootedAt.set(host.id, this.now);
    this.record({ atMs: this.now, type: 'up', node: host.id, reason });
    this.perform(host, host.start(this.settingsNow, this.topology, this.now));
  }

  takeDown(host: NodeHost, cause: DownCause, loseDisk: boolean, reason: string): void {
    const wasUp = host.up;
    host.stop(cause, loseDisk);
    if (wasUp || loseDisk) this.record({ atMs: this.now, type: 'down', node: host.id, reason, diskLost: host.diskLost });
    for (const tap of this.downTaps) tap(host, cause, wasUp);
  }

  /**
   * Hands an event to a running node and performs what its machine answers. A node told something
   * while some of its own effects are still to be performed (the cloud answering its API call at
   * once, before the effects it emitted after that call) takes it after the last of them, in the
   * same millisecond: its effects are performed in the order it emitted them, never around what
   * they caused (else a leader's log trace of index 27 came out before that of 26, and a timer it
   * armed after asking was armed after the cancel it issued on the answer). Told something in
   * answer to its last effect, it takes it at once: nothing of its own is left to come first.
   */
  tell(host: NodeHost, event: NodeEvent): void {
    if (this.hasEffectsToCome(host)) this.heldTells.push({ host, incarnation: host.incarnation, event });
    else this.perform(host, host.deliver(event, this.now));
  }

  private hasEffectsToCome(host: NodeHost): boolean {
    return this.performing.some((batch) => batch.host === host && batch.left > 0);
  }

  // ---- the queue's items --------------------------------------------------------------------

  private process(item: QueueItem): void {
    switch (item.kind) {
      case 'deliver':
        return this.deliver(item);
      case 'timer': {
        const host = this.hostsById.get(item.node);
        if (!host || !host.up || host.incarnation !== item.incarnation || host.timers.get(item.name)?.generation !== item.generation) return;
        host.disarmTimer(item.name);
        return this.tell(host, { type: 'timer', name: item.name });
      }
      case 'world':
        return this.worldItems[item.world]!.run(item.payload);
    }
  }

  private deliver(item: Extract<QueueItem, { kind: 'deliver' }>): void {
    for (const tap of this.arriveTaps) tap(item.msgId);
    const host = this.hostsById.get(item.to);
    const sender = this.hostsById.get(item.from);
    const connectionDied = item.fromIncarnation >= 0 && sender?.incarnation !== item.fromIncarnation;
    const bootedInTime = item.bootedAtMs < 0 || this.bootedAt.get(item.to) === item.bootedAtMs;
    const reason: DropReason | null =
      this.network.blockedReason(item.from, item.to) ??
      (!host || !host.up || host.incarnation !== item.toIncarnation || !bootedInTime || connectionDied ? 'down' : null);
    if (reason) {
      this.stats.dropped++;
      return;
    }
    const effects = host!.deliver({ type: 'message', from: item.from, msg: item.msg }, this.now);
    for (const tap of this.deliverTaps) tap(host!, item.from, item.msg);
    this.perform(host!, effects);
  }

  // ---- effects ------------------------------------------------------------------------------

  perform(host: NodeHost, effects: readonly Effect[]): void {
    const batch = { host, left: effects.length };
    this.performing.push(batch);
    try {
      for (const effect of effects) {
        batch.left--;
        this.performOne(host, effect);
      }
    } finally {
      this.performing.pop();
    }
    if (this.heldTells.length > 0) this.deliverHeld(host);
  }

  /** Delivers, in the order told, what `host` was told while its effects were to come; dropped if it went down or restarted meanwhile. */
  private deliverHeld(host: NodeHost): void {
    for (let i = 0; i < this.heldTells.length && !this.hasEffectsToCome(host); ) {
      const held = this.heldTells[i]!;
      if (held.host !== host) {
        i++;
        continue;
      }
      this.heldTells.splice(i, 1);
      if (host.up && host.incarnation === held.incarnation) this.tell(host, held.event);
    }
  }

  private performOne(host: NodeHost, effect: Effect): void {
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
      case 'trace':
        this.stamp(host, effect.event);
        break;
      default: {
        const handler = this.effectHandlers.get(effect.type);
        if (!handler) throw new SimulationError(`${host.id} emitted ${effect.type}, which no part of the world performs`, this.now, host.id);
        handler(host, effect);
      }
    }
  }

  private armTimer(host: NodeHost, name: string, afterMs: number): void {
    const delayMs = Math.max(1, Math.round(afterMs));
    const generation = host.armTimer(name, this.now, this.now + delayMs);
    this.queue.push(this.now + delayMs, Lane.System, { kind: 'timer', node: host.id, incarnation: host.incarnation, name, generation });
  }

  private send(host: NodeHost, to: NodeId, msg: Message, ordered: boolean): void {
    const target = this.hostsById.get(to);
    const msgId = this.nextMsgId++;
    this.stats.messages++;
    const route = this.network.route(host.id, to, this.now, ordered);
    for (const tap of this.sendTaps) tap(host, to, msg, msgId, route);
    if (!route.ok) {
      this.stats.dropped++;
      return;
    }
    // A node down now may still boot later in this same millisecond (nodes booting together, one
    // greeting the others): the message is meant for that life, which is up before it arrives.
    const toIncarnation = !target ? -1 : target.up ? target.incarnation : target.incarnation + 1;
    const bootedAtMs = target?.up === false ? this.now : -1;
    const fromIncarnation = ordered ? host.incarnation : -1;
    this.queue.push(route.deliverAtMs, Lane.System, { kind: 'deliver', msgId, from: host.id, to, toIncarnation, bootedAtMs, fromIncarnation, msg });
  }

  // ---- the trace ----------------------------------------------------------------------------

  /** Stamps a machine's trace event with the time and the node, plus what the world annotates. */
  private stamp(host: NodeHost, event: NodeTrace): void {
    let extra: Annotation | null = null;
    for (const annotator of this.annotators) {
      const more = annotator(host, event);
      if (more !== null) extra = extra === null ? more : Object.assign({}, extra, more);
    }
    const stamped = { atMs: this.now, node: host.id, ...event };
    // A `promoted` event is whole only with what the world annotates (see trace.ts).
    this.record((extra === null ? stamped : { ...stamped, ...extra }) as TraceEvent);
  }

  record(event: TraceEvent): void {
    if (this.deferredTrace) {
      this.deferredTrace.push(event);
      return;
    }
    if (this.keepTrace) this.traceLog.push(event);
    for (const observer of this.observers) observer(event);
    this.options.onTrace?.(event);
  }

  /** Runs `act`, holding back what it traces; returns its result and the events held back, for the caller to record after its own. */
  deferring<T>(act: () => T): { result: T; deferred: TraceEvent[] } {
    const deferred: TraceEvent[] = [];
    this.deferredTrace = deferred;
    try {
      return { result: act(), deferred };
    } finally {
      this.deferredTrace = null;
    }
  }

  /** Every trace event so far (empty when made with `keepTrace: false`). */
  get trace(): readonly TraceEvent[] {
    return this.traceLog;
  }
}
