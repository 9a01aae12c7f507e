/** The stateless API server as a program the kernel can host on api-1, api-2, … */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { NodeView } from '../protocol';
import { describeServer } from './logic';
import { lookOfServerMessage } from './look';
import { serverMachine, type ServerMachine } from './machine';

function view(snapshot: SnapshotFrom<ServerMachine>): NodeView {
  const ctx = snapshot.context;
  return {
    role: 'serving',
    term: null,
    detail: {
      status: describeServer(ctx),
      inFlight: ctx.held.length,
      waitingForDatabase: ctx.held.filter((h) => h.stage === 'writing').length,
      served: ctx.served,
      failed: ctx.failed,
      checksAnswered: ctx.checksAnswered,
    },
  };
}

export const serverProgram: NodeProgram<ServerMachine, null> = {
  kind: 'server',
  machine: serverMachine,
  // Stateless: whatever it held dies with it.
  diskOf: () => null,
  view,
  look: lookOfServerMessage,
};
