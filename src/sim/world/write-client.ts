/**
 * The clients that write to the database (`workload.writesPerSec`): each write gets an id, goes
 * to the node that accepts writes right now, and ends acknowledged, refused, or timed out. A
 * write acknowledged after its client gave up stays durable but counts as rejected: the client
 * never learnt it succeeded. What the clients saw also gives the downtime they saw
 * (`rto.unavailableMs`, see report/client-downtime.ts).
 */
import { ClientDowntime } from '../report/client-downtime';

export class WriteClient {
  attempted = 0;
  acknowledged = 0;
  rejected = 0;
  /** Writes waiting for their answer, oldest first, with when each was attempted. */
  private readonly pending = new Map<string, number>();
  private nextId = 1;
  private readonly downtime = new ClientDowntime();

  constructor(
    readonly timeoutMs: number,
    private readonly clock: () => number,
  ) {}

  /** A new write in flight; returns its id (`w-17`). */
  start(): string {
    const id = `w-${this.nextId++}`;
    this.attempted++;
    this.pending.set(id, this.clock());
    return id;
  }

  /** The database's answer, or the client's own timeout (`ok: false`). Late answers change nothing. */
  settle(id: string, ok: boolean): void {
    const attemptedAtMs = this.pending.get(id);
    if (attemptedAtMs === undefined) return;
    this.pending.delete(id);
    if (ok) {
      this.acknowledged++;
      this.downtime.acknowledged(this.clock());
    } else {
      this.rejected++;
      this.downtime.failed(attemptedAtMs);
    }
    const oldest = this.pending.values().next();
    this.downtime.forgetBefore(oldest.done ? this.clock() : oldest.value);
  }

  /** Since when clients' writes have been failing, none acknowledged since; null while they succeed. */
  failingSince(): number | null {
    return this.downtime.failingSince();
  }

  /** The time, up to `nowMs`, during which clients attempted writes and none was acknowledged. */
  unavailableUntil(nowMs: number): number {
    return this.downtime.totalUntil(nowMs);
  }
}
