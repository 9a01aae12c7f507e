/**
 * A tiny stand-in for the kernel in witness mode: db-1, its standbys and the witness as XState
 * actors. Sent messages wait in one list until a test delivers or drops them, a timer fires only
 * when a test says so, and a `fence` powers the target off at once and answers the asker, as the
 * kernel's power controller does. Every effect is kept, per node, for the test to read.
 */
import { createActor, type AnyActorRef } from 'xstate';
import { databaseProgram } from '../../../src/sim/machines/database/program';
import { witnessProgram } from '../../../src/sim/machines/witness/program';
import type { DatabaseContext, DatabaseDisk, DatabaseMessage } from '../../../src/sim/machines/database/types';
import type { WitnessContext, WitnessDisk, WitnessMessage } from '../../../src/sim/machines/witness/types';
import type { Effect, NodeEvent, NodeId, NodeTrace } from '../../../src/sim/machines/protocol';
import type { ReplicationMode, Settings, Topology } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

type AnyMessage = DatabaseMessage | WitnessMessage;

export interface Envelope {
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: AnyMessage;
}

export interface WitnessClusterOptions {
  /** db-2, db-3, … in order. */
  readonly standbys?: readonly ReplicationMode[];
  readonly settings?: Partial<Settings>;
}

export function witnessTopology(standbys: readonly ReplicationMode[]): Topology {
  return { ...TEST_TOPOLOGY, orchestrators: 0, database: { standbys: standbys.map((replication) => ({ replication, region: 'primary' })), witness: true } };
}

export class WitnessCluster {
  readonly databases: readonly NodeId[];
  readonly settings: Settings;
  readonly topology: Topology;
  inFlight: Envelope[] = [];
  readonly effects = new Map<NodeId, Effect[]>();
  private readonly actors = new Map<NodeId, AnyActorRef>();
  private readonly disks = new Map<NodeId, unknown>();
  private readonly armed = new Map<NodeId, Map<string, number>>();
  private readonly cutLinks = new Set<string>();
  private readonly pendingFences: { by: NodeId; node: NodeId }[] = [];
  private writeCount = 0;

  constructor(options: WitnessClusterOptions = {}) {
    const standbys = options.standbys ?? ['sync'];
    this.databases = ['db-1', ...standbys.map((_, i) => `db-${i + 2}`)];
    this.settings = { ...TEST_SETTINGS, ...options.settings };
    this.topology = witnessTopology(standbys);
    for (const id of [...this.databases, 'witness']) this.boot(id);
  }

  private boot(id: NodeId): void {
    const base = { id, settings: this.settings, topology: this.topology };
    const actor: AnyActorRef =
      id === 'witness'
        ? createActor(witnessProgram.machine, { input: { ...base, peers: [], disk: (this.disks.get(id) ?? null) as WitnessDisk | null } })
        : createActor(databaseProgram.machine, {
            input: { ...base, peers: this.databases.filter((other) => other !== id), disk: (this.disks.get(id) ?? null) as DatabaseDisk | null },
          });
    this.armed.set(id, new Map());
    actor.on('*', (effect: Effect) => this.perform(id, effect));
    this.actors.set(id, actor);
    actor.start();
  }

  crash(id: NodeId): void {
    const actor = this.actors.get(id);
    if (!actor) return;
    const program = id === 'witness' ? witnessProgram : databaseProgram;
    this.disks.set(id, program.diskOf(actor.getSnapshot() as never));
    actor.stop();
    this.actors.delete(id);
    this.armed.get(id)?.clear();
  }

  restart(id: NodeId): void {
    if (this.actors.has(id)) throw new Error(`${id} is running`);
    this.boot(id);
  }

  isUp(id: NodeId): boolean {
    return this.actors.has(id);
  }

  private perform(id: NodeId, effect: Effect): void {
    this.effectsOf(id).push(effect);
    const timers = this.armed.get(id)!;
    switch (effect.type) {
      case 'send':
        this.inFlight.push({ from: id, to: effect.to, msg: effect.msg as AnyMessage });
        return;
      case 'set-timer':
        timers.set(effect.name, effect.afterMs);
        return;
      case 'cancel-timer':
        timers.delete(effect.name);
        return;
      case 'fence':
        // The power controller answers once the machine's step is over, as the kernel does.
        this.pendingFences.push({ by: id, node: effect.node });
        return;
      default:
        return;
    }
  }

  /** Performs the fences asked for so far: powers each target off and tells the asker. */
  private fenceAll(): void {
    while (this.pendingFences.length > 0) {
      const { by, node } = this.pendingFences.shift()!;
      const wasUp = this.isUp(node);
      this.crash(node);
      const reason = wasUp ? `${by} powered ${node} off out of band (STONITH)` : `${node} is already down; ${by} keeps its power off (STONITH)`;
      if (this.isUp(by)) this.send(by, { type: 'fence-result', node, ok: true, reason });
    }
  }

