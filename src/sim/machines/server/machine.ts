/**
 * The API server as an XState machine: one state, `serving`. What each event does is a step of
 * logic.ts; requests, health checks, the end of a request's work and the database's answers all
 * leave as emitted effects.
 */
import { enqueueActions, setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import * as server from './logic';
import { perform } from '../step';
import type { ServerContext, ServerMessage } from './types';

export const serverMachine = setup({
  types: nodeMachineTypes<ServerContext, ServerMessage, null>(),
  actions: {
    message: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'message') return;
      if (event.msg.type === 'Request') perform(enqueue, context, server.receiveRequest(context, event.from, event.msg));
      else if (event.msg.type === 'ServerCheck') perform(enqueue, context, server.answerCheck(context, event.from, event.msg));
    }),
    timer: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'timer') perform(enqueue, context, server.serviceDone(context, event.name));
    }),
    databaseReplied: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'db-reply') perform(enqueue, context, server.databaseReplied(context, event.id, event.ok, event.reason));
    }),
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => server.initialServerContext(input),
  initial: 'serving',
  states: {
    serving: {
      on: {
        message: { actions: 'message' },
        timer: { actions: 'timer' },
        'db-reply': { actions: 'databaseReplied' },
      },
    },
  },
});

export type ServerMachine = typeof serverMachine;
