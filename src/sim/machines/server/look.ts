/** How the stateless tier's messages are drawn, whichever node sends them (the load balancer, a server, an orchestrator). */
import type { Message, MessageLook } from '../protocol';
import type { ServerMessage } from './types';

export function lookOfServerMessage(message: Message): MessageLook {
  const msg = message as ServerMessage;
  switch (msg.type) {
    case 'Request':
      return { family: 'request', label: msg.id };
    case 'Response':
      return { family: 'response', label: msg.ok ? `${msg.id} ok` : `${msg.id} failed` };
    case 'ServerCheck':
      return { family: 'health-check', label: `check #${msg.seq}` };
    case 'ServerOk':
      return { family: 'health-reply', label: `ok #${msg.seq}` };
    case 'LbAdd':
      return { family: 'command', label: `add ${msg.server}` };
    case 'LbRemove':
      return { family: 'command', label: `remove ${msg.server}` };
    case 'LbAck':
      return { family: 'command', label: `${msg.listed ? 'added' : 'removed'} ${msg.server}` };
    default:
      return { family: 'other', label: message.type };
  }
}
