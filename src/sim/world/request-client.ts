/**
 * The clients in front of the load balancer. Each request (a read `r-5`, or a client write `w-17`
 * when the scenario has API servers) goes to `lb`; the load balancer answers, or nobody does.
 * A request that fails is retried once at once, as an HTTP client retries an idempotent call: the
 * load balancer then picks another server, so a server that crashes costs the client only the
 * requests it held, and those only a retry. Each attempt has its own id (`w-17`, then `w-17~2`)
 * so a late answer to the first attempt is never taken for the second.
 */
export interface RequestAttempt {
  /** The client's request (`r-5`, `w-17`): what the write client settles. */
  readonly request: string;
  readonly write: boolean;
  readonly attempt: number;
}

export class RequestClient {
  attempted = 0;
  served = 0;
  failed = 0;
  retried = 0;
  private nextRead = 1;
  private readonly pending = new Map<string, RequestAttempt>();

  /** Tries again once after a failure. */
  static readonly MAX_ATTEMPTS = 2;

  /** A new read request's id (`r-5`). */
  newRead(): string {
    return `r-${this.nextRead++}`;
  }

  /** Starts an attempt of `request`; returns the id the load balancer sees. */
  begin(request: string, write: boolean, attempt: number): string {
    if (attempt === 1) this.attempted++;
    else this.retried++;
    const id = attempt === 1 ? request : `${request}~${attempt}`;
    this.pending.set(id, { request, write, attempt });
    return id;
  }

  /**
   * The end of one attempt. Returns the attempt when it is settled now for the first time (a late
   * or repeated answer returns null), with whether to try again.
   */
  end(id: string, ok: boolean): (RequestAttempt & { retry: boolean }) | null {
    const attempt = this.pending.get(id);
    if (!attempt) return null;
    this.pending.delete(id);
    if (ok) {
      this.served++;
      return { ...attempt, retry: false };
    }
    const retry = attempt.attempt < RequestClient.MAX_ATTEMPTS;
    if (!retry) this.failed++;
    return { ...attempt, retry };
  }

  /** The client gave up on every attempt of `request` still open (its overall timeout). */
  abandon(request: string): void {
    for (const [id, attempt] of this.pending) {
      if (attempt.request !== request) continue;
      this.pending.delete(id);
      this.failed++;
    }
  }

  figures(): { attempted: number; served: number; failed: number; retried: number } {
    return { attempted: this.attempted, served: this.served, failed: this.failed, retried: this.retried };
  }
}
