/**
 * A tiny stand-in for the kernel, for driving database machines by hand: every node is an XState
 * actor, sent messages wait in one list until a test delivers or drops them, and a timer fires
 * only when a test says so (the harness remembers each armed timer's delay). A crash keeps the
 * flushed disk; a wipe loses it. Messages to ids that are not database nodes (an orchestrator's
 * health check replies) are kept in `outside`.
 */
import { createActor, type Actor } from 'xstate';
import { databaseProgram } from '../../../src/sim/machines/database/program';
import type { DatabaseMachine } from '../../../src/sim/machines/database/machine';
import type { DatabaseContext, DatabaseDisk, DatabaseEffect, DatabaseMessage } from '../../../src/sim/machines/database/types';
import type { NodeEvent, NodeId, NodeTrace, NodeView } from '../../../src/sim/machines/protocol';
import type { ReplicationMode, Settings, Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: DatabaseMessage;
}

export interface WriteReply {
  readonly node: NodeId;
  readonly id: string;
  readonly ok: boolean;
  readonly lsn: number | null;
  readonly reason: string | null;
}

export interface ClusterOptions {
  /** db-2, db-3, … in order. */
  readonly standbys?: readonly ReplicationMode[];
  readonly settings?: Partial<Settings>;
  /** Orchestrators in the topology: with quorum on, they make the lease apply. */
  readonly orchestrators?: number;
}

/** A topology with db-1 and the given standbys, all in the primary region. */
export function databaseTopology(standbys: readonly ReplicationMode[], orchestrators = 0): Topology {
  return {
    ...TEST_TOPOLOGY,
    orchestrators,
    database: { standbys: standbys.map((replication) => ({ replication, region: 'primary' })), witness: false },
  };
}

type DatabaseActor = Actor<DatabaseMachine>;

export class DbCluster {
  readonly ids: readonly NodeId[];
  readonly settings: Settings;
  readonly topology: Topology;
  inFlight: Envelope[] = [];
  /** Messages to nodes outside the database cluster (orchestrators), in order. */
  readonly outside: Envelope[] = [];
  readonly replies: WriteReply[] = [];
  private readonly traces = new Map<NodeId, NodeTrace[]>();
  private readonly actors = new Map<NodeId, DatabaseActor>();
  private readonly disks = new Map<NodeId, DatabaseDisk | null>();
  private readonly wiped = new Set<NodeId>();
  private readonly armed = new Map<NodeId, Map<string, number>>();
  private readonly cutLinks = new Set<string>();
  private writeCount = 0;

  constructor(options: ClusterOptions = {}) {
    const standbys = options.standbys ?? ['sync'];
    this.ids = ['db-1', ...standbys.map((_, i) => `db-${i + 2}`)];
    this.settings = { ...TEST_SETTINGS, quorum: false, ...options.settings };
    this.topology = databaseTopology(standbys, options.orchestrators ?? 0);
    for (const id of this.ids) this.boot(id);
  }

  // --- processes

  private boot(id: NodeId): void {
    const peers = this.ids.filter((other) => other !== id);
    const disk = this.disks.get(id) ?? null;
    const input = { id, peers, disk, settings: this.settings, topology: this.topology, diskWiped: this.wiped.has(id) };
    const actor = createActor(databaseProgram.machine, { input });
    this.armed.set(id, new Map());
    actor.on('*', (effect) => this.perform(id, effect as DatabaseEffect));
    this.actors.set(id, actor);
    actor.start();
    this.checkHealthy(id);
  }

  crash(id: NodeId): DatabaseDisk {
    const actor = this.actorOf(id);
    const disk = databaseProgram.diskOf(actor.getSnapshot());
    actor.stop();
    this.actors.delete(id);
    this.disks.set(id, disk);
    this.armed.get(id)?.clear();
    return disk;
  }

  /** The disk fails: the node dies and its data is gone. */
  wipe(id: NodeId): void {
    if (this.isUp(id)) this.crash(id);
    this.disks.set(id, null);
    this.wiped.add(id);
  }

  restart(id: NodeId): void {
    if (this.actors.has(id)) throw new Error(`${id} is running`);
    this.boot(id);
    this.wiped.delete(id);
  }

  isUp(id: NodeId): boolean {
    return this.actors.has(id);
  }

  private perform(id: NodeId, effect: DatabaseEffect): void {
    const timers = this.armed.get(id)!;
    switch (effect.type) {
      case 'send':
        if (this.ids.includes(effect.to)) this.inFlight.push({ from: id, to: effect.to, msg: effect.msg });
        else this.outside.push({ from: id, to: effect.to, msg: effect.msg });
        break;
      case 'set-timer':
        timers.set(effect.name, effect.afterMs);
        break;
      case 'set-random-timer':
        timers.set(effect.name, effect.minMs);
        break;
      case 'cancel-timer':
        timers.delete(effect.name);
        break;
      case 'write-reply':
        this.replies.push({ node: id, id: effect.id, ok: effect.ok, lsn: effect.lsn, reason: effect.reason });
        break;
      case 'trace':
        this.tracesOf(id).push(effect.event);
        break;
      case 'client-reply':
        throw new Error('a database node answered a proposal');
    }
  }

