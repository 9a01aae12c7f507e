/**
 * A tiny stand-in for the kernel, for driving Raft machines by hand (after etcd's raft_test.go
 * network): every node is an XState actor, sent messages wait in one list until a test delivers,
 * drops, duplicates or reorders them, and a timer fires only when a test says so. A crash keeps
 * the disk; cut links drop messages at delivery, as the real network does.
 */
import { createActor, type Actor } from 'xstate';
import { raftProgram } from '../../../src/sim/machines/raft/program';
import type { raftMachine } from '../../../src/sim/machines/raft/machine';
import type { LogEntry, RaftContext, RaftDisk, RaftEffect, RaftMessage } from '../../../src/sim/machines/raft/types';
import type { NodeEvent, NodeId, NodeTrace } from '../../../src/sim/machines/protocol';
import type { Settings, Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export const SETTINGS: Settings = TEST_SETTINGS;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: RaftMessage;
}

export interface ClientReply {
  readonly node: NodeId;
  readonly cmd: string;
  readonly accepted: boolean;
  readonly leaderHint: NodeId | null;
}

type RaftActor = Actor<typeof raftMachine>;

/** One line of the cluster's history: a node's trace, or the node going down or coming up. */
export type TimelineEntry =
  | { readonly node: NodeId; readonly trace: NodeTrace }
  | { readonly node: NodeId; readonly lifecycle: 'down' | 'up' };

export function ids(size: number): NodeId[] {
  return Array.from({ length: size }, (_, i) => `orch-${i + 1}`);
}

export class Cluster {
  /** Every node ever started here: the first `size`, then those added with `addNode`. */
  private readonly nodeIds: NodeId[];
  /** How many orchestrators the topology starts with: the first configuration. */
  private readonly initialSize: number;
  /** The topology every node is booted with: `size` Raft orchestrators and nothing else. */
  readonly topology: Topology;
  readonly settings: Settings;
  /** Messages sent and not yet delivered or dropped, oldest first. */
  inFlight: Envelope[] = [];
  readonly replies: ClientReply[] = [];
  /** Every trace each node reported, across restarts. */
  private readonly traces = new Map<NodeId, NodeTrace[]>();
  private readonly actors = new Map<NodeId, RaftActor>();
  private readonly disks = new Map<NodeId, RaftDisk | null>();
  private readonly armed = new Map<NodeId, Set<string>>();
  private readonly cutLinks = new Set<string>();
  /** Every message delivered so far, for counting. */
  readonly delivered: Envelope[] = [];
  /** Every trace and every crash and restart, in the order they happened (what a kernel's trace would hold). */
  readonly timeline: TimelineEntry[] = [];

  /** `disks` lets a test start some nodes from a disk it wrote, as after a restart. */
  constructor(size: number, settings: Partial<Settings> = {}, disks: Readonly<Record<NodeId, RaftDisk>> = {}) {
    this.nodeIds = ids(size);
    this.initialSize = size;
    this.topology = { ...TEST_TOPOLOGY, orchestrators: size, election: 'raft' };
    this.settings = { ...SETTINGS, ...settings };
    for (const id of this.nodeIds) this.boot(id, disks[id] ?? null);
  }

  get ids(): readonly NodeId[] {
    return this.nodeIds;
  }

  /** Starts a brand-new node as the kernel provisions one: no peers, no disk; it learns the configuration from the leader. */
  addNode(id: NodeId): void {
    if (this.nodeIds.includes(id)) throw new Error(`${id} exists`);
    this.nodeIds.push(id);
    this.boot(id, null, []);
  }

  // --- processes

  private boot(id: NodeId, disk: RaftDisk | null, peers = ids(this.initialSize).filter((other) => other !== id)): void {
    this.timeline.push({ node: id, lifecycle: 'up' });
    const actor = createActor(raftProgram.machine, { input: { id, peers, disk, settings: this.settings, topology: this.topology } });
    this.armed.set(id, new Set());
    actor.on('*', (effect) => this.perform(id, effect as RaftEffect));
    this.actors.set(id, actor);
    actor.start();
  }

  crash(id: NodeId): RaftDisk {
    const actor = this.actorOf(id);
    const disk = raftProgram.diskOf(actor.getSnapshot());
    actor.stop();
    this.actors.delete(id);
    this.timeline.push({ node: id, lifecycle: 'down' });
    this.disks.set(id, disk);
    this.armed.get(id)?.clear();
    return disk;
  }

  restart(id: NodeId): void {
    if (this.actors.has(id)) throw new Error(`${id} is running`);
    this.boot(id, this.disks.get(id) ?? null);
  }

  isUp(id: NodeId): boolean {
    return this.actors.has(id);
  }

  private perform(id: NodeId, effect: RaftEffect): void {
    const timers = this.armed.get(id)!;
    switch (effect.type) {
      case 'send':
        this.inFlight.push({ from: id, to: effect.to, msg: effect.msg });
        break;
      case 'set-timer':
      case 'set-random-timer':
        timers.add(effect.name);
        break;
      case 'cancel-timer':
        timers.delete(effect.name);
        break;
      case 'client-reply':
        this.replies.push({ node: id, cmd: effect.cmd, accepted: effect.accepted, leaderHint: effect.leaderHint });
        break;
      case 'trace':
        this.tracesOf(id).push(effect.event);
        this.timeline.push({ node: id, trace: effect.event });
        break;
    }
  }

