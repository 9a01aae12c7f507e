/**
 * The load balancer's rules as plain functions, like a cloud load balancer's target group:
 *
 * - Every `healthCheck.intervalMs` it sends `ServerCheck` to each server in its list. No `ServerOk`
 *   within `timeoutMs` is a failure; `failureThreshold` failures in a row take a server out of
 *   rotation; one passing check brings it back.
 * - A client request goes to the next server in rotation, round robin, on the connection to it;
 *   no answer within `requestTimeoutMs` fails the request (the server may have died with it).
 *   The load balancer never retries: the client does.
 * - `LbAdd` / `LbRemove` (from the orchestrators replacing a server) change the list. An added
 *   server enters rotation only once it passes a check.
 */
import type { NodeId } from '../protocol';
import type { ProgramInput } from '../program';
import type { Topology } from '../../scenario/types';
import { NO_STEP, run, type Change, type Step } from '../step';
import type { ServerMessage } from '../server/types';
import type { Backend, LoadBalancerContext, LoadBalancerDisk } from './types';

export const LB_TIMER = {
  /** One round of health checks. */
  check: 'check',
  /** `check-timeout:<server>`: its check was not answered in time. */
  checkTimeoutPrefix: 'check-timeout:',
  /** `request:<id>`: the server did not answer that request in time. */
  requestPrefix: 'request:',
} as const;

export const NO_SERVER_IN_ROTATION = 'no API server is in rotation';

export type LbStep = Step<LoadBalancerContext, ServerMessage>;
type LbChange = Change<LoadBalancerContext, ServerMessage>;

/** The servers a topology starts with: api-1 … api-N. */
export function initialServers(topology: Topology): NodeId[] {
  return Array.from({ length: topology.servers }, (_, k) => `api-${k + 1}`);
}

/**
 * Its list comes from its disk, or from the topology after a first boot or a wiped disk. Every
 * listed server starts in rotation: at first boot the system starts healthy, so the first requests
 * are served at once; after a restart the health checks soon take out whoever is dead.
 */
export function initialLbContext(input: ProgramInput<LoadBalancerDisk>): LoadBalancerContext {
  const servers = input.disk?.servers ?? initialServers(input.topology);
  return {
    id: input.id,
    settings: input.settings,
    backends: servers.map((server) => ({ server, inRotation: true, failures: 0, awaiting: null, addedBy: null })),
    cursor: 0,
    seq: 0,
    forwarded: [],
    served: 0,
    failed: 0,
  };
}

export function lbDiskOf(ctx: LoadBalancerContext): LoadBalancerDisk {
  return { servers: ctx.backends.map((b) => b.server) };
}

export function boot(ctx: LoadBalancerContext): LbStep {
  return run(ctx, (c) => c.timer(LB_TIMER.check, ctx.settings.healthCheck.intervalMs));
}

// ---- health checks ------------------------------------------------------------------------------

function indexOf(ctx: LoadBalancerContext, server: NodeId): number {
  return ctx.backends.findIndex((b) => b.server === server);
}

function update(c: LbChange, server: NodeId, patch: Partial<Backend>): void {
  c.set({ backends: c.ctx.backends.map((b) => (b.server === server ? { ...b, ...patch } : b)) });
}

function backendOf(c: LbChange, server: NodeId): Backend | undefined {
  return c.ctx.backends.find((b) => b.server === server);
}

function sendCheck(c: LbChange, server: NodeId): void {
  const seq = c.ctx.seq + 1;
  c.set({ seq });
  update(c, server, { awaiting: seq });
  c.send(server, { type: 'ServerCheck', seq });
  c.timer(LB_TIMER.checkTimeoutPrefix + server, c.ctx.settings.healthCheck.timeoutMs);
}