  send(id: NodeId, event: NodeEvent<AnyMessage>): void {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`${id} is down`);
    actor.send(event);
    const snapshot = actor.getSnapshot() as { status: string; error?: unknown };
    if (snapshot.status === 'error') throw snapshot.error;
    this.fenceAll();
  }

  write(id: NodeId): string {
    const writeId = `w-${++this.writeCount}`;
    this.send(id, { type: 'write', id: writeId });
    return writeId;
  }

  fire(id: NodeId, timer: string): void {
    if (!this.isArmed(id, timer)) throw new Error(`${id} has no ${timer} timer armed`);
    this.armed.get(id)!.delete(timer);
    this.send(id, { type: 'timer', name: timer });
  }

  fireIfArmed(id: NodeId, timer: string): boolean {
    if (!this.isUp(id) || !this.isArmed(id, timer)) return false;
    this.fire(id, timer);
    return true;
  }

  isArmed(id: NodeId, timer: string): boolean {
    return this.armed.get(id)?.has(timer) ?? false;
  }

  armedAfterMs(id: NodeId, timer: string): number | undefined {
    return this.armed.get(id)?.get(timer);
  }

  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}|${b}`).add(`${b}|${a}`);
  }

  /** Cuts every link between `id` and the others. */
  isolate(id: NodeId): void {
    for (const other of [...this.databases, 'witness']) if (other !== id) this.cut(id, other);
  }

  heal(): void {
    this.cutLinks.clear();
  }

  deliverAll(limit = 100_000): void {
    for (let i = 0; this.inFlight.length > 0; i++) {
      if (i >= limit) throw new Error('messages keep flowing');
      const envelope = this.inFlight.shift()!;
      if (this.isUp(envelope.to) && !this.cutLinks.has(`${envelope.from}|${envelope.to}`)) {
        this.send(envelope.to, { type: 'message', from: envelope.from, msg: envelope.msg });
      }
    }
  }

  /** Drops the messages in flight that match. */
  drop(match: (e: Envelope) => boolean): Envelope[] {
    const dropped = this.inFlight.filter(match);
    this.inFlight = this.inFlight.filter((e) => !match(e));
    return dropped;
  }

  /**
   * One health-check round of everyone in witness mode: the primary asks the witness to renew its
   * lease, each standby checks its primary; answers are delivered, then waits that ran out fire.
   */
  round(): void {
    for (const id of this.databases) {
      this.fireIfArmed(id, 'witness-renew');
      this.fireIfArmed(id, 'peer-check');
    }
    this.deliverAll();
    // A check unanswered now has failed; a lock request that failure sends is answered before the witness's wait runs out.
    for (const id of this.databases) this.fireIfArmed(id, 'peer-wait');
    this.deliverAll();
    for (const id of this.databases) this.fireIfArmed(id, 'witness-wait');
    this.deliverAll();
  }

  db(id: NodeId): DatabaseContext {
    const actor = this.actors.get(id);
    if (!actor) throw new Error(`${id} is down`);
    return actor.getSnapshot().context as DatabaseContext;
  }

  witness(): WitnessContext {
    return this.actors.get('witness')!.getSnapshot().context as WitnessContext;
  }

  diskOf(id: NodeId): DatabaseDisk | undefined {
    return this.disks.get(id) as DatabaseDisk | undefined;
  }

  effectsOf(id: NodeId): Effect[] {
    let list = this.effects.get(id);
    if (!list) this.effects.set(id, (list = []));
    return list;
  }

  tracesOf(id: NodeId): NodeTrace[] {
    return this.effectsOf(id).flatMap((e) => (e.type === 'trace' ? [e.event] : []));
  }

  failoverSteps(id: NodeId): { step: string; ok: boolean; text: string; epoch: number }[] {
    return this.tracesOf(id).flatMap((t) => (t.type === 'failover' ? [{ step: t.step, ok: t.ok, text: t.text, epoch: t.epoch }] : []));
  }

  writeReplies(id: NodeId): { id: string; ok: boolean }[] {
    return this.effectsOf(id).flatMap((e) => (e.type === 'write-reply' ? [{ id: e.id, ok: e.ok }] : []));
  }

  sentBy(id: NodeId, type?: string): Envelope[] {
    return this.effectsOf(id).flatMap((e) => (e.type === 'send' && (type === undefined || e.msg.type === type) ? [{ from: id, to: e.to, msg: e.msg as AnyMessage }] : []));
  }
}
