/**
 * An API server's rules as plain functions. The server is stateless: it holds each request for
 * `serviceMs` (its work), then answers a read itself, or hands a write to the database and answers
 * once the database has. It keeps nothing on disk, so a crash loses exactly the requests it held;
 * the load balancer finds out by its request timeout. Every health check is answered at once, from
 * whoever asks (the load balancer, an orchestrator watching it).
 */
import type { NodeId } from '../protocol';
import type { ProgramInput } from '../program';
import { NO_STEP, run, type Step } from '../step';
import type { HeldRequest, Request, ServerCheck, ServerContext, ServerMessage } from './types';

export const SERVER_TIMER = {
  /** `serve:<request id>`: the work on that request is done. */
  servePrefix: 'serve:',
} as const;

export type ServerStep = Step<ServerContext, ServerMessage>;

/** Said when the database refuses a write without saying why. */
const WRITE_REFUSED = 'the database did not take the write';

export function initialServerContext(input: ProgramInput<null>): ServerContext {
  return { id: input.id, settings: input.settings, held: [], served: 0, failed: 0, checksAnswered: 0 };
}

/**
 * A request from the load balancer: held for `serviceMs`. The same id again while it is still held
 * is the same request (a client's retry that came back here): its one answer serves both.
 */
export function receiveRequest(ctx: ServerContext, from: NodeId, msg: Request): ServerStep {
  if (ctx.held.some((held) => held.id === msg.id)) return NO_STEP;
  return run(ctx, (c) => {
    c.set({ held: [...ctx.held, { id: msg.id, from, write: msg.write, stage: 'serving' }] });
    c.timer(SERVER_TIMER.servePrefix + msg.id, ctx.settings.serviceMs);
  });
}

/** The work on a request is done: a read is answered now; a write goes to the database first. */
export function serviceDone(ctx: ServerContext, timer: string): ServerStep {
  if (!timer.startsWith(SERVER_TIMER.servePrefix)) return NO_STEP;
  const id = timer.slice(SERVER_TIMER.servePrefix.length);
  const held = ctx.held.find((h) => h.id === id && h.stage === 'serving');
  if (held === undefined) return NO_STEP;
  if (!held.write) return answer(ctx, held, true, null);
  return run(ctx, (c) => {
    c.set({ held: ctx.held.map((h) => (h === held ? { ...h, stage: 'writing' } : h)) });
    c.emit({ type: 'db-write', id });
  });
}

/** The database answered a write this server sent; an answer to nothing it holds (from an earlier life) is ignored. */
export function databaseReplied(ctx: ServerContext, id: string, ok: boolean, reason: string | null): ServerStep {
  const held = ctx.held.find((h) => h.id === id && h.stage === 'writing');
  if (held === undefined) return NO_STEP;
  return answer(ctx, held, ok, ok ? null : (reason ?? WRITE_REFUSED));
}

function answer(ctx: ServerContext, held: HeldRequest, ok: boolean, reason: string | null): ServerStep {
  return run(ctx, (c) => {
    c.set({ held: ctx.held.filter((h) => h !== held), served: ctx.served + (ok ? 1 : 0), failed: ctx.failed + (ok ? 0 : 1) });
    // On the connection the request came in on: the answer dies with this server if it crashes first.
    c.send(held.from, { type: 'Response', id: held.id, ok, reason }, true);
  });
}

/** "Are you alive?" — yes, at once, to whoever asks. */
export function answerCheck(ctx: ServerContext, from: NodeId, msg: ServerCheck): ServerStep {
  return run(ctx, (c) => {
    c.set({ checksAnswered: ctx.checksAnswered + 1 });
    c.send(from, { type: 'ServerOk', seq: msg.seq });
  });
}

/** The inspector's one-line summary. */
export function describeServer(ctx: ServerContext): string {
  const writing = ctx.held.filter((h) => h.stage === 'writing').length;
  const holding = ctx.held.length === 0 ? 'idle' : `${ctx.held.length} request${ctx.held.length === 1 ? '' : 's'} in flight`;
  return writing === 0 ? holding : `${holding}, ${writing} waiting for the database`;
}
