/**
 * The load balancer's state. Its list of servers is the one thing it keeps on disk: a restarted
 * load balancer remembers which servers it fronts; whether each is healthy it learns again by
 * checking them.
 */
import type { Effect, NodeId } from '../protocol';
import type { Settings } from '../../scenario/types';
import type { ServerMessage } from '../server/types';

export type LoadBalancerEffect = Effect<ServerMessage>;

/** One server in the load balancer's list. */
export interface Backend {
  readonly server: NodeId;
  /** In rotation: it gets requests. Out: it is only checked, until it passes a check. */
  readonly inRotation: boolean;
  /** Health checks failed in a row. */
  readonly failures: number;
  /** The `seq` of its health check not yet answered (nor timed out), or null. */
  readonly awaiting: number | null;
  /** Who put it in the list with `LbAdd`, until it first enters rotation; null for the servers it started with. */
  readonly addedBy: NodeId | null;
}

/** A client request handed to `server`, waiting for its `Response`. */
export interface ForwardedRequest {
  readonly id: string;
  readonly server: NodeId;
}

export interface LoadBalancerContext {
  readonly id: NodeId;
  readonly settings: Settings;
  /** Its list, in the order servers were added. */
  readonly backends: readonly Backend[];
  /** Round robin: the index in `backends` where the search for the next server starts. */
  readonly cursor: number;
  /** Numbers its health checks, across all servers. */
  readonly seq: number;
  /** Requests forwarded and not yet answered, oldest first. */
  readonly forwarded: readonly ForwardedRequest[];
  /** Requests answered `ok` / failed since it booted. */
  readonly served: number;
  readonly failed: number;
}

export interface LoadBalancerDisk {
  readonly servers: readonly NodeId[];
}
