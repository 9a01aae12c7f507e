/**
 * A tiny stand-in for the kernel, for driving Bully machines by hand: every node is an XState
 * actor, sent messages wait in one FIFO queue until `deliverAll`, and a timer fires only when a
 * test says so. Crashes keep the disk, partitions drop messages at delivery, like the network.
 */
import { createActor, type Actor } from 'xstate';
import { bullyProgram } from '../../../src/sim/machines/bully/program';
import type { BullyMachine } from '../../../src/sim/machines/bully/machine';
import type { BullyDisk, BullyMessage } from '../../../src/sim/machines/bully/types';
import type { Effect, NodeId, NodeTrace, NodeView } from '../../../src/sim/machines/protocol';
import type { Settings } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export const SETTINGS: Settings = TEST_SETTINGS;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: BullyMessage;
}

export type TraceRecord = NodeTrace & { readonly node: NodeId };
export type ReplyRecord = Extract<Effect, { type: 'client-reply' }> & { readonly node: NodeId };

interface Host {
  actor: Actor<BullyMachine> | null;
  disk: BullyDisk | null;
  /** Armed timers by name; the value is the effect that armed it. */
  readonly timers: Map<string, Effect>;
}

/** Bounds every delivery loop: a Bully run that needs more than this is itself a bug. */
const DELIVERY_LIMIT = 10_000;

export class BullyCluster {
  readonly ids: readonly NodeId[];
  readonly traces: TraceRecord[] = [];
  readonly replies: ReplyRecord[] = [];
  /** Every message ever handed to the network, delivered or not. */
  readonly sent: Envelope[] = [];
  private queue: Envelope[] = [];
  private readonly hosts = new Map<NodeId, Host>();
  private groups: readonly (readonly NodeId[])[] | null = null;

  constructor(size: number, readonly settings: Settings = SETTINGS) {
    this.ids = Array.from({ length: size }, (_, i) => `orch-${i + 1}`);
    for (const id of this.ids) this.hosts.set(id, { actor: null, disk: null, timers: new Map() });
  }

  /** Boots every node in id order. */
  static booted(size: number, settings: Settings = SETTINGS): BullyCluster {
    const cluster = new BullyCluster(size, settings);
    for (const id of cluster.ids) cluster.start(id);
    return cluster;
  }

  /** Boots (or restarts) a node from the disk it has. */
  start(id: NodeId): void {
    const host = this.host(id);
    if (host.actor) throw new Error(`${id} is already up`);
    const peers = this.ids.filter((peer) => peer !== id);
    const actor = createActor(bullyProgram.machine, { input: { id, peers, disk: host.disk, settings: this.settings, topology: TEST_TOPOLOGY } });
    actor.on('*', (effect) => this.perform(id, effect));
    host.timers.clear();
    host.actor = actor;
    actor.start();
  }

  /** The process dies; its disk survives. */
  crash(id: NodeId): void {
    const host = this.host(id);
    if (!host.actor) throw new Error(`${id} is already down`);
    host.disk = bullyProgram.diskOf(host.actor.getSnapshot());
    host.actor.stop();
    host.actor = null;
    host.timers.clear();
  }

  /** What a node left on its disk when it last went down; null before its first crash. */
  diskOf(id: NodeId): BullyDisk | null {
    return this.host(id).disk;
  }

  partition(...groups: NodeId[][]): void {
    this.groups = groups;
  }

  heal(): void {
    this.groups = null;
  }

  /** Delivers queued messages, and those they cause, until none is left. */
  deliverAll(): void {
    for (let steps = 0; this.queue.length > 0; steps++) {
      if (steps >= DELIVERY_LIMIT) throw new Error('messages keep flowing: no quiescence');
      const envelope = this.queue.shift()!;
      const actor = this.host(envelope.to).actor;
      if (!actor || !this.canReach(envelope.from, envelope.to)) continue;
      actor.send({ type: 'message', from: envelope.from, msg: envelope.msg });
    }
  }

  /** Fires one armed timer, then lets the messages settle. */
  fire(id: NodeId, name: string): void {
    this.trigger(id, name);
    this.deliverAll();
  }

  /** Fires the named timer on every node that has it armed, as if at the same instant, then settles. */
  fireWherever(name: string): void {
    for (const id of this.ids) if (this.host(id).timers.has(name)) this.trigger(id, name);
    this.deliverAll();
  }

  propose(id: NodeId, cmd: string): ReplyRecord {
    const actor = this.host(id).actor;
    if (!actor) throw new Error(`${id} is down`);
    actor.send({ type: 'propose', cmd });
    const reply = this.replies.at(-1);
    if (reply?.node !== id || reply.cmd !== cmd) throw new Error(`${id} did not answer ${cmd}`);
    return reply;
  }

  /** The effect that armed a node's timer, to read its duration; undefined when not armed. */
  timer(id: NodeId, name: string): Effect | undefined {
    return this.host(id).timers.get(name);
  }

  armed(id: NodeId): string[] {
    return [...this.host(id).timers.keys()].sort();
  }

  view(id: NodeId): NodeView {
    const actor = this.host(id).actor;
    if (!actor) return { role: 'down', term: null, detail: {} };
    return bullyProgram.view(actor.getSnapshot());
  }

  role(id: NodeId): string {
    return this.view(id).role;
  }

  coordinatorOf(id: NodeId): unknown {
    return this.view(id).detail['coordinator'];
  }

  /** The nodes that consider themselves coordinator right now. */
  leaders(): NodeId[] {
    return this.ids.filter((id) => this.role(id) === 'leader');
  }

  /** Every `leader` trace, as [node, epoch], in the order they happened. */
  announcements(): [NodeId, number][] {
    return this.traces.flatMap((t) => (t.type === 'leader' ? [[t.node, t.term] as [NodeId, number]] : []));
  }

  private perform(id: NodeId, effect: Effect): void {
    const timers = this.host(id).timers;
    switch (effect.type) {
      case 'send':
        this.sendFrom(id, effect.to, effect.msg as BullyMessage);
        return;
      case 'set-timer':
      case 'set-random-timer':
        timers.set(effect.name, effect);
        return;
      case 'cancel-timer':
        timers.delete(effect.name);
        return;
      case 'trace':
        this.traces.push({ ...effect.event, node: id });
        return;
      case 'client-reply':
        this.replies.push({ ...effect, node: id });
        return;
    }
  }

  private trigger(id: NodeId, name: string): void {
    const host = this.host(id);
    if (!host.actor) throw new Error(`${id} is down`);
    if (!host.timers.has(name)) throw new Error(`${id} has no ${name} timer armed (armed: ${this.armed(id).join(', ')})`);
    host.timers.delete(name);
    host.actor.send({ type: 'timer', name });
  }

  private sendFrom(from: NodeId, to: NodeId, msg: BullyMessage): void {
    const envelope = { from, to, msg };
    this.sent.push(envelope);
    this.queue.push(envelope);
  }

  private canReach(a: NodeId, b: NodeId): boolean {
    if (!this.groups) return true;
    const side = (id: NodeId) => this.groups!.findIndex((group) => group.includes(id));
    return side(a) === side(b);
  }

  private host(id: NodeId): Host {
    const host = this.hosts.get(id);
    if (!host) throw new Error(`no node ${id}`);
    return host;
  }
}

/** Boots a cluster and lets its first election finish. */
export function electedCluster(size: number): BullyCluster {
  const cluster = BullyCluster.booted(size);
  cluster.fireWherever('listen');
  cluster.fireWherever('answer');
  return cluster;
}
