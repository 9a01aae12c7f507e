/**
 * Messages of the stateless tier: the load balancer (`lb`) in front of the API servers
 * (`api-1` …), and the health checks that the load balancer and the orchestrators' workers send
 * them. The load balancer's list of servers is changed only by `LbAdd` / `LbRemove`, which the
 * workers send when they replace a dead server.
 */
import type { Effect, NodeId } from '../protocol';
import type { Settings } from '../../scenario/types';

/** The load balancer hands a client request to a server (on one connection: it dies with either end). */
export interface Request {
  readonly type: 'Request';
  readonly id: string;
  readonly write: boolean;
}

/** The server's answer to a `Request`. */
export interface Response {
  readonly type: 'Response';
  readonly id: string;
  readonly ok: boolean;
  readonly reason: string | null;
}

/** "Are you alive?" — from the load balancer to a server, or from an orchestrator to a server or another orchestrator. */
export interface ServerCheck {
  readonly type: 'ServerCheck';
  readonly seq: number;
}

/** The answer to a `ServerCheck`, carrying its `seq`. */
export interface ServerOk {
  readonly type: 'ServerOk';
  readonly seq: number;
}

/** A worker asks the load balancer to put `server` in its list (it enters rotation once it passes a check). */
export interface LbAdd {
  readonly type: 'LbAdd';
  readonly server: NodeId;
}

/** A worker asks the load balancer to drop `server` from its list for good (it was replaced). */
export interface LbRemove {
  readonly type: 'LbRemove';
  readonly server: NodeId;
}

/** The load balancer's answer to `LbAdd` (`listed: true`) or `LbRemove` (`listed: false`), sent every time. */
export interface LbAck {
  readonly type: 'LbAck';
  readonly server: NodeId;
  readonly listed: boolean;
}

export type ServerMessage = Request | Response | ServerCheck | ServerOk | LbAdd | LbRemove | LbAck;

/** What an API server may ask the kernel to do. */
export type ServerEffect = Effect<ServerMessage>;

/**
 * A request an API server holds: `serving` while it works on it (`serviceMs`), `writing` while a
 * write waits for the database's answer. `from` is whom to answer (the load balancer's connection).
 */
export interface HeldRequest {
  readonly id: string;
  readonly from: NodeId;
  readonly write: boolean;
  readonly stage: 'serving' | 'writing';
}

/** An API server keeps nothing on disk: what it holds is in memory and dies with it. */
export interface ServerContext {
  readonly id: NodeId;
  readonly settings: Settings;
  /** The requests in flight on it, in the order they arrived. */
  readonly held: readonly HeldRequest[];
  /** Requests answered `ok` and not `ok` since it booted. */
  readonly served: number;
  readonly failed: number;
  /** Health checks answered since it booted (from the load balancer and the orchestrators). */
  readonly checksAnswered: number;
}
