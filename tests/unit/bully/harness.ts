/**
 * Bully machines on the shared machine network (tests/support/machine-network.ts): messages go
 * in one FIFO queue, and firing a timer lets them settle. Crashes keep the disk; partitions drop
 * messages at delivery, like the network.
 */
import { bullyProgram } from '../../../src/sim/machines/bully/program';
import type { BullyDisk, BullyMessage } from '../../../src/sim/machines/bully/types';
import type { Effect, NodeId, NodeTrace, NodeView } from '../../../src/sim/machines/protocol';
import type { Settings } from '../../../src/sim/scenario/types';
import { MachineNetwork, type Envelope as AnyEnvelope } from '../../support/machine-network';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export const SETTINGS: Settings = TEST_SETTINGS;

export type Envelope = AnyEnvelope<BullyMessage>;

export type TraceRecord = NodeTrace & { readonly node: NodeId };
export type ReplyRecord = Extract<Effect, { type: 'client-reply' }> & { readonly node: NodeId };

/** Bounds every delivery loop: a Bully run that needs more than this is itself a bug. */
const DELIVERY_LIMIT = 10_000;

export class BullyCluster extends MachineNetwork<BullyMessage> {
  readonly ids: readonly NodeId[];
  readonly replies: ReplyRecord[] = [];

  constructor(size: number, settings: Settings = SETTINGS) {
    super({ settings, topology: TEST_TOPOLOGY });
    this.ids = Array.from({ length: size }, (_, i) => `orch-${i + 1}`);
    for (const id of this.ids) this.add(id, bullyProgram, this.ids.filter((peer) => peer !== id));
  }

  /** Boots every node in id order. */
  static booted(size: number, settings: Settings = SETTINGS): BullyCluster {
    const cluster = new BullyCluster(size, settings);
    for (const id of cluster.ids) cluster.start(id);
    return cluster;
  }

  /** Every trace, with its node, in the order they happened. */
  get traces(): TraceRecord[] {
    return this.timeline.flatMap((line) => ('trace' in line ? [{ ...line.trace, node: line.node }] : []));
  }

  /** What a node left on its disk when it last went down; null before its first crash. */
  override diskOf(id: NodeId): BullyDisk | null {
    return this.storedDisk(id) as BullyDisk | null;
  }

  protected override performed(id: NodeId, effect: Effect): void {
    if (effect.type === 'client-reply') this.replies.push({ ...effect, node: id });
  }

  /** Delivers queued messages, and those they cause, until none is left. */
  override deliverAll(): void {
    super.deliverAll(DELIVERY_LIMIT);
  }

  /** Fires one armed timer, then lets the messages settle. */
  override fire(id: NodeId, name: string): void {
    super.fire(id, name);
    this.deliverAll();
  }

  /** Fires the named timer on every node that has it armed, as if at the same instant, then settles. */
  fireWherever(name: string): void {
    for (const id of this.ids) if (this.isUp(id) && this.isArmed(id, name)) super.fire(id, name);
    this.deliverAll();
  }

  propose(id: NodeId, cmd: string): ReplyRecord {
    this.send(id, { type: 'propose', cmd });
    const reply = this.replies.at(-1);
    if (reply?.node !== id || reply.cmd !== cmd) throw new Error(`${id} did not answer ${cmd}`);
    return reply;
  }

  /** The effect that armed a node's timer, to read its duration; undefined when not armed. */
  timer(id: NodeId, name: string): Effect | undefined {
    return this.timerEffect(id, name);
  }

  armed(id: NodeId): string[] {
    return this.armedTimers(id).sort();
  }

  view(id: NodeId): NodeView {
    return this.isUp(id) ? this.viewOf(id) : { role: 'down', term: null, detail: {} };
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
}

/** Boots a cluster and lets its first election finish. */
export function electedCluster(size: number): BullyCluster {
  const cluster = BullyCluster.booted(size);
  cluster.fireWherever('listen');
  cluster.fireWherever('answer');
  return cluster;
}

/**
 * Three nodes elected (orch-3 coordinating), then orch-3 crashed or cut off from {orch-1, orch-2}:
 * `starter` calls an election, and orch-2, hearing no answer from above, coordinates in epoch 2.
 */
export function orch2TookOver(orch3: 'crash' | 'partition', starter: 'orch-1' | 'orch-2'): BullyCluster {
  const cluster = electedCluster(3);
  if (orch3 === 'crash') cluster.crash('orch-3');
  else cluster.partition(['orch-1', 'orch-2'], ['orch-3']);
  cluster.fire(starter, 'election');
  cluster.fire('orch-2', 'answer');
  return cluster;
}
