/** The orchestrator agent as a program the kernel hosts beside an orchestrator's Raft member. */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { agentMachine, type AgentMachine } from './machine';

type AgentSnapshot = SnapshotFrom<AgentMachine>;

/** What the agent adds to its node's inspector: whom it watches and where a failover stands. */
export function agentDetail(snapshot: AgentSnapshot): NodeView['detail'] {
  const ctx = snapshot.context;
  if (!ctx.active) return {};
  const plan = ctx.plan;
  return {
    watchedPrimary: ctx.primary,
    watchedEpoch: ctx.epoch,
    failover: plan === null ? null : `${plan.from} → ${plan.to} (epoch ${plan.epoch}): ${plan.step}`,
  };
}

function view(snapshot: AgentSnapshot): NodeView {
  return { role: snapshot.context.leading ? 'leader' : 'follower', term: null, detail: agentDetail(snapshot) };
}

function look(msg: Message): MessageLook {
  return { family: 'other', label: msg.type };
}

export const agentProgram: NodeProgram<AgentMachine, null> = {
  kind: 'orchestrator',
  machine: agentMachine,
  diskOf: () => null,
  view,
  look,
  handles: ['HealthReply'],
};
