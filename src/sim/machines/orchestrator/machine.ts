/**
 * The orchestrator agent as an XState machine. It has one state: what it does depends on facts it
 * keeps in context (whether its Raft member leads, where a failover stands), and each event is a
 * step of logic.ts. Every message, timer, proposal, fence and trace leaves as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { perform } from '../step';
import * as agent from './logic';
import * as duties from './duties';
import type { AgentContext, AgentMessage } from './types';

export const agentMachine = setup({
  types: nodeMachineTypes<AgentContext, AgentMessage, null>(),
  actions: {
    // The two jobs (the database's failover in logic.ts, the servers and workers in duties.ts)
    // change disjoint parts of the context, so each step reads the context as the event found it.
    boot: enqueueActions(({ context, enqueue }) => {
      perform(enqueue, context, agent.boot(context));
      perform(enqueue, context, duties.bootDuties(context));
    }),
    member: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member') return;
      perform(enqueue, context, agent.onMember(context, event.event));
      perform(enqueue, context, duties.dutiesOnMember(context, event.event));
    }),
    memberReply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'member-reply') return;
      perform(enqueue, context, agent.onMemberReply(context, event.cmd, event.accepted));
      perform(enqueue, context, duties.dutiesOnMemberReply(context, event.cmd, event.accepted));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'timer') return;
      if (event.name.startsWith('duty-')) perform(enqueue, context, duties.dutiesOnTimer(context, event.name));
      else perform(enqueue, context, agent.onTimer(context, event.name));
    }),
    reply: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      const msg = event.msg;
      if (msg.type === 'HealthReply') perform(enqueue, context, agent.onReply(context, event.from, msg));
      else if (msg.type === 'ServerCheck') perform(enqueue, context, duties.dutiesOnCheck(context, event.from, msg.seq));
      else if (msg.type === 'ServerOk') perform(enqueue, context, duties.dutiesOnOk(context, event.from, msg.seq));
      else if (msg.type === 'DutyPropose') perform(enqueue, context, duties.dutiesOnPropose(context, msg.cmd));
      else if (msg.type === 'LbAck') perform(enqueue, context, duties.dutiesOnLbAck(context, msg.server, msg.listed));
      else if (msg.type === 'OperatorRequest') perform(enqueue, context, agent.onOperator(context, msg));
    }),
    fenceResult: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'fence-result') perform(enqueue, context, agent.onFenceResult(context, event.node, event.ok, event.reason));
    }),
    cloudStatus: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'cloud-status') perform(enqueue, context, agent.onCloudStatus(context, event.node, event.up, event.diskLost, event.dark));
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