  // --- events

  send(id: NodeId, event: NodeEvent<RaftMessage>): void {
    this.actorOf(id).send(event);
    const snapshot = this.actorOf(id).getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error;
  }

  armedTimers(id: NodeId): string[] {
    return [...(this.armed.get(id) ?? [])];
  }

  isArmed(id: NodeId, timer: string): boolean {
    return this.armed.get(id)?.has(timer) ?? false;
  }

  /** Fires an armed timer of `id` (a test cannot fire one the machine did not ask for). */
  fire(id: NodeId, timer: string): void {
    if (!this.isArmed(id, timer)) throw new Error(`${id} has no ${timer} timer armed`);
    this.armed.get(id)!.delete(timer);
    this.send(id, { type: 'timer', name: timer });
  }

  propose(id: NodeId, cmd: string): void {
    this.send(id, { type: 'propose', cmd });
  }

  // --- network

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  /** Cuts every link between `group` and everyone else. */
  isolate(...group: NodeId[]): void {
    for (const a of group) for (const b of this.ids) if (!group.includes(b)) this.cut(a, b);
  }

  isCut(a: NodeId, b: NodeId): boolean {
    return this.cutLinks.has(`${a}|${b}`);
  }

  heal(): void {
    this.cutLinks.clear();
  }

  /** Delivers (or, across a cut or to a down node, loses) the message at `index` of the in-flight list. */
  deliverAt(index: number): Envelope {
    const [envelope] = this.inFlight.splice(index, 1);
    if (!envelope) throw new Error(`no message at ${index}`);
    if (this.isUp(envelope.to) && !this.cutLinks.has(`${envelope.from}|${envelope.to}`)) {
      this.delivered.push(envelope);
      this.send(envelope.to, { type: 'message', from: envelope.from, msg: envelope.msg });
    }
    return envelope;
  }

  /** Delivers the oldest message matching `match`; returns it. */
  deliverFirst(match: (e: Envelope) => boolean): Envelope {
    const index = this.inFlight.findIndex(match);
    if (index < 0) throw new Error('no such message in flight');
    return this.deliverAt(index);
  }

  /** Sends a copy of an in-flight message again, as a retry or a duplicating network would. */
  duplicate(index: number): void {
    const envelope = this.inFlight[index];
    if (!envelope) throw new Error(`no message at ${index}`);
    this.inFlight.push(envelope);
  }

  /** Delivers in order until nothing is in flight (the replies too). */
  deliverAll(limit = 10_000): void {
    for (let i = 0; this.inFlight.length > 0; i++) {
      if (i >= limit) throw new Error('messages keep flowing');
      this.deliverAt(0);
    }
  }

  drop(match: (e: Envelope) => boolean): Envelope[] {
    const dropped = this.inFlight.filter(match);
    this.inFlight = this.inFlight.filter((e) => !match(e));
    return dropped;
  }

  // --- reading the nodes

  private actorOf(id: NodeId): RaftActor {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`${id} is down`);
    return actor;
  }

  snapshot(id: NodeId) {
    return this.actorOf(id).getSnapshot();
  }

  state(id: NodeId): string {
    return String(this.actorOf(id).getSnapshot().value);
  }

  ctx(id: NodeId): RaftContext {
    return this.actorOf(id).getSnapshot().context;
  }

  term(id: NodeId): number {
    return this.ctx(id).disk.currentTerm;
  }

  log(id: NodeId): readonly LogEntry[] {
    return this.ctx(id).disk.log;
  }

  /** The configuration `id` acts on now. */
  members(id: NodeId): readonly NodeId[] {
    return this.ctx(id).members;
  }

  leaders(): NodeId[] {
    return this.ids.filter((id) => this.isUp(id) && this.state(id) === 'leader');
  }

  tracesOf(id: NodeId): NodeTrace[] {
    let list = this.traces.get(id);
    if (!list) this.traces.set(id, (list = []));
    return list;
  }

  tracesOfType<T extends NodeTrace['type']>(id: NodeId, type: T): Extract<NodeTrace, { type: T }>[] {
    return this.tracesOf(id).filter((t): t is Extract<NodeTrace, { type: T }> => t.type === type);
  }

  /** The commands `id` applied, in order, across all its lives. */
  applied(id: NodeId): string[] {
    return this.tracesOfType(id, 'apply').map((t) => t.cmd);
  }

  // --- common scripts

  /** `id`'s election timer fires and every message is delivered; returns the term it campaigned in. */
  elect(id: NodeId): number {
    this.fire(id, 'election');
    this.deliverAll();
    return this.term(id);
  }

  /** The leader's heartbeat fires and everything settles. */
  heartbeat(leader: NodeId): void {
    this.fire(leader, 'heartbeat');
    this.deliverAll();
  }
}

export function messageTo(to: NodeId, type?: RaftMessage['type']): (e: Envelope) => boolean {
  return (e) => e.to === to && (type === undefined || e.msg.type === type);
}

export function messageFrom(from: NodeId, type?: RaftMessage['type']): (e: Envelope) => boolean {
  return (e) => e.from === from && (type === undefined || e.msg.type === type);
}

export function entries(...specs: [term: number, cmd: string][]): LogEntry[] {
  return specs.map(([term, cmd]) => ({ term, cmd }));
}
