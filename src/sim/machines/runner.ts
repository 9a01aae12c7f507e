/**
 * What runs on a node while it is up: the program (or programs) a host boots, hands events to and
 * stops. The kernel's host (kernel/node-host.ts) keeps the node's identity, life, disk and timers,
 * and asks its runner for the rest. actor-runner.ts runs one program as an XState actor, which is
 * what most nodes are; the world may give a node a runner of several programs (an orchestrator's
 * agent beside its Raft member, world/companion.ts).
 */
import type { Snapshot } from 'xstate';
import type { NodeFacts, ProgramInput } from './program';
import type { Effect, Message, MessageLook, NodeEvent, NodeView } from './protocol';
import type { LiveStatechart } from './statechart';

/** Each running actor's persisted snapshot (null while down), in the runner's order: what a checkpoint keeps of a node's machines. */
export type SavedActors = readonly (Snapshot<unknown> | null)[];

/** What a runner leaves when it stops: the host keeps it for the node while it is down. */
export interface Stopped {
  readonly view: NodeView;
  readonly facts: NodeFacts;
  readonly disk: unknown;
}

export interface Runner {
  readonly running: boolean;
  /** Boots from `input`; returns, in order, the effects of its first steps for the kernel to perform. */
  start(input: ProgramInput<unknown>, atMs: number): Effect[];
  /** Hands it one event; returns, in order, the effects the kernel must perform. */
  deliver(event: NodeEvent, atMs: number): Effect[];
  stop(): Stopped;
  /** While running: what is on the node's disk, its view and its typed facts. */
  disk(): unknown;
  view(): NodeView;
  facts(): NodeFacts;
  /** How the page draws a message this node sends. */
  look(msg: Message): MessageLook;
  /** Each running machine's state for the page's statechart view (main first), or null while down. */
  statecharts(): LiveStatechart[] | null;
  /** The running actors as a checkpoint keeps them; they may share objects with the live ones (the caller copies them). */
  save(): SavedActors;
  /** Puts back actors `save` gave (copies it may own) in place of whatever runs now, resumed where they were. */
  resume(saved: SavedActors): void;
}