  private checkHealthy(id: NodeId): void {
    const snapshot = this.actorOf(id).getSnapshot();
    if (snapshot.status === 'error') throw snapshot.error;
  }

  // --- events

  send(id: NodeId, event: NodeEvent<DatabaseMessage>): void {
    this.actorOf(id).send(event);
    this.checkHealthy(id);
  }

  /** A client write to `id`; returns its id (w-1, w-2, …). */
  write(id: NodeId): string {
    const writeId = `w-${++this.writeCount}`;
    this.send(id, { type: 'write', id: writeId });
    return writeId;
  }

  /** `count` writes to `id`, delivering everything after each; returns their ids. */
  writeSettled(id: NodeId, count: number): string[] {
    const ids: string[] = [];
    for (let k = 0; k < count; k++) {
      ids.push(this.write(id));
      this.deliverAll();
    }
    return ids;
  }

  /** A message from outside the cluster (an orchestrator, a witness). */
  deliverFromOutside(to: NodeId, msg: DatabaseMessage, from: NodeId = 'orch-1'): void {
    this.send(to, { type: 'message', from, msg });
  }

  armedAfterMs(id: NodeId, timer: string): number | undefined {
    return this.armed.get(id)?.get(timer);
  }

  isArmed(id: NodeId, timer: string): boolean {
    return this.armed.get(id)?.has(timer) ?? false;
  }

  fire(id: NodeId, timer: string): void {
    if (!this.isArmed(id, timer)) throw new Error(`${id} has no ${timer} timer armed`);
    this.armed.get(id)!.delete(timer);
    this.send(id, { type: 'timer', name: timer });
  }

  /** Fires `timer` on `id` if armed; returns whether it did. */
  fireIfArmed(id: NodeId, timer: string): boolean {
    if (!this.isUp(id) || !this.isArmed(id, timer)) return false;
    this.fire(id, timer);
    return true;
  }

  // --- network

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  isolate(...group: NodeId[]): void {
    for (const a of group) for (const b of this.ids) if (!group.includes(b)) this.cut(a, b);
  }

  heal(): void {
    this.cutLinks.clear();
  }

  deliverAt(index: number): Envelope {
    const [envelope] = this.inFlight.splice(index, 1);
    if (!envelope) throw new Error(`no message at ${index}`);
    if (this.isUp(envelope.to) && !this.cutLinks.has(`${envelope.from}|${envelope.to}`)) {
      this.send(envelope.to, { type: 'message', from: envelope.from, msg: envelope.msg });
    }
    return envelope;
  }

  deliverAll(limit = 100_000): void {
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

  private actorOf(id: NodeId): DatabaseActor {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`${id} is down`);
    return actor;
  }

  ctx(id: NodeId): DatabaseContext {
    return this.actorOf(id).getSnapshot().context;
  }

  state(id: NodeId): string {
    return String(this.actorOf(id).getSnapshot().value);
  }

  view(id: NodeId): NodeView {
    return databaseProgram.view(this.actorOf(id).getSnapshot());
  }

  /** The write ids in `id`'s flushed WAL, in order (the retained part). */
  flushedWrites(id: NodeId): string[] {
    const ctx = this.ctx(id);
    return ctx.wal.filter((r) => r.lsn <= ctx.flushLsn).map((r) => r.write);
  }

  tracesOf(id: NodeId): NodeTrace[] {
    let list = this.traces.get(id);
    if (!list) this.traces.set(id, (list = []));
    return list;
  }

  tracesOfType<T extends NodeTrace['type']>(id: NodeId, type: T): Extract<NodeTrace, { type: T }>[] {
    return this.tracesOf(id).filter((t): t is Extract<NodeTrace, { type: T }> => t.type === type);
  }

  acked(): WriteReply[] {
    return this.replies.filter((r) => r.ok);
  }

  replyTo(writeId: string): WriteReply | undefined {
    return this.replies.find((r) => r.id === writeId);
  }

  // --- common scripts

  /** One sender tick on every up primary, then everything delivered. */
  tick(): void {
    for (const id of this.ids) this.fireIfArmed(id, 'wal-sender');
    this.deliverAll();
  }

  /** An operator promotes `id`, and everything settles. */
  promote(id: NodeId): void {
    this.send(id, { type: 'operator', action: 'promote' });
    this.deliverAll();
  }
}

export function messageTo(to: NodeId, type?: DatabaseMessage['type']): (e: Envelope) => boolean {
  return (e) => e.to === to && (type === undefined || e.msg.type === type);
}

export function messageFrom(from: NodeId, type?: DatabaseMessage['type']): (e: Envelope) => boolean {
  return (e) => e.from === from && (type === undefined || e.msg.type === type);
}
