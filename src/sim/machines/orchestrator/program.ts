/** The orchestrator agent as a program the kernel hosts beside an orchestrator's Raft member. */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { agentMachine, type AgentMachine } from './machine';
import { dutyWatched, watchedBy } from './duties';

type AgentSnapshot = SnapshotFrom<AgentMachine>;

/** What the agent adds to its node's inspector: whom it watches and where a failover stands. */
export function agentDetail(snapshot: AgentSnapshot): NodeView['detail'] {
  const ctx = snapshot.context;
  const watched = dutyWatched(ctx);
  const duties: NodeView['detail'] = ctx.duties.enabled ? { watches: watched.join(', ') } : {};
  if (!ctx.active) return duties;
  const plan = ctx.plan;
  return {
    watchedPrimary: ctx.primary,
    watchedEpoch: ctx.epoch,
    failover: plan === null ? null : `${plan.from} → ${plan.to} (epoch ${plan.epoch}): ${plan.step}`,
    ...duties,
  };
}

function view(snapshot: AgentSnapshot): NodeView {
  return { role: snapshot.context.leading ? 'leader' : 'follower', term: null, detail: agentDetail(snapshot) };
}

function look(msg: Message): MessageLook {
  if (msg.type === 'ServerCheck' || msg.type === 'HealthCheck') return { family: 'health-check', label: 'check' };
  if (msg.type === 'ServerOk' || msg.type === 'HealthReply') return { family: 'health-reply', label: 'ok' };
  if (msg.type === 'LbAdd' || msg.type === 'LbRemove' || msg.type === 'DutyPropose' || msg.type === 'LbAck') return { family: 'command', label: msg.type };
  return { family: 'other', label: msg.type };
}

export const agentProgram: NodeProgram<AgentMachine, null> = {
  kind: 'orchestrator',
  machine: agentMachine,
  diskOf: () => null,
  view,
  facts: ({ context }) => ({ watches: watchedBy(context), agent: context }),
  look,
  handles: ['HealthReply', 'ServerCheck', 'ServerOk', 'DutyPropose', 'LbAck', 'OperatorRequest'],
};
