/**
 * One simulated machine: its identity, whether it is up, its disk, and while up the running
 * XState actor of its program. The host turns the actor's emitted effects into a list the kernel
 * performs after each event, so a machine never re-enters the kernel while it is deciding.
 */
import { createActor, type AnyActorRef } from 'xstate';
import type { NodeKind, NodeProgram, ProgramInput } from '../machines/program';
import type { Effect, NodeEvent, NodeId, NodeView } from '../machines/protocol';
import type { RegionRole, Settings, Topology } from '../scenario/types';
import type { Prng } from './prng';

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

export type DownCause = 'crash' | 'wipe-disk' | 'region-down';

export class NodeHost {
  up = false;
  /** Bumped at every start and stop, so timers and deliveries meant for an earlier life are ignored. */
  incarnation = 0;
  /** What survives a crash; null before first boot and after a wipe. */
  disk: unknown = null;
  diskLost = false;
  downCause: DownCause | null = null;
  /** Timer name → generation of the one armed now. */
  readonly timers = new Map<string, number>();
  private timerGeneration = 0;
  private actor: AnyActorRef | null = null;
  private effects: Effect[] = [];
  private lastView: NodeView | null = null;

  constructor(
    readonly id: NodeId,
    readonly kind: NodeKind,
    readonly region: RegionRole,
    readonly program: NodeProgram,
    readonly peers: readonly NodeId[],
    /** Draws the random part of this node's randomized timers. */
    readonly rng: Prng,
  ) {}

  /** Boots the machine from the disk it has; returns the effects of its first steps. */
  start(settings: Settings, topology: Topology, atMs: number): Effect[] {
    const input: ProgramInput<unknown> = { id: this.id, peers: this.peers, disk: this.disk, settings, topology, diskWiped: this.diskLost };
    const actor = createActor(this.program.machine, { input });
    actor.on('*', (effect: Effect) => {
      this.effects.push(effect);
    });
    this.up = true;
    this.incarnation++;
    this.downCause = null;
    this.diskLost = false;
    this.timers.clear();
    this.actor = actor;
    actor.start();
    this.checkHealthy(atMs);
    return this.takeEffects();
  }

  /** Stops the process. With `loseDisk`, the disk is gone too. */
  stop(cause: DownCause, loseDisk: boolean): void {
    if (this.actor) {
      this.lastView = this.program.view(this.actor.getSnapshot());
      this.disk = loseDisk ? null : this.program.diskOf(this.actor.getSnapshot());
      this.actor.stop();
      this.actor = null;
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
    this.actor.send(event);
    this.checkHealthy(atMs);
    return this.takeEffects();
  }

  armTimer(name: string): number {
    const generation = ++this.timerGeneration;
    this.timers.set(name, generation);
    return generation;
  }

  view(): NodeView {
    if (this.actor) return this.program.view(this.actor.getSnapshot());
    return { role: 'down', term: this.lastView?.term ?? null, detail: { ...(this.lastView?.detail ?? {}), diskLost: this.diskLost } };
  }

  private takeEffects(): Effect[] {
    const effects = this.effects;
    this.effects = [];
    return effects;
  }

  private checkHealthy(atMs: number): void {
    const snapshot = this.actor?.getSnapshot() as { status?: string; error?: unknown } | undefined;
    if (snapshot?.status === 'error') {
      const cause = snapshot.error instanceof Error ? snapshot.error.message : String(snapshot.error);
      throw new SimulationError(`the machine of ${this.id} failed: ${cause}`, atMs, this.id);
    }
  }
}