/** One round: check every server in the list. */
function checkRound(c: LbChange): void {
  c.timer(LB_TIMER.check, c.ctx.settings.healthCheck.intervalMs);
  for (const backend of c.ctx.backends) {
    // Normally its timeout has counted an unanswered check already; not when timeoutMs ≥ intervalMs.
    if (backend.awaiting !== null) countFailure(c, backend.server);
    sendCheck(c, backend.server);
  }
}

function checkTimedOut(c: LbChange, server: NodeId): void {
  const backend = backendOf(c, server);
  if (backend !== undefined && backend.awaiting !== null) countFailure(c, server);
}

function countFailure(c: LbChange, server: NodeId): void {
  const backend = backendOf(c, server);
  if (backend === undefined) return;
  const failures = backend.failures + 1;
  const threshold = c.ctx.settings.healthCheck.failureThreshold;
  const leaves = backend.inRotation && failures >= threshold;
  update(c, server, { failures, awaiting: null, inRotation: backend.inRotation && !leaves });
  if (leaves) {
    const reason = `${server} failed ${failures} health check${failures === 1 ? '' : 's'} in a row: taken out of rotation`;
    c.trace({ type: 'backend', server, in: false, reason });
  }
}

/** A passing check: the count starts again, and a server out of rotation comes back. */
export function checkPassed(ctx: LoadBalancerContext, from: NodeId, seq: number): LbStep {
  const backend = ctx.backends.find((b) => b.server === from);
  if (backend === undefined || backend.awaiting !== seq) return NO_STEP;
  return run(ctx, (c) => {
    c.cancel(LB_TIMER.checkTimeoutPrefix + from);
    update(c, from, { failures: 0, awaiting: null, inRotation: true, addedBy: null });
    if (backend.inRotation) return;
    const reason =
      backend.addedBy !== null
        ? `${from}, added by ${backend.addedBy}, passed its first health check: now in rotation`
        : `${from} answered a health check again: back in rotation`;
    c.trace({ type: 'backend', server: from, in: true, reason });
  });
}

export function onTimer(ctx: LoadBalancerContext, name: string): LbStep {
  if (name === LB_TIMER.check) return run(ctx, checkRound);
  if (name.startsWith(LB_TIMER.checkTimeoutPrefix)) return run(ctx, (c) => checkTimedOut(c, name.slice(LB_TIMER.checkTimeoutPrefix.length)));
  if (name.startsWith(LB_TIMER.requestPrefix)) return requestTimedOut(ctx, name.slice(LB_TIMER.requestPrefix.length));
  return NO_STEP;
}

// ---- the list of servers ------------------------------------------------------------------------

/** `LbAdd`: a new server joins the list out of rotation, and is checked at once so that it can enter soon. */
export function addServer(ctx: LoadBalancerContext, from: NodeId, server: NodeId): LbStep {
  return run(ctx, (c) => {
    // Acknowledged every time, so the worker can stop asking (its first request may have been lost).
    c.send(from, { type: 'LbAck', server, listed: true });
    if (indexOf(ctx, server) >= 0) return;
    c.set({ backends: [...ctx.backends, { server, inRotation: false, failures: 0, awaiting: null, addedBy: from }] });
    sendCheck(c, server);
  });
}

/** `LbRemove`: the server leaves the list for good; requests already on it get its answer or time out. */
export function removeServer(ctx: LoadBalancerContext, from: NodeId, server: NodeId): LbStep {
  const index = indexOf(ctx, server);
  return run(ctx, (c) => {
    c.send(from, { type: 'LbAck', server, listed: false });
    if (index < 0) return;
    const backend = ctx.backends[index]!;
    const backends = ctx.backends.filter((b) => b.server !== server);
    // Keep the round robin where it was: the server after the removed one is still next.
    const cursor = index < ctx.cursor ? ctx.cursor - 1 : ctx.cursor;
    c.set({ backends, cursor: backends.length === 0 ? 0 : cursor % backends.length });
    c.cancel(LB_TIMER.checkTimeoutPrefix + server);
    if (backend.inRotation) c.trace({ type: 'backend', server, in: false, reason: `${server} removed by ${from}: it was replaced` });
  });
}

