/**
 * The load balancer as an XState machine: one state, `balancing`. Client requests, server
 * answers, health checks and list changes are each a step of logic.ts, whose effects it emits.
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { perform } from '../step';
import type { ServerMessage } from '../server/types';
import * as lb from './logic';
import type { LoadBalancerContext, LoadBalancerDisk } from './types';

export const loadBalancerMachine = setup({
  types: nodeMachineTypes<LoadBalancerContext, ServerMessage, LoadBalancerDisk>(),
  actions: {
    boot: enqueueActions(({ context, enqueue }) => perform(enqueue, context, lb.boot(context))),
    request: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'request') perform(enqueue, context, lb.forwardRequest(context, event.id, event.write, event.avoid ?? null));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer') perform(enqueue, context, lb.onTimer(context, event.name));
    }),
    message: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      const { from, msg } = event;
      if (msg.type === 'Response') perform(enqueue, context, lb.responseReceived(context, from, msg.id, msg.ok, msg.reason));
      else if (msg.type === 'ServerOk') perform(enqueue, context, lb.checkPassed(context, from, msg.seq));
      else if (msg.type === 'LbAdd') perform(enqueue, context, lb.addServer(context, from, msg.server));
      else if (msg.type === 'LbRemove') perform(enqueue, context, lb.removeServer(context, from, msg.server));
    }),
  },
}).createMachine({
  id: 'load-balancer',
  context: ({ input }) => lb.initialLbContext(input),
  initial: 'balancing',
  states: {
    balancing: {
      entry: 'boot',
      on: {
        request: { actions: 'request' },
        timer: { actions: 'timer' },
        message: { actions: 'message' },
      },
    },
  },
});

export type LoadBalancerMachine = typeof loadBalancerMachine;
