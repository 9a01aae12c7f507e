/**
 * One simulated machine: its identity, whether it is up, its disk, and while up the running
 * XState actor of its program. The host turns the actor's emitted effects into a list the kernel
 * performs after each event, so a machine never re-enters the kernel while it is deciding.
 *
 * A node may also run a companion program beside its main one (an orchestrator agent beside its
 * Raft member, as a Patroni agent runs beside its etcd member). The companion lives and dies with
 * the node, has timers of its own (named `agent:…` on the kernel's clock), takes the message types
 * its program `handles`, and talks to the main actor only through the host: its `local-propose`
 * becomes a `propose` for the main actor, whose answer comes back as `member-reply`, and the main
 * actor's `role`, `leader` and `apply` traces reach it as `member` events.
 */
import { Actor, createActor, type AnyActorRef, type Snapshot } from 'xstate';
import type { NodeFacts, NodeKind, NodeProgram, ProgramInput } from '../machines/program';
import type { Effect, EffectBatch, NodeEvent, NodeId, NodeView } from '../machines/protocol';
import type { RegionRole, Settings, Topology } from '../scenario/types';
import type { Prng } from './prng';
import { StatechartWatch, type LiveStatechart } from '../machines/statechart';

export class SimulationError extends Error {
  constructor(
    message: string,
    readonly atMs: number,
    readonly node: NodeId | null,
  ) {
    super(message);
    this.name = 'SimulationError';
  }
}

export type DownCause = 'crash' | 'wipe-disk' | 'region-down' | 'fenced';

/** Timers of the companion carry this prefix on the kernel's clock, so both actors may use any name. */
const COMPANION_TIMER = 'agent:';
/** Main-actor traces the companion hears of. */
const FORWARDED_TRACES = new Set(['role', 'leader', 'commit', 'apply']);
/** Local events that only the companion takes. */
const COMPANION_EVENTS = new Set(['member', 'member-reply', 'fence-result', 'cloud-status']);
/** A bound on effects one event may cause between the two actors, so a loop between them fails loudly. */
const MAX_LOCAL_EFFECTS = 100_000;
const NO_FACTS: NodeFacts = {};

/** A node's running actors as XState persists them (null while down): what a checkpoint keeps of its machines. */
export interface SavedActors {
  readonly main: Snapshot<unknown> | null;
  readonly companion: Snapshot<unknown> | null;
}

/** A running XState actor: a checkpoint saves it as its persisted snapshot, never field by field. */
export function isActor(value: object): boolean {
  return value instanceof Actor;
}

/** Queues what an actor emitted: one effect, or a step's batch of them in order. */
function collect(emitted: Effect | EffectBatch, into: Effect[]): void {
  if (emitted.type !== 'effects') into.push(emitted);
  else for (const effect of emitted.effects) into.push(effect);
}

export class NodeHost {
  up = false;
  /** Bumped at every start and stop, so timers and deliveries meant for an earlier life are ignored. */
  incarnation = 0;
  /** What survives a crash; null before first boot and after a wipe. */
  disk: unknown = null;
  diskLost = false;
  /** A new machine with an empty data directory (a replacement database node): its first boot is like one after a wipe. */
  blank = false;
  downCause: DownCause | null = null;
  /**
   * Timer name → the one armed now: its generation (a firing of an older one is ignored), when it
   * was set and when it fires (simulated ms, for the page's countdowns).
   */
  readonly timers = new Map<string, { readonly generation: number; readonly fromMs: number; readonly atMs: number }>();
  private timerGeneration = 0;
  private actor: AnyActorRef | null = null;
  private effects: Effect[] = [];
  private companionActor: AnyActorRef | null = null;
  private companionEffects: Effect[] = [];
  /** The main actor's answers to the companion's own proposals: they go back to it, not to clients. */
  private readonly localReplies = new Set<Effect>();
  private lastView: NodeView | null = null;
  private lastFacts: NodeFacts = NO_FACTS;
  /** The main actor's and the companion's state, for the page's live statechart. */
  private readonly chartWatch: StatechartWatch;
  private readonly companionWatch: StatechartWatch | null;

  constructor(
    readonly id: NodeId,
    readonly kind: NodeKind,
    readonly region: RegionRole,
    readonly program: NodeProgram,
    readonly peers: readonly NodeId[],
    /** Draws the random part of this node's randomized timers. */
    readonly rng: Prng,
    /** A program run beside the main one on this node, or null. */
    readonly companion: NodeProgram | null = null,
  ) {
    this.chartWatch = new StatechartWatch(program.machine.id);
    this.companionWatch = companion ? new StatechartWatch(companion.machine.id) : null;
  }

