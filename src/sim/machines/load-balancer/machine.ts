/**
 * The load balancer as an XState machine: one state, `balancing`. Client requests, server
 * answers, health checks and list changes are each a step of logic.ts, carried out by an `act`
 * (`stepAction` in step.ts), which hands its effects on.
 */
import { setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import type { NodeEvent } from '../protocol';
import { stepAction, type Step } from '../step';
import type { ServerMessage } from '../server/types';
import * as lb from './logic';
import type { LoadBalancerContext, LoadBalancerDisk } from './types';

type LoadBalancerEvent = NodeEvent<ServerMessage>;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act(rule: (context: LoadBalancerContext, event: LoadBalancerEvent) => Step<LoadBalancerContext, ServerMessage> | null) {
  return stepAction<LoadBalancerContext, LoadBalancerEvent, undefined, ServerMessage>(rule);
}

export const loadBalancerMachine = setup({
  types: nodeMachineTypes<LoadBalancerContext, ServerMessage, LoadBalancerDisk>(),
  actions: {
    boot: act((context) => lb.boot(context)),
    request: act((context, event) => (event.type === 'request' ? lb.forwardRequest(context, event.id, event.write, event.avoid ?? null) : null)),
    timer: act((context, event) => (event.type === 'timer' ? lb.onTimer(context, event.name) : null)),
    message: act((context, event) => {
      if (event.type !== 'message') return null;
      const { from, msg } = event;
      if (msg.type === 'Response') return lb.responseReceived(context, from, msg.id, msg.ok, msg.reason);
      if (msg.type === 'ServerOk') return lb.checkPassed(context, from, msg.seq);
      if (msg.type === 'LbAdd') return lb.addServer(context, from, msg.server);
      if (msg.type === 'LbRemove') return lb.removeServer(context, from, msg.server);
      return null;
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