// ---- client requests ----------------------------------------------------------------------------

/** The next server in rotation after the cursor, round robin, and where the cursor goes next; null when none is in. */
export function nextServer(ctx: LoadBalancerContext, avoid: NodeId | null = null): { server: NodeId; cursor: number } | null {
  const n = ctx.backends.length;
  let fallback: { server: NodeId; cursor: number } | null = null;
  for (let k = 0; k < n; k++) {
    const index = (ctx.cursor + k) % n;
    const backend = ctx.backends[index]!;
    if (!backend.inRotation) continue;
    if (backend.server !== avoid) return { server: backend.server, cursor: (index + 1) % n };
    fallback ??= { server: backend.server, cursor: (index + 1) % n };
  }
  return fallback;
}

/** A client request: forwarded to the next server in rotation, or failed at once when there is none. */
export function forwardRequest(ctx: LoadBalancerContext, id: string, write: boolean, avoid: NodeId | null = null): LbStep {
  // The same id while it is still forwarded is the same request: its one answer serves both.
  if (ctx.forwarded.some((f) => f.id === id)) return NO_STEP;
  // A retry goes elsewhere than the server that failed it, when another is in rotation (HAProxy's `option redispatch`).
  const next = nextServer(ctx, avoid);
  return run(ctx, (c) => {
    if (next === null) return fail(c, id, null, NO_SERVER_IN_ROTATION);
    c.set({ cursor: next.cursor, forwarded: [...ctx.forwarded, { id, server: next.server }] });
    c.send(next.server, { type: 'Request', id, write }, true);
    c.timer(LB_TIMER.requestPrefix + id, ctx.settings.requestTimeoutMs);
  });
}

/** A server's answer, passed on to the client; an answer to a request that already timed out is too late. */
export function responseReceived(ctx: LoadBalancerContext, from: NodeId, id: string, ok: boolean, reason: string | null): LbStep {
  const forwarded = ctx.forwarded.find((f) => f.id === id && f.server === from);
  if (forwarded === undefined) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ forwarded: ctx.forwarded.filter((f) => f !== forwarded) });
    c.cancel(LB_TIMER.requestPrefix + id);
    if (!ok) return fail(c, id, from, `${from} could not serve it: ${reason ?? 'no reason given'}`);
    c.set({ served: ctx.served + 1 });
    c.emit({ type: 'request-reply', id, ok: true, server: from, reason: null });
  });
}

function requestTimedOut(ctx: LoadBalancerContext, id: string): LbStep {
  const forwarded = ctx.forwarded.find((f) => f.id === id);
  if (forwarded === undefined) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ forwarded: ctx.forwarded.filter((f) => f !== forwarded) });
    const server = forwarded.server;
    fail(c, id, server, `${server} did not answer within ${ctx.settings.requestTimeoutMs} ms (it may have crashed with the request in flight)`);
  });
}

function fail(c: LbChange, id: string, server: NodeId | null, reason: string): void {
  c.set({ failed: c.ctx.failed + 1 });
  c.emit({ type: 'request-reply', id, ok: false, server, reason });
  c.trace({ type: 'request-failed', id, server, reason });
}

// ---- what the page shows ------------------------------------------------------------------------

export function inRotation(ctx: LoadBalancerContext): NodeId[] {
  return ctx.backends.filter((b) => b.inRotation).map((b) => b.server);
}

export function outOfRotation(ctx: LoadBalancerContext): NodeId[] {
  return ctx.backends.filter((b) => !b.inRotation).map((b) => b.server);
}

/** "in: api-1, api-3; out: api-2". */
export function describeRotation(ctx: LoadBalancerContext): string {
  const list = (servers: NodeId[]) => (servers.length === 0 ? 'none' : servers.join(', '));
  return `in: ${list(inRotation(ctx))}; out: ${list(outOfRotation(ctx))}`;
}
