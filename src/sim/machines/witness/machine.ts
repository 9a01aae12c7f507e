/**
 * The witness as an XState machine: one state; each lease renewal, lock request and the lease
 * timer is a step of logic.ts, carried out by an `act` (`stepAction` in step.ts), and every answer
 * leaves as an effect.
 */
import { setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import type { NodeEvent } from '../protocol';
import { stepAction, type Step } from '../step';
import * as witness from './logic';
import type { WitnessContext, WitnessDisk, WitnessMessage } from './types';

type WitnessEvent = NodeEvent<WitnessMessage>;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act(rule: (context: WitnessContext, event: WitnessEvent) => Step<WitnessContext, WitnessMessage> | null) {
  return stepAction<WitnessContext, WitnessEvent, undefined, WitnessMessage>(rule);
}

export const witnessMachine = setup({
  types: nodeMachineTypes<WitnessContext, WitnessMessage, WitnessDisk>(),
  actions: {
    boot: act((context) => witness.boot(context)),
    message: act((context, event) => {
      if (event.type !== 'message') return null;
      if (event.msg.type === 'LeaseRenew') return witness.renew(context, event.from, event.msg);
      if (event.msg.type === 'LockRequest') return witness.lock(context, event.from, event.msg);
      if (event.msg.type === 'DataLost') return witness.dataLost(context, event.from);
      return null;
    }),
    timer: act((context, event) => (event.type === 'timer' && event.name === witness.TIMER.lease ? witness.leaseRanOut(context) : null)),
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
