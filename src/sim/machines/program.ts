/**
 * What the kernel needs to host one kind of node: the XState machine and the few pure functions
 * that read its snapshot. Each machine folder (raft/, bully/, …) exports one `NodeProgram`.
 */
import type { AnyStateMachine, SnapshotFrom } from 'xstate';
import type { Effect, EffectBatch, Message, MessageLook, NodeEvent, NodeId, NodeView } from './protocol';
import type { Settings, Topology } from '../scenario/types';
import type { AgentContext } from './orchestrator/types';

export type NodeKind = 'orchestrator' | 'load-balancer' | 'server' | 'database' | 'witness' | 'backup';

/** The machine's `input`: who it is, who its peers are, what survived on its disk, the settings. */
export interface ProgramInput<Disk> {
  readonly id: NodeId;
  /** The other members of its cluster, in id order. */
  readonly peers: readonly NodeId[];
  /** `null` on first boot or after the disk was wiped. */
  readonly disk: Disk | null;
  /**
   * True when `disk` is null because the disk was wiped (not a first boot). A database node then
   * starts empty, as a standby to be rebuilt, instead of as db-1's brand-new primary.
   */
  readonly diskWiped?: boolean;
  readonly settings: Settings;
  /** The scenario's topology, for machines whose role depends on it (db-1 starts as primary; which standby is synchronous). */
  readonly topology: Topology;
}

/**
 * Typed facts the world reads of a running node, so that nothing parses a display field of its
 * view. Each is present only for the nodes it concerns.
 */
export interface NodeFacts {
  /** A node clients write to (a database node): whether it takes writes now, its epoch (timeline), and the node it streams from. */
  readonly service?: { readonly writable: boolean; readonly epoch: number; readonly upstream: NodeId | null };
  /** The nodes it health-checks now (the load balancer its backends, an agent what its duties watch). */
  readonly watches?: readonly NodeId[];
  /** A load balancer's servers, in its own order, each in or out of rotation. */
  readonly backends?: readonly Backend[];
  /** Present while the node leads its cluster (a Raft leader, a Bully coordinator): the term it leads in. */
  readonly leads?: { readonly term: number };
  /** The failover agent running beside the node (an orchestrator's companion): its state as it stands. */
  readonly agent?: AgentContext;
}

/** One server behind a load balancer. */
export interface Backend {
  readonly id: NodeId;
  readonly inRotation: boolean;
}

export interface NodeProgram<Machine extends AnyStateMachine = AnyStateMachine, Disk = unknown> {
  readonly kind: NodeKind;
  /** Created with `input: ProgramInput<Disk>`; emits `Effect`s (protocol.ts). */
  readonly machine: Machine;
  /** What is on the node's disk right now; read when the node crashes. */
  diskOf(snapshot: SnapshotFrom<Machine>): Disk;
  view(snapshot: SnapshotFrom<Machine>): NodeView;
  /** The typed facts of this node now (none when absent). */
  facts?(snapshot: SnapshotFrom<Machine>): NodeFacts;
  look(msg: Message): MessageLook;
  /**
   * For a program co-located beside a node's main one (an orchestrator agent): the message
   * types it takes; every other message goes to the main program.
   */
  readonly handles?: readonly string[];
  /**
   * The timers whose running out changes the node's role (Raft's election timer), first armed
   * first: the page draws the armed one as a countdown that drains and refills on each heartbeat.
   */
  readonly countdownTimers?: readonly string[];
}

/**
 * The types of a node's XState machine, for `setup({ types: nodeMachineTypes<Ctx, M, Disk>() })`:
 * its context, the events the kernel delivers (with messages of its protocol `M`), its input, and
 * the effects it emits (one by one, or a step's all at once as an `EffectBatch`).
 */
export function nodeMachineTypes<Ctx, M extends Message, Disk>() {
  return { context: {} as Ctx, events: {} as NodeEvent<M>, input: {} as ProgramInput<Disk>, emitted: {} as Effect<M> | EffectBatch<M> };
}
