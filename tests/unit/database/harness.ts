/**
 * Database machines on the shared machine network (tests/support/machine-network.ts): db-1 and
 * its standbys, client writes and their replies, and the scripts database tests repeat (a WAL
 * sender tick, an operator's promotion). Messages to ids that are not database nodes (an
 * orchestrator's health check replies) are kept in `outside`.
 */
import { databaseProgram } from '../../../src/sim/machines/database/program';
import type { DatabaseContext, DatabaseDisk, DatabaseMessage } from '../../../src/sim/machines/database/types';
import type { Effect, NodeId, NodeView } from '../../../src/sim/machines/protocol';
import type { ReplicationMode, Settings, Topology } from '../../../src/sim/scenario/types';
import { MachineNetwork, messageFrom as from, messageTo as to, type Envelope as AnyEnvelope } from '../../support/machine-network';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export type Envelope = AnyEnvelope<DatabaseMessage>;

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

export class DbCluster extends MachineNetwork<DatabaseMessage> {
  readonly ids: readonly NodeId[];
  readonly replies: WriteReply[] = [];
  private writeCount = 0;

  constructor(options: ClusterOptions = {}) {
    const standbys = options.standbys ?? ['sync'];
    const ids = ['db-1', ...standbys.map((_, i) => `db-${i + 2}`)];
    super({
      settings: { ...TEST_SETTINGS, quorum: false, ...options.settings },
      topology: databaseTopology(standbys, options.orchestrators ?? 0),
      isOutside: (id) => !ids.includes(id),
    });
    this.ids = ids;
    for (const id of ids) this.boot(id, databaseProgram, ids.filter((other) => other !== id));
  }

  override crash(id: NodeId): DatabaseDisk {
    return super.crash(id) as DatabaseDisk;
  }

  protected override performed(id: NodeId, effect: Effect): void {
    if (effect.type === 'write-reply') this.replies.push({ node: id, id: effect.id, ok: effect.ok, lsn: effect.lsn, reason: effect.reason });
    if (effect.type === 'client-reply') throw new Error('a database node answered a proposal');
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

  // --- reading the nodes

  ctx(id: NodeId): DatabaseContext {
    return this.contextOf<DatabaseContext>(id);
  }

  state(id: NodeId): string {
    return this.stateOf(id);
  }

  view(id: NodeId): NodeView {
    return this.viewOf(id);
  }

  /** The write ids in `id`'s flushed WAL, in order (the retained part). */
  flushedWrites(id: NodeId): string[] {
    const ctx = this.ctx(id);
    return ctx.wal.filter((r) => r.lsn <= ctx.flushLsn).map((r) => r.write);
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

export function messageTo(node: NodeId, type?: DatabaseMessage['type']): (e: Envelope) => boolean {
  return to<DatabaseMessage>(node, type);
}

export function messageFrom(node: NodeId, type?: DatabaseMessage['type']): (e: Envelope) => boolean {
  return from<DatabaseMessage>(node, type);
}