  /** Boots the machine from the disk it has; returns the effects of its first steps. */
  start(settings: Settings, topology: Topology, atMs: number): Effect[] {
    const input: ProgramInput<unknown> = { id: this.id, peers: this.peers, disk: this.disk, settings, topology, diskWiped: this.diskLost || (this.blank && this.disk === null) };
    const actor = createActor(this.program.machine, { input });
    actor.on('*', (emitted: Effect | EffectBatch) => collect(emitted, this.effects));
    this.up = true;
    this.incarnation++;
    this.downCause = null;
    this.diskLost = false;
    this.timers.clear();
    this.actor = actor;
    if (this.companion) {
      const companion = createActor(this.companion.machine, { input: { ...input, disk: null } });
      companion.on('*', (emitted: Effect | EffectBatch) => collect(emitted, this.companionEffects));
      this.companionActor = companion;
      companion.start();
    }
    actor.start();
    this.checkHealthy(atMs);
    const effects = this.takeEffects(atMs);
    this.chartWatch.started(actor.getSnapshot().value, atMs);
    if (this.companionActor) this.companionWatch?.started(this.companionActor.getSnapshot().value, atMs);
    return effects;
  }

  /**
   * The running actors' persisted snapshots (XState's `getPersistedSnapshot`), for a checkpoint.
   * They may share objects with the live actors: the caller copies them before the run goes on.
   */
  saveActors(): SavedActors {
    return { main: this.actor?.getPersistedSnapshot() ?? null, companion: this.companionActor?.getPersistedSnapshot() ?? null };
  }

  /**
   * Puts back actors saved by `saveActors` (each a copy the actor may own), in place of whatever
   * this host runs now: the same machines resumed where they were, emitting into this host.
   */
  resumeActors(saved: SavedActors): void {
    this.actor?.stop();
    this.companionActor?.stop();
    this.actor = saved.main ? this.resumed(this.program, saved.main, true) : null;
    this.companionActor = saved.companion && this.companion ? this.resumed(this.companion, saved.companion, false) : null;
  }

  private resumed(program: NodeProgram, snapshot: Snapshot<unknown>, main: boolean): AnyActorRef {
    const actor = createActor(program.machine, { snapshot });
    actor.on('*', (emitted: Effect | EffectBatch) => collect(emitted, main ? this.effects : this.companionEffects));
    actor.start();
    return actor;
  }

  /** Stops the process. With `loseDisk`, the disk is gone too. */
  stop(cause: DownCause, loseDisk: boolean): void {
    if (this.actor) {
      this.lastView = this.program.view(this.actor.getSnapshot());
      this.lastFacts = this.facts();
      this.disk = loseDisk ? null : this.program.diskOf(this.actor.getSnapshot());
      this.actor.stop();
      this.actor = null;
      this.companionActor?.stop();
      this.companionActor = null;
      this.companionEffects = [];
      this.localReplies.clear();
    } else if (loseDisk) {
      this.disk = null;
    }
    if (loseDisk) this.diskLost = true;
    this.up = false;
    this.incarnation++;
    this.downCause = cause;
    this.timers.clear();
  }

  deliver(event: NodeEvent, atMs: number): Effect[] {
    if (!this.actor) throw new SimulationError(`${this.id} got ${event.type} while down`, atMs, this.id);
    const companionEvent = this.forCompanion(event);
    if (companionEvent === null) this.actor.send(event);
    else this.companionActor?.send(companionEvent);
    this.checkHealthy(atMs);
    const effects = this.takeEffects(atMs);
    this.watchCharts(event, atMs);
    return effects;
  }

  /** Notes a change of state of either actor, and the delivered event that caused it. */
  private watchCharts(event: NodeEvent, atMs: number): void {
    if (this.actor) this.chartWatch.after(this.actor.getSnapshot().value, event, atMs);
    if (this.companionActor) this.companionWatch?.after(this.companionActor.getSnapshot().value, event, atMs);
  }

  /** The running actors' states for the page's statechart view (main first), or null while down. */
  statecharts(): LiveStatechart[] | null {
    if (!this.actor) return null;
    return this.companionActor && this.companionWatch ? [this.chartWatch.live(), this.companionWatch.live()] : [this.chartWatch.live()];
  }

  /** The event as the companion should get it, or null when it is the main actor's. */
  private forCompanion(event: NodeEvent): NodeEvent | null {
    if (!this.companion) return null;
    if (COMPANION_EVENTS.has(event.type)) return event;
    if (event.type === 'timer' && event.name.startsWith(COMPANION_TIMER)) return { type: 'timer', name: event.name.slice(COMPANION_TIMER.length) };
    if (event.type === 'message' && (this.companion.handles ?? []).includes(event.msg.type)) return event;
    return null;
  }

