/**
 * The API server as an XState machine: one state, `serving`. What each event does is a step of
 * logic.ts, carried out by an `act` (`stepAction` in step.ts); requests, health checks, the end of
 * a request's work and the database's answers all leave as effects.
 */
import { setup } from 'xstate';
import { nodeMachineTypes } from '../program';
import type { NodeEvent } from '../protocol';
import * as server from './logic';
import { stepAction, type Step } from '../step';
import type { ServerContext, ServerMessage } from './types';

type ServerEvent = NodeEvent<ServerMessage>;

/** An action carrying out the step a rule takes (`stepAction`), typed for this machine. */
function act(rule: (context: ServerContext, event: ServerEvent) => Step<ServerContext, ServerMessage> | null) {
  return stepAction<ServerContext, ServerEvent, undefined, ServerMessage>(rule);
}

export const serverMachine = setup({
  types: nodeMachineTypes<ServerContext, ServerMessage, null>(),
  actions: {
    message: act((context, event) => {
      if (event.type !== 'message') return null;
      if (event.msg.type === 'Request') return server.receiveRequest(context, event.from, event.msg);
      if (event.msg.type === 'ServerCheck') return server.answerCheck(context, event.from, event.msg);
      return null;
    }),
    timer: act((context, event) => (event.type === 'timer' ? server.serviceDone(context, event.name) : null)),
    databaseReplied: act((context, event) => (event.type === 'db-reply' ? server.databaseReplied(context, event.id, event.ok, event.reason) : null)),
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
