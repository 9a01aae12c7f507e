/**
 * Which primaries run degraded at this point of a trace: their latest `sync` event named no
 * standby, so they acknowledge writes on their own flush alone. A primary that stops taking writes
 * or goes down is no longer one. The invariant checks and the report's write ledger both read it.
 */
import type { NodeId } from '../machines/protocol';
import type { TraceEvent } from './trace';

export class DegradedPrimaries {
  private readonly nodes = new Set<NodeId>();

  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'sync':
        if (event.standbys.length === 0) this.nodes.add(event.node);
        else this.nodes.delete(event.node);
        return;
      case 'writable':
      case 'down':
        this.nodes.delete(event.node);
        return;
    }
  }

  has(node: NodeId): boolean {
    return this.nodes.has(node);
  }
}