  /** What is on the node's disk at this moment: read off the running machine, or what it left when it stopped. */
  currentDisk(): unknown {
    return this.actor ? this.program.diskOf(this.actor.getSnapshot()) : this.disk;
  }

  armTimer(name: string, fromMs: number, atMs: number): number {
    const generation = ++this.timerGeneration;
    this.timers.set(name, { generation, fromMs, atMs });
    return generation;
  }

  disarmTimer(name: string): void {
    this.timers.delete(name);
  }

  /** The first of the program's countdown timers armed now (a Raft follower's election timer), or null. */
  countdown(): { readonly name: string; readonly fromMs: number; readonly atMs: number } | null {
    if (!this.up) return null;
    for (const name of this.program.countdownTimers ?? []) {
      const timer = this.timers.get(name);
      if (timer) return { name, fromMs: timer.fromMs, atMs: timer.atMs };
    }
    return null;
  }

  view(): NodeView {
    if (this.actor) {
      const main = this.program.view(this.actor.getSnapshot());
      if (!this.companion || !this.companionActor) return main;
      const extra = this.companion.view(this.companionActor.getSnapshot()).detail;
      return Object.keys(extra).length === 0 ? main : { ...main, detail: { ...main.detail, ...extra } };
    }
    return { role: 'down', term: this.lastView?.term ?? null, detail: { ...(this.lastView?.detail ?? {}), diskLost: this.diskLost } };
  }

  /**
   * The node's typed facts (its program's, and its companion's): read off the running machines, or
   * for a node that is down, the facts it had when it stopped.
   */
  facts(): NodeFacts {
    if (!this.actor) return this.lastFacts;
    const main = this.program.facts?.(this.actor.getSnapshot()) ?? NO_FACTS;
    const beside = this.companion && this.companionActor ? this.companion.facts?.(this.companionActor.getSnapshot()) : undefined;
    return beside === undefined ? main : { ...main, ...beside };
  }

  private takeEffects(atMs: number): Effect[] {
    if (!this.companion) {
      const effects = this.effects;
      this.effects = [];
      return effects;
    }
    return this.routeLocally(atMs);
  }

  /**
   * Passes effects between the two actors until both are quiet, and returns, in order, those
   * the kernel must perform. The main actor's effects go first, as they were emitted.
   */
  private routeLocally(atMs: number): Effect[] {
    const out: Effect[] = [];
    for (let n = 0; this.effects.length > 0 || this.companionEffects.length > 0; n++) {
      if (n > MAX_LOCAL_EFFECTS) throw new SimulationError(`${this.id}: its agent and its member keep answering each other`, atMs, this.id);
      if (this.effects.length > 0) this.fromMain(this.effects.shift()!, out);
      else this.fromCompanion(this.companionEffects.shift()!, out);
      this.checkHealthy(atMs);
    }
    return out;
  }

  private fromMain(effect: Effect, out: Effect[]): void {
    if (this.localReplies.delete(effect) && effect.type === 'client-reply') {
      this.companionActor?.send({ type: 'member-reply', cmd: effect.cmd, accepted: effect.accepted });
      return;
    }
    out.push(effect);
    if (effect.type === 'trace' && FORWARDED_TRACES.has(effect.event.type)) this.companionActor?.send({ type: 'member', event: effect.event });
  }

  private fromCompanion(effect: Effect, out: Effect[]): void {
    switch (effect.type) {
      case 'local-propose': {
        const mark = this.effects.length;
        this.actor?.send({ type: 'propose', cmd: effect.cmd });
        for (const e of this.effects.slice(mark)) if (e.type === 'client-reply') this.localReplies.add(e);
        return;
      }
      case 'set-timer':
      case 'set-random-timer':
      case 'cancel-timer':
        out.push({ ...effect, name: COMPANION_TIMER + effect.name });
        return;
      default:
        out.push(effect);
    }
  }

  private checkHealthy(atMs: number): void {
    for (const actor of [this.actor, this.companionActor]) {
      const snapshot = actor?.getSnapshot() as { status?: string; error?: unknown } | undefined;
      if (snapshot?.status === 'error') {
        const cause = snapshot.error instanceof Error ? snapshot.error.message : String(snapshot.error);
        throw new SimulationError(`the machine of ${this.id} failed: ${cause}`, atMs, this.id);
      }
    }
  }
}
