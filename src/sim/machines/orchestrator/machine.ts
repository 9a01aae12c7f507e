/**
 * The orchestrator agent as an XState machine. It has one state: what it does depends on facts it
 * keeps in context (whether its Raft member leads, where a failover stands), and each event is a
 * step of logic.ts. Every message, timer, proposal, fence and trace leaves as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import type { NodeEvent } from '../protocol';
import type { ProgramInput } from '../program';
import * as agent from './logic';
import * as duties from './duties';
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
    // The two jobs (the database's failover in logic.ts, the servers and workers in duties.ts)
    // change disjoint parts of the context, so each step reads the context as the event found it.
    boot: enqueueActions(({ context, enqueue }) => {
      perform(enqueue, agent.boot(context));
      perform(enqueue, duties.bootDuties(context));
    }),
    member: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member') return;
      perform(enqueue, agent.onMember(context, event.event));
      perform(enqueue, duties.dutiesOnMember(context, event.event));
    }),
    memberReply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member-reply') return;
      perform(enqueue, agent.onMemberReply(context, event.cmd, event.accepted));
      perform(enqueue, duties.dutiesOnMemberReply(context, event.cmd, event.accepted));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer') return;
      if (event.name.startsWith('duty-')) perform(enqueue, duties.dutiesOnTimer(context, event.name));
      else perform(enqueue, agent.onTimer(context, event.name));
    }),
    reply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      const msg = event.msg;
      if (msg.type === 'HealthReply') perform(enqueue, agent.onReply(context, event.from, msg));
      else if (msg.type === 'ServerCheck') perform(enqueue, duties.dutiesOnCheck(context, event.from, msg.seq));
      else if (msg.type === 'ServerOk') perform(enqueue, duties.dutiesOnOk(context, event.from, msg.seq));
      else if (msg.type === 'DutyPropose') perform(enqueue, duties.dutiesOnPropose(context, msg.cmd));
      else if (msg.type === 'LbAck') perform(enqueue, duties.dutiesOnLbAck(context, msg.server, msg.listed));
      else if (msg.type === 'OperatorRequest') perform(enqueue, agent.onOperator(context, msg));
    }),
    fenceResult: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'fence-result') perform(enqueue, agent.onFenceResult(context, event.node, event.ok, event.reason));
    }),
    cloudStatus: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'cloud-status') perform(enqueue, agent.onCloudStatus(context, event.node, event.up, event.diskLost, event.dark));
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
        'member-reply': { actions: 'memberReply' },
        'cloud-status': { actions: 'cloudStatus' },
      },
    },
  },
});

export type AgentMachine = typeof agentMachine;
