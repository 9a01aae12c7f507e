/**
 * The database as a service: which node takes writes now, and the one counter of epochs. Read
 * from the typed facts database nodes expose (`service: { writable, epoch }`), never from what
 * their view shows.
 */
import type { Kernel } from '../kernel/kernel';
import type { NodeHost } from '../kernel/node-host';
import type { Agents } from './agents';

export class DatabaseService {
  /**
   * The one counter of epochs where nobody else keeps it (no Raft orchestrators): the newest epoch
   * any database node opened. An operator's promotion opens the next one, so two promotions, even
   * in one millisecond or of a wiped node, never share an epoch.
   */
  private highestEpoch = 1;
  /** The highest LSN any database node has acknowledged to a client (for `promoted` trace events). */
  private highestAckedLsn = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly agents: Agents,
  ) {
    // A promotion's trace says the highest LSN acknowledged so far: only the world has seen every acknowledgement.
    kernel.annotate((_host, event) => {
      if (event.type === 'write-ack') this.highestAckedLsn = Math.max(this.highestAckedLsn, event.lsn);
      if (event.type === 'promoted' || event.type === 'writable') this.highestEpoch = Math.max(this.highestEpoch, event.epoch);
      return event.type === 'promoted' ? { highestAckedLsn: this.highestAckedLsn } : null;
    });
  }

  /** The node accepting writes now (the newest epoch if, in a split brain, there are two). */
  primary(): NodeHost | null {
    let best: NodeHost | null = null;
    let bestEpoch = 0;
    for (const host of this.kernel.hosts()) {
      const service = host.up ? host.facts().service : undefined;
      if (service?.writable && (best === null || service.epoch > bestEpoch)) {
        best = host;
        bestEpoch = service.epoch;
      }
    }
    return best;
  }

  /** The newest epoch any database node has been in (a node that is down: when it stopped). */
  newestEpoch(): number {
    let epoch = 0;
    for (const host of this.kernel.hosts()) epoch = Math.max(epoch, host.facts().service?.epoch ?? 0);
    return epoch;
  }

  /** Takes the next epoch of the one counter (no orchestrators keep it here, or none leads). */
  nextEpoch(): number {
    const known = Math.max(this.highestEpoch, this.newestEpoch(), this.agents.highestEpoch());
    this.highestEpoch = known + 1;
    return this.highestEpoch;
  }

  /** `pg_ctl promote` by an operator, in the next epoch of the one counter. */
  promote(host: NodeHost): void {
    this.kernel.tell(host, { type: 'operator', action: 'promote', epoch: this.nextEpoch() });
  }
}
