/**
 * Checkpoints of a whole simulation, for time travel: the page's worker takes one every so often
 * as the run goes (store.ts says how often and how many it keeps), and a seek restores the nearest
 * earlier one and runs on from there instead of re-simulating from time 0.
 *
 * A checkpoint is a copy of everything the run's future depends on: the kernel (clock, queue with
 * the messages in flight, PRNG streams, network faults, hosts with their timers and disks), the
 * world modules (clients, cloud, agents, operator), the checker, the ledger and the report's
 * builder, and every running machine. It is taken generically (graph.ts): each object's fields are
 * copied deeply, so a field added to any part of the world is in the next checkpoint without a
 * line here. The machines are the exception: each running XState actor is kept as its persisted
 * snapshot (`getPersistedSnapshot`) and resumed with `createActor(machine, { snapshot })`, so no
 * code here knows what any machine keeps in its context. The trace is append-only: a checkpoint
 * keeps how long it was, not a copy.
 *
 * A checkpoint is restored into a simulation freshly built from the same scenario (and the same
 * recorded actions), which supplies the wiring (the world's handlers and callbacks); the restored
 * run then goes on exactly as the captured one would have. tests/determinism/checkpoint.test.ts
 * proves it byte for byte.
 */
import { Actor } from 'xstate';
import { capture, restore, type Captured } from './graph';
import type { NodeHost } from '../kernel/node-host';
import type { SavedActors } from '../machines/runner';
import type { NodeId } from '../machines/protocol';

export interface Checkpoint {
  /** The simulated time it was taken at (the run stood at this time, everything due by then done). */
  readonly atMs: number;
  /** Opaque: the copied state. */
  readonly state: Captured;
}

/** What the checkpoint code needs of a simulation: its root object and a way to its hosts and trace. */
export interface CheckpointedWorld {
  readonly root: object;
  readonly nowMs: number;
  readonly hosts: () => Iterable<NodeHost>;
  /** The trace array as the kernel keeps it (append-only). */
  readonly trace: readonly unknown[];
  /** Objects that are configuration, kept as the fresh simulation has them (the scenario). */
  readonly wiring: readonly object[];
}

/** A running XState actor: a checkpoint saves it as its persisted snapshot, never field by field. */
function isActor(value: object): boolean {
  return value instanceof Actor;
}

interface Box {
  readonly world: object;
  readonly actors: Readonly<Record<NodeId, SavedActors>>;
}

/** Copies the state of `world` as it stands now (between events, never inside one). */
export function takeCheckpoint(world: CheckpointedWorld): Checkpoint {
  const actors: Record<NodeId, SavedActors> = {};
  for (const host of world.hosts()) actors[host.id] = host.runner.save();
  const box: Box = { world: world.root, actors };
  const state = capture(box, { wiring: new Set(world.wiring), logs: new Set([world.trace as unknown[]]), opaque: isActor });
  return { atMs: world.nowMs, state };
}

/** Pours `checkpoint` into `world`, a simulation freshly built from the same scenario; it then stands at `checkpoint.atMs`. */
export function restoreCheckpoint(world: CheckpointedWorld, checkpoint: Checkpoint): void {
  const box = restore<Box>({ world: world.root, actors: {} }, checkpoint.state);
  if (box.world !== world.root) throw new Error('checkpoint: taken of a different kind of simulation');
  for (const host of world.hosts()) host.runner.resume(box.actors[host.id] ?? []);
}
