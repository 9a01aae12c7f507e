/**
 * The clients that write to the database (`workload.writesPerSec`): each write gets an id, goes
 * to the node that accepts writes right now, and ends acknowledged, refused, or timed out. A
 * write acknowledged after its client gave up stays durable but counts as rejected: the client
 * never learnt it succeeded.
 */
export class WriteClient {
  attempted = 0;
  acknowledged = 0;
  rejected = 0;
  private readonly pending = new Set<string>();
  private nextId = 1;

  constructor(readonly timeoutMs: number) {}

  /** A new write in flight; returns its id (`w-17`). */
  start(): string {
    const id = `w-${this.nextId++}`;
    this.attempted++;
    this.pending.add(id);
    return id;
  }

  /** The database's answer, or the client's own timeout (`ok: false`). Late answers change nothing. */
  settle(id: string, ok: boolean): void {
    if (!this.pending.delete(id)) return;
    if (ok) this.acknowledged++;
    else this.rejected++;
  }
}
