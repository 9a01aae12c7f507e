/**
 * The witness as an XState machine: one state; each lease renewal, lock request and the lease
 * timer is a step of logic.ts, and every answer leaves as an emitted effect.
 */
import { enqueueActions, setup } from 'xstate';
import type { NodeEvent } from '../protocol';
import type { ProgramInput } from '../program';
import * as witness from './logic';
import type { WitnessContext, WitnessDisk, WitnessMessage } from './types';

type WitnessEvent = NodeEvent<WitnessMessage>;

interface Enqueue {
  assign(patch: Partial<WitnessContext>): void;
  emit(effect: witness.Step['effects'][number]): void;
}

function perform(enqueue: Enqueue, { patch, effects }: witness.Step): void {
  if (Object.keys(patch).length > 0) enqueue.assign(patch);
  for (const effect of effects) enqueue.emit(effect);
}

export const witnessMachine = setup({
  types: {
    context: {} as WitnessContext,
    events: {} as WitnessEvent,
    input: {} as ProgramInput<WitnessDisk>,
    emitted: {} as witness.Step['effects'][number],
  },
  actions: {
    boot: enqueueActions(({ context, enqueue }) => perform(enqueue, witness.boot(context))),
    message: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      if (event.msg.type === 'LeaseRenew') perform(enqueue, witness.renew(context, event.from, event.msg));
      else if (event.msg.type === 'LockRequest') perform(enqueue, witness.lock(context, event.from, event.msg));
      else if (event.msg.type === 'DataLost') perform(enqueue, witness.dataLost(context, event.from));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer' && event.name === witness.TIMER.lease) perform(enqueue, witness.leaseRanOut(context));
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
