/**
 * Drives one orchestrator agent by hand, with no kernel: the test plays its Raft member (role
 * changes, applied entries), the database nodes (health replies) and the power controller
 * (fence results), and reads back every effect the agent emitted (a step's batch unpacked).
 */
import { createActor, type Actor } from 'xstate';
import { agentMachine, type AgentMachine } from '../../../src/sim/machines/orchestrator/machine';
import type { AgentEffect, AgentMessage } from '../../../src/sim/machines/orchestrator/types';
import type { HealthReply } from '../../../src/sim/machines/database/types';
import type { EffectBatch, NodeId } from '../../../src/sim/machines/protocol';
import type { ReplicationMode, Settings } from '../../../src/sim/scenario/types';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export interface AgentOptions {
  readonly settings?: Partial<Settings>;
  /** db-2, db-3, … in order. */
  readonly standbys?: readonly ReplicationMode[];
  readonly id?: NodeId;
}

export class AgentHarness {
  readonly effects: AgentEffect[] = [];
  readonly actor: Actor<AgentMachine>;
  readonly id: NodeId;
  private term = 0;
  private index = 0;

  constructor(options: AgentOptions = {}) {
    this.id = options.id ?? 'orch-1';
    const standbys = options.standbys ?? ['sync'];
    const topology = { ...TEST_TOPOLOGY, database: { standbys: standbys.map((replication) => ({ replication, region: 'primary' as const })), witness: false } };
    const settings = { ...TEST_SETTINGS, ...options.settings };
    this.actor = createActor(agentMachine, { input: { id: this.id, peers: ['orch-2', 'orch-3'], disk: null, settings, topology } });
    this.actor.on('*', (emitted: AgentEffect | EffectBatch<AgentMessage>) => {
      if (emitted.type !== 'effects') this.effects.push(emitted);
      else for (const effect of emitted.effects) this.effects.push(effect);
    });
    this.actor.start();
  }

  get ctx() {
    return this.actor.getSnapshot().context;
  }

  /** Its Raft member becomes leader (or another role). */
  role(role: 'leader' | 'follower'): void {
    if (role === 'leader') this.term++;
    this.actor.send({ type: 'member', event: { type: 'role', role, term: this.term, reason: 'test' } });
  }

  /** Its Raft member applies `cmd` (committed by a majority). */
  apply(cmd: string): void {
    this.actor.send({ type: 'member', event: { type: 'apply', index: ++this.index, term: this.term, cmd } });
  }

  fire(name: string): void {
    this.actor.send({ type: 'timer', name });
  }

  reply(from: NodeId, fields: Partial<HealthReply> = {}): void {
    const seq = this.ctx.awaiting[from];
    if (seq === undefined) throw new Error(`no check to ${from} is waiting for an answer`);
    const msg: HealthReply = { type: 'HealthReply', seq, role: 'standby', epoch: 1, writable: false, flushLsn: 0, replayLsn: 0, ...fields };
    this.actor.send({ type: 'message', from, msg });
  }

  fenceResult(node: NodeId, ok: boolean, reason = ok ? `${node} powered off` : 'the data centre is dark'): void {
    this.actor.send({ type: 'fence-result', node, ok, reason });
  }

  /** Effects emitted from now on: `mark()` then `since(mark)`. */
  mark(): number {
    return this.effects.length;
  }

  since(mark: number): AgentEffect[] {
    return this.effects.slice(mark);
  }

  proposals(mark = 0): string[] {
    return this.since(mark).flatMap((e) => (e.type === 'local-propose' ? [e.cmd] : []));
  }

  sent(mark = 0, to?: NodeId): { to: NodeId; msg: Extract<AgentEffect, { type: 'send' }>['msg'] }[] {
    return this.since(mark).flatMap((e) => (e.type === 'send' && (to === undefined || e.to === to) ? [{ to: e.to, msg: e.msg }] : []));
  }

  failoverSteps(mark = 0): { step: string; ok: boolean; text: string }[] {
    return this.since(mark).flatMap((e) => (e.type === 'trace' && e.event.type === 'failover' ? [{ step: e.event.step, ok: e.event.ok, text: e.event.text }] : []));
  }

  /** The lease entry this agent proposed last. */
  lastLeaseProposal(): string {
    const cmd = this.proposals().filter((c) => c.startsWith('lease ')).at(-1);
    if (cmd === undefined) throw new Error('no lease proposed');
    return cmd;
  }

  /**
   * One health-check round as leader in which the primary does not answer: the tick proposes the
   * lease, the entry is applied, the check goes out and times out; standbys answer with `flushLsn`.
   */
  failedRound(standbyFlush: Readonly<Record<NodeId, number>> = { 'db-2': 1000 }): void {
    this.fire('tick');
    this.apply(this.lastLeaseProposal());
    for (const [db, flushLsn] of Object.entries(standbyFlush)) if (this.ctx.awaiting[db] !== undefined) this.reply(db, { flushLsn });
    this.fire('timeout:db-1');
  }
}
