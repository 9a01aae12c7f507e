/**
 * One simulated machine: its identity, whether it is up, its disk and its timers. While it is up,
 * its runner (machines/runner.ts) runs its program and turns what the program emits into a list
 * of effects the kernel performs after each event, so a machine never re-enters the kernel while
 * it is deciding.
 */
import type { NodeFacts, NodeKind, NodeProgram, ProgramInput } from '../machines/program';
import type { Effect, NodeEvent, NodeId, NodeView } from '../machines/protocol';
import type { Runner } from '../machines/runner';
import type { Prng } from '../random/prng';
import type { RegionRole, Settings, Topology } from '../scenario/types';

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

/** Why a node went down, in the world's words (a crash, its data centre going dark, …): the kernel only keeps it. */
export type DownCause = string;

export class NodeHost {
  up = false;
  /** Bumped at every start and stop, so timers and deliveries meant for an earlier life are ignored. */
  incarnation = 0;
  /** What survives a crash; null before first boot and after a wipe. */
  disk: unknown = null;
  diskLost = false;
  /** A new machine with an empty data directory (a replacement for a lost one): its first boot is like one after a wipe. */
  blank = false;
  downCause: DownCause | null = null;
  /**
   * Timer name → the one armed now: its generation (a firing of an older one is ignored), when it
   * was set and when it fires (simulated ms, for the page's countdowns).
   */
  readonly timers = new Map<string, { readonly generation: number; readonly fromMs: number; readonly atMs: number }>();
  private timerGeneration = 0;
  /** What the node showed and knew when it last stopped. */
  private lastView: NodeView | null = null;
  private lastFacts: NodeFacts = {};

  constructor(
    readonly id: NodeId,
    readonly kind: NodeKind,
    readonly region: RegionRole,
    readonly program: NodeProgram,
    readonly peers: readonly NodeId[],
    /** Draws the random part of this node's randomized timers. */
    readonly rng: Prng,
    readonly runner: Runner,
  ) {}

  /** Boots the machine from the disk it has; returns the effects of its first steps. */
  start(settings: Settings, topology: Topology, atMs: number): Effect[] {
    const input: ProgramInput<unknown> = { id: this.id, peers: this.peers, disk: this.disk, settings, topology, diskWiped: this.diskLost || (this.blank && this.disk === null) };
    this.up = true;
    this.incarnation++;
    this.downCause = null;
    this.diskLost = false;
    this.timers.clear();
    return this.runner.start(input, atMs);
  }

  /** Stops the process. With `loseDisk`, the disk is gone too. */
  stop(cause: DownCause, loseDisk: boolean): void {
    if (this.runner.running) {
      const left = this.runner.stop();
      this.lastView = left.view;
      this.lastFacts = left.facts;
      this.disk = loseDisk ? null : left.disk;
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
    if (!this.runner.running) throw new SimulationError(`${this.id} got ${event.type} while down`, atMs, this.id);
    return this.runner.deliver(event, atMs);
  }

  /** What is on the node's disk at this moment: read off the running machine, or what it left when it stopped. */
  currentDisk(): unknown {
    return this.runner.running ? this.runner.disk() : this.disk;
  }

  armTimer(name: string, fromMs: number, atMs: number): number {
    const generation = ++this.timerGeneration;
    this.timers.set(name, { generation, fromMs, atMs });
    return generation;
  }

  disarmTimer(name: string): void {
    this.timers.delete(name);
  }

  view(): NodeView {
    if (this.runner.running) return this.runner.view();
    return { role: 'down', term: this.lastView?.term ?? null, detail: { ...(this.lastView?.detail ?? {}), diskLost: this.diskLost } };
  }

  /** The node's typed facts: read off the running machines, or for a node that is down, the facts it had when it stopped. */
  facts(): NodeFacts {
    return this.runner.running ? this.runner.facts() : this.lastFacts;
  }
}
