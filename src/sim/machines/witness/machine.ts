/**
 * The witness as an XState machine: one state; each lease renewal, lock request and the lease
 * timer is a step of logic.ts, and every answer leaves as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import { perform } from '../step';
import * as witness from './logic';
import type { WitnessContext, WitnessDisk, WitnessMessage } from './types';

export const witnessMachine = setup({
  types: nodeMachineTypes<WitnessContext, WitnessMessage, WitnessDisk>(),
  actions: {
    boot: enqueueActions(({ context, enqueue }) => perform(enqueue, context, witness.boot(context))),
    message: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      if (event.msg.type === 'LeaseRenew') perform(enqueue, context, witness.renew(context, event.from, event.msg));
      else if (event.msg.type === 'LockRequest') perform(enqueue, context, witness.lock(context, event.from, event.msg));
      else if (event.msg.type === 'DataLost') perform(enqueue, context, witness.dataLost(context, event.from));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer' && event.name === witness.TIMER.lease) perform(enqueue, context, witness.leaseRanOut(context));
    }),
  },
}).createMachine({
  id: 'witness',
  context: ({ input }) => witness.initialWitnessContext(input),
  initial: 'arbitrating',
  states: {
    arbitrating: {
      entry: 'boot',
      on: {
        message: { actions: 'message' },
        timer: { actions: 'timer' },
      },
    },
  },
});

export type WitnessMachine = typeof witnessMachine;
