/**
 * The client that sends commands to the orchestrator cluster, like RaftScope's request button:
 * it offers each command to the node it believes leads, follows "not me, try X" hints, and
 * retries until some leader takes the command into its log.
 */
import type { NodeId } from '../machines/protocol';

interface Pending {
  readonly cmd: string;
}

export class ProposalClient {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private leaderHint: NodeId | null = null;
  private roundRobin = 0;

  constructor(readonly retryMs: number) {}

  add(cmd: string): number {
    const id = this.nextId++;
    this.pending.set(id, { cmd });
    return id;
  }

  get(id: number): Pending | undefined {
    return this.pending.get(id);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** The node to try: the last hinted leader if it is up, else the next running node in turn. */
  pickTarget(ids: readonly NodeId[], isUp: (id: NodeId) => boolean): NodeId | null {
    if (this.leaderHint !== null && isUp(this.leaderHint)) return this.leaderHint;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(this.roundRobin + i) % ids.length]!;
      if (isUp(id)) {
        this.roundRobin = (this.roundRobin + i + 1) % ids.length;
        return id;
      }
    }
    return null;
  }

  /** The answer of `node` to proposal `id`. */
  reply(id: number, node: NodeId, accepted: boolean, leaderHint: NodeId | null): void {
    if (accepted) {
      this.pending.delete(id);
      this.leaderHint = node;
    } else {
      this.leaderHint = leaderHint !== node ? leaderHint : null;
    }
  }
}
