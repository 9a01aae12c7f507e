/** The load balancer as a program the kernel can host on `lb`. */
import type { SnapshotFrom } from 'xstate';
import type { NodeProgram } from '../program';
import type { NodeView } from '../protocol';
import { lookOfServerMessage } from '../server/look';
import { describeRotation, inRotation, lbDiskOf, outOfRotation } from './logic';
import { loadBalancerMachine, type LoadBalancerMachine } from './machine';
import type { LoadBalancerDisk } from './types';

function view(snapshot: SnapshotFrom<LoadBalancerMachine>): NodeView {
  const ctx = snapshot.context;
  return {
    role: 'balancing',
    term: null,
    detail: {
      status: describeRotation(ctx),
      inCount: inRotation(ctx).length,
      outCount: outOfRotation(ctx).length,
      inFlight: ctx.forwarded.length,
      served: ctx.served,
      failed: ctx.failed,
    },
  };
}

export const loadBalancerProgram: NodeProgram<LoadBalancerMachine, LoadBalancerDisk> = {
  kind: 'load-balancer',
  machine: loadBalancerMachine,
  diskOf: (snapshot) => lbDiskOf(snapshot.context),
  view,
  facts: ({ context }) => ({
    watches: context.backends.map((b) => b.server),
    backends: context.backends.map((b) => ({ id: b.server, inRotation: b.inRotation })),
  }),
  look: lookOfServerMessage,
};
