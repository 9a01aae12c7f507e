/**
 * Witness mode on the shared machine network (tests/support/machine-network.ts): db-1, its
 * standbys and the witness. A `fence` powers the target off once the asking machine's step is
 * over and answers the asker, as the kernel's power controller does.
 */
import { databaseProgram } from '../../../src/sim/machines/database/program';
import { witnessProgram } from '../../../src/sim/machines/witness/program';
import type { DatabaseContext, DatabaseDisk, DatabaseMessage } from '../../../src/sim/machines/database/types';
import type { WitnessContext, WitnessMessage, WitnessReply } from '../../../src/sim/machines/witness/types';
import type { Step } from '../../../src/sim/machines/witness/logic';
import type { Effect, NodeId } from '../../../src/sim/machines/protocol';
import type { ReplicationMode, Settings, Topology } from '../../../src/sim/scenario/types';
import { MachineNetwork, type Envelope as AnyEnvelope } from '../../support/machine-network';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

type AnyMessage = DatabaseMessage | WitnessMessage;

export type Envelope = AnyEnvelope<AnyMessage>;

export interface WitnessClusterOptions {
  /** db-2, db-3, … in order. */
  readonly standbys?: readonly ReplicationMode[];
  readonly settings?: Partial<Settings>;
}

export function witnessTopology(standbys: readonly ReplicationMode[]): Topology {
  return { ...TEST_TOPOLOGY, orchestrators: 0, database: { standbys: standbys.map((replication) => ({ replication, region: 'primary' })), witness: true } };
}

/** The witness's context after one of its steps (the pure functions of witness/logic.ts, called by hand). */
export function apply(ctx: WitnessContext, step: Step): WitnessContext {
  return { ...ctx, ...step.patch };
}

/** The one reply a step of the witness sends. */
export function answer(step: Step): WitnessReply {
  const sent = step.effects.find((e) => e.type === 'send');
  if (!sent || sent.type !== 'send') throw new Error('the witness answered nothing');
  return sent.msg as WitnessReply;
}

export class WitnessCluster extends MachineNetwork<AnyMessage> {
  readonly databases: readonly NodeId[];
  private readonly pendingFences: { by: NodeId; node: NodeId }[] = [];
  private writeCount = 0;

  constructor(options: WitnessClusterOptions = {}) {
    const standbys = options.standbys ?? ['sync'];
    super({ settings: { ...TEST_SETTINGS, ...options.settings }, topology: witnessTopology(standbys) });
    this.databases = ['db-1', ...standbys.map((_, i) => `db-${i + 2}`)];
    for (const id of this.databases) this.boot(id, databaseProgram, this.databases.filter((other) => other !== id));
    this.boot('witness', witnessProgram, []);
  }

  /** Powers a node off; one that is already down stays so. */
  override crash(id: NodeId): DatabaseDisk | undefined {
    if (!this.isUp(id)) return undefined;
    return super.crash(id) as DatabaseDisk;
  }

  protected override performed(id: NodeId, effect: Effect): void {
    // The power controller answers once the machine's step is over, as the kernel does.
    if (effect.type === 'fence') this.pendingFences.push({ by: id, node: effect.node });
  }

  /** Performs the fences asked for so far: powers each target off and tells the asker. */
  protected override settled(): void {
    while (this.pendingFences.length > 0) {
      const { by, node } = this.pendingFences.shift()!;
      const wasUp = this.isUp(node);
      this.crash(node);
      const reason = wasUp ? `${by} powered ${node} off out of band (STONITH)` : `${node} is already down; ${by} keeps its power off (STONITH)`;
      if (this.isUp(by)) this.send(by, { type: 'fence-result', node, ok: true, reason });
    }
  }

  write(id: NodeId): string {
    const writeId = `w-${++this.writeCount}`;
    this.send(id, { type: 'write', id: writeId });
    return writeId;
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
    return this.contextOf<DatabaseContext>(id);
  }

  witness(): WitnessContext {
    return this.contextOf<WitnessContext>('witness');
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
