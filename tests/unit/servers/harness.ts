/**
 * The load balancer and the API servers together on the shared machine network
 * (tests/support/machine-network.ts), on its virtual clock: a message arrives `LATENCY_MS` after it
 * is sent, timers fire when `advance` reaches them. The test plays the database (`db-write`
 * effects wait in `dbWrites` until `dbReply`) and the orchestrators (`fromOutside`); messages to
 * nodes that are not hosted here are kept in `outside`.
 */
import { loadBalancerProgram } from '../../../src/sim/machines/load-balancer/program';
import type { LoadBalancerContext, LoadBalancerDisk } from '../../../src/sim/machines/load-balancer/types';
import { serverProgram } from '../../../src/sim/machines/server/program';
import type { ServerContext, ServerMessage } from '../../../src/sim/machines/server/types';
import type { NodeProgram } from '../../../src/sim/machines/program';
import type { Effect, NodeId, NodeView } from '../../../src/sim/machines/protocol';
import type { Settings } from '../../../src/sim/scenario/types';
import { MachineNetwork, type Envelope as AnyEnvelope } from '../../support/machine-network';
import { TEST_SETTINGS, TEST_TOPOLOGY } from '../../support/settings';

export const LATENCY_MS = 2;

export type Envelope = AnyEnvelope<ServerMessage>;

export interface RequestReply {
  readonly atMs: number;
  readonly id: string;
  readonly ok: boolean;
  readonly server: NodeId | null;
  readonly reason: string | null;
}

export interface TierOptions {
  readonly servers?: number;
  readonly settings?: Partial<Settings>;
}

export class Tier extends MachineNetwork<ServerMessage> {
  readonly replies: RequestReply[] = [];
  /** `db-write` effects not yet answered: the server and the request id. */
  dbWrites: { server: NodeId; id: string }[] = [];
  private requestCount = 0;

  constructor(options: TierOptions = {}) {
    const servers = options.servers ?? 3;
    super({ settings: { ...TEST_SETTINGS, ...options.settings }, topology: { ...TEST_TOPOLOGY, servers }, latencyMs: LATENCY_MS });
    this.boot('lb', loadBalancerProgram as NodeProgram, []);
    for (let k = 1; k <= servers; k++) this.boot(`api-${k}`, serverProgram as NodeProgram, []);
  }

  /** Messages to nodes never hosted here (orchestrators) are kept in `outside`. */
  protected override outsideOf(id: NodeId): boolean {
    return !this.has(id);
  }

  protected override performed(id: NodeId, effect: Effect): void {
    switch (effect.type) {
      case 'trace':
        return;
      case 'request-reply':
        this.replies.push({ atMs: this.now, id: effect.id, ok: effect.ok, server: effect.server, reason: effect.reason });
        return;
      case 'db-write':
        this.dbWrites.push({ server: id, id: effect.id });
        return;
      default:
        throw new Error(`unexpected effect ${effect.type} from ${id}`);
    }
  }

  /** A new API server (a replacement) starts, empty. */
  startServer(id: NodeId): void {
    this.boot(id, serverProgram as NodeProgram, []);
  }

  // --- the outside world

  /** A client request to the load balancer; returns its id (r-1, w-2, …). */
  request(write = false, avoid: string | null = null): string {
    const id = `${write ? 'w' : 'r'}-${++this.requestCount}`;
    this.send('lb', avoid === null ? { type: 'request', id, write } : { type: 'request', id, write, avoid });
    return id;
  }

  /** The database answers a server's `db-write`. */
  dbReply(id: string, ok = true, reason: string | null = null): void {
    const pending = this.dbWrites.find((w) => w.id === id);
    if (!pending) throw new Error(`no db-write ${id} is waiting`);
    this.dbWrites = this.dbWrites.filter((w) => w !== pending);
    if (this.isUp(pending.server)) this.send(pending.server, { type: 'db-reply', id, ok, reason });
  }

  /** A message from a node not hosted here (an orchestrator), delivered at once. */
  fromOutside(from: NodeId, to: NodeId, msg: ServerMessage): void {
    this.send(to, { type: 'message', from, msg });
  }

  // --- reading the nodes

  lb(): LoadBalancerContext {
    return this.contextOf<LoadBalancerContext>('lb');
  }

  server(id: NodeId): ServerContext {
    return this.contextOf<ServerContext>(id);
  }

  view(id: NodeId): NodeView {
    return this.viewOf(id);
  }

  lbDisk(): LoadBalancerDisk {
    return this.diskOf('lb') as LoadBalancerDisk;
  }

  inRotation(): NodeId[] {
    return this.lb()
      .backends.filter((b) => b.inRotation)
      .map((b) => b.server);
  }

  replyTo(id: string): RequestReply | undefined {
    return this.replies.find((r) => r.id === id);
  }

  sentOfType<T extends ServerMessage['type']>(type: T, to?: NodeId): Envelope[] {
    return this.sent.filter((e) => e.msg.type === type && (to === undefined || e.to === to));
  }
}
