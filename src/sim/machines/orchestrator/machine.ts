/**
 * The orchestrator agent as an XState machine. It has one state: what it does depends on facts it
 * keeps in context (whether its Raft member leads, where a failover stands), and each event is a
 * step of logic.ts. Every message, timer, proposal, fence and trace leaves as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import type { NodeEvent } from '../protocol';
import type { ProgramInput } from '../program';
import * as agent from './logic';
import type { AgentContext, AgentEffect, AgentMessage } from './types';

type AgentEvent = NodeEvent<AgentMessage>;

interface Enqueue {
  assign(patch: Partial<AgentContext>): void;
  emit(effect: AgentEffect): void;
}

function perform(enqueue: Enqueue, { patch, effects }: agent.Step): void {
  if (Object.keys(patch).length > 0) enqueue.assign(patch);
  for (const effect of effects) enqueue.emit(effect);
}

export const agentMachine = setup({
  types: {
    context: {} as AgentContext,
    events: {} as AgentEvent,
    input: {} as ProgramInput<null>,
    emitted: {} as AgentEffect,
  },
  actions: {
    boot: enqueueActions(({ context, enqueue }) => perform(enqueue, agent.boot(context))),
    member: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'member') perform(enqueue, agent.onMember(context, event.event));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer') perform(enqueue, agent.onTimer(context, event.name));
    }),
    reply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'message' && event.msg.type === 'HealthReply') perform(enqueue, agent.onReply(context, event.from, event.msg));
    }),
    fenceResult: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'fence-result') perform(enqueue, agent.onFenceResult(context, event.node, event.ok, event.reason));
    }),
  },
}).createMachine({
  id: 'orchestrator-agent',
  context: ({ input }) => agent.initialContext(input),
  initial: 'running',
  states: {
    running: {
      entry: 'boot',
      on: {
        member: { actions: 'member' },
        timer: { actions: 'timer' },
        message: { actions: 'reply' },
        'fence-result': { actions: 'fenceResult' },
      },
    },
  },
});

export type AgentMachine = typeof agentMachine;
