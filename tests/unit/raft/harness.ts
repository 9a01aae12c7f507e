/**
 * Raft machines on the shared machine network (tests/support/machine-network.ts): the cluster
 * `orch-1` … `orch-N`, client replies kept, and the scripts Raft tests repeat (an election, a
 * heartbeat round) and readings (terms, logs, leaders, applied commands).
 */
import { raftProgram } from '../../../src/sim/machines/raft/program';
import type { LogEntry, RaftContext, RaftDisk, RaftMessage } from '../../../src/sim/machines/raft/types';
import type { Effect, NodeId } from '../../../src/sim/machines/protocol';
import type { Settings } from '../../../src/sim/scenario/types';
import { MachineNetwork, messageFrom as from, messageTo as to, type Envelope as AnyEnvelope } from '../../support/machine-network';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export type { TimelineEntry } from '../../support/machine-network';

export const SETTINGS: Settings = TEST_SETTINGS;

export type Envelope = AnyEnvelope<RaftMessage>;

export interface ClientReply {
  readonly node: NodeId;
  readonly cmd: string;
  readonly accepted: boolean;
  readonly leaderHint: NodeId | null;
}

export function ids(size: number): NodeId[] {
  return Array.from({ length: size }, (_, i) => `orch-${i + 1}`);
}

export class Cluster extends MachineNetwork<RaftMessage> {
  /** Every node ever started here: the first `size`, then those added with `addNode`. */
  private readonly nodeIds: NodeId[];
  readonly replies: ClientReply[] = [];

  /** `disks` lets a test start some nodes from a disk it wrote, as after a restart. */
  constructor(size: number, settings: Partial<Settings> = {}, disks: Readonly<Record<NodeId, RaftDisk>> = {}) {
    super({ settings: { ...SETTINGS, ...settings }, topology: { ...TEST_TOPOLOGY, orchestrators: size, election: 'raft' } });
    this.nodeIds = ids(size);
    for (const id of this.nodeIds) this.boot(id, raftProgram, this.nodeIds.filter((other) => other !== id), disks[id] ?? null);
  }

  get ids(): readonly NodeId[] {
    return this.nodeIds;
  }

  /** Starts a brand-new node as the kernel provisions one: no peers, no disk; it learns the configuration from the leader. */
  addNode(id: NodeId): void {
    if (this.nodeIds.includes(id)) throw new Error(`${id} exists`);
    this.nodeIds.push(id);
    this.boot(id, raftProgram, []);
  }

  override crash(id: NodeId): RaftDisk {
    return super.crash(id) as RaftDisk;
  }

  protected override performed(id: NodeId, effect: Effect): void {
    if (effect.type === 'client-reply') this.replies.push({ node: id, cmd: effect.cmd, accepted: effect.accepted, leaderHint: effect.leaderHint });
  }

  propose(id: NodeId, cmd: string): void {
    this.send(id, { type: 'propose', cmd });
  }

  // --- reading the nodes

  state(id: NodeId): string {
    return this.stateOf(id);
  }

  ctx(id: NodeId): RaftContext {
    return this.contextOf<RaftContext>(id);
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

  /** The commands `id` applied, in order, across all its lives. */
  applied(id: NodeId): string[] {
    return this.tracesOfType(id, 'apply').map((t) => t.cmd);
  }

  // --- common scripts

  /** `id`'s election timer fires and every message is delivered; returns the term it campaigned in. */
  elect(id: NodeId): number {
    this.fire(id, 'election');
    this.deliverAll(10_000);
    return this.term(id);
  }

  /** The leader's heartbeat fires and everything settles. */
  heartbeat(leader: NodeId): void {
    this.fire(leader, 'heartbeat');
    this.deliverAll(10_000);
  }

  /** Delivers in order until nothing is in flight (the replies too). */
  override deliverAll(limit = 10_000): void {
    super.deliverAll(limit);
  }
}

export function messageTo(node: NodeId, type?: RaftMessage['type']): (e: Envelope) => boolean {
  return to<RaftMessage>(node, type);
}

export function messageFrom(node: NodeId, type?: RaftMessage['type']): (e: Envelope) => boolean {
  return from<RaftMessage>(node, type);
}

export function entries(...specs: [term: number, cmd: string][]): LogEntry[] {
  return specs.map(([term, cmd]) => ({ term, cmd }));
}
