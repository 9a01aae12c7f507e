/** The witness as a program the kernel can host on the node `witness`. */
import type { NodeProgram } from '../program';
import type { Message, MessageLook, NodeView } from '../protocol';
import { witnessMachine, type WitnessMachine } from './machine';
import { witnessDiskOf } from './logic';
import type { WitnessDisk, WitnessMessage } from './types';

function look(message: Message): MessageLook {
  const msg = message as WitnessMessage;
  if (msg.type === 'WitnessReply') return { family: 'health-reply', label: msg.granted ? `granted ${msg.holder} e${msg.epoch}` : `refused: ${msg.holder} e${msg.epoch}` };
  return { family: 'other', label: message.type };
}

export const witnessProgram: NodeProgram<WitnessMachine, WitnessDisk> = {
  kind: 'witness',
  machine: witnessMachine,
  diskOf: (snapshot) => witnessDiskOf(snapshot.context),
  view: (snapshot): NodeView => {
    const ctx = snapshot.context;
    return {
      role: 'witness',
      term: ctx.epoch,
      detail: { status: ctx.reason, lockHolder: ctx.holder, epoch: ctx.epoch, leaseAlive: ctx.live, handovers: ctx.handovers },
    };
  },
  look,
};
