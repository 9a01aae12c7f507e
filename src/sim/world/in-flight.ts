/**
 * The messages on the wire, as the page draws them: each one from the moment its node sent it
 * until it arrives or, lost, dies on its link. Only the page asks for them (the command line does
 * not), so a simulation keeps them only when told to (`trackMessages`).
 */
import type { Kernel } from '../kernel/kernel';
import type { DropReason } from '../network/network';
import type { MessageLook, NodeId } from '../machines/protocol';

/** A message on the wire, as the page draws it: at (now − sent) / (arrive − sent) along its link. */
export interface InFlightMessage {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly look: MessageLook;
  readonly sentAtMs: number;
  /** When it arrives, or, for a message that is lost, when it dies on the link. */
  readonly endAtMs: number;
  /** Set when the message will not arrive. */
  readonly dropped: DropReason | null;
}

export class MessagesInFlight {
  private readonly inFlight = new Map<number, InFlightMessage>();

  /** `onMessage` hears of every message as it is sent. */
  constructor(kernel: Kernel, onMessage?: (message: InFlightMessage) => void) {
    // A lost message is drawn until it dies on its link: the queue says when.
    const die = kernel.itemKind<number>('die', (id) => this.inFlight.delete(id));
    kernel.onSend((host, to, msg, id, route) => {
      const message: InFlightMessage = {
        id,
        from: host.id,
        to,
        look: host.runner.look(msg),
        sentAtMs: kernel.nowMs,
        endAtMs: route.ok ? route.deliverAtMs : route.dieAtMs,
        dropped: route.ok ? null : route.reason,
      };
      this.inFlight.set(id, message);
      onMessage?.(message);
      if (!route.ok) die(route.dieAtMs, id);
    });
    kernel.onArrive((id) => this.inFlight.delete(id));
  }

  all(): InFlightMessage[] {
    return [...this.inFlight.values()];
  }
}
