/**
 * What the page says about the stateless tier and self-healing, read off the kernel's NodeState:
 * the load balancer's rotation, a server's load, a machine still being provisioned or one that was
 * replaced, and who health-checks whom. Pure functions, so they are tested without a browser.
 */
import type { Backend, NodeState } from '../../sim';
import { formatClock } from '../failover/words';

function count(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The load balancer's servers in its own order, each in or out of rotation. */
export function backendsOf(lb: NodeState): readonly Backend[] {
  return lb.backends ?? [];
}

/** "2 of 3 in rotation". */
export function rotationWords(lb: NodeState): string {
  const backends = backendsOf(lb);
  return `${backends.filter((b) => b.inRotation).length} of ${backends.length} in rotation`;
}

export interface ServerLoad {
  readonly inFlight: number | null;
  readonly served: number | null;
  readonly failed: number | null;
}

export function serverLoad(server: NodeState): ServerLoad {
  const detail = server.view.detail;
  return { inFlight: count(detail.inFlight), served: count(detail.served), failed: count(detail.failed) };
}

/** "2 in flight" (or "1 in flight"); null when the server does not say. */
export function inFlightWords(server: NodeState): string | null {
  const { inFlight } = serverLoad(server);
  return inFlight === null ? null : `${inFlight} in flight`;
}

/** What a node's life adds to its card: still being provisioned, being restored from a backup, or replaced for good. */
export type LifeNote =
  | { readonly kind: 'provisioning'; readonly replaces: string | null; readonly readyAtMs: number | null; readonly countdown: string | null; readonly readyAt: string | null }
  | { readonly kind: 'replaced'; readonly by: string }
  | { readonly kind: 'restoring'; readonly from: string; readonly upToLsn: string; readonly readyAtMs: number; readonly countdown: string; readonly readyAt: string };

/** Tenths of a second left, rounded up: "ready in 0.0 s" would say it is ready when it is not. */
function countdownWords(readyAtMs: number, nowMs: number): string {
  const leftMs = Math.max(0, readyAtMs - nowMs);
  return leftMs > 0 ? `ready in ${(Math.ceil(leftMs / 100) / 10).toFixed(1)} s` : 'booting';
}

export function lifeNote(node: NodeState, nowMs: number): LifeNote | null {
  if (node.replacedBy) return { kind: 'replaced', by: node.replacedBy };
  const restoring = node.restoring;
  if (restoring) {
    const { from, upToLsn, readyAtMs } = restoring;
    return { kind: 'restoring', from, upToLsn, readyAtMs, countdown: countdownWords(readyAtMs, nowMs), readyAt: `at ${formatClock(readyAtMs)}` };
  }
  if (node.view.role !== 'provisioning') return null;
  const readyAtMs = node.readyAtMs ?? null;
  if (readyAtMs === null) return { kind: 'provisioning', replaces: node.replaces ?? null, readyAtMs, countdown: null, readyAt: null };
  return { kind: 'provisioning', replaces: node.replaces ?? null, readyAtMs, countdown: countdownWords(readyAtMs, nowMs), readyAt: `at ${formatClock(readyAtMs)}` };
}

/**
 * Who watches: the load balancer checks its servers, an orchestrator's worker the servers assigned
 * to it, the orchestrator leader the other orchestrators, a failover agent the database nodes.
 * Each kind of watch has its own colour and legend line.
 */
export type WatchKind = 'balancer' | 'worker' | 'leader' | 'agent' | 'other';

export function watchKind(watcher: NodeState | undefined, watched: NodeState | undefined): WatchKind {
  if (!watcher || !watched) return 'other';
  if (watcher.kind === 'load-balancer') return 'balancer';
  if (watcher.kind === 'orchestrator' && watched.kind === 'orchestrator') return 'leader';
  if (watcher.kind === 'orchestrator' && watched.kind === 'server') return 'worker';
  if (watcher.kind === 'orchestrator' && watched.kind === 'database') return 'agent';
  return 'other';
}

export const WATCH_WORDS: Record<WatchKind, string> = {
  balancer: 'load balancer checks a server',
  worker: 'orchestrator checks its servers',
  leader: 'leader checks an orchestrator',
  agent: 'failover agent checks a database',
  other: 'health check',
};

export interface WatchEdge {
  readonly watcher: string;
  readonly watched: string;
  readonly kind: WatchKind;
}

/** Every current watch between two nodes on the graph, in the order of the node list and of each `watches`. */
export function watchEdges(nodeIds: readonly string[], byId: Readonly<Record<string, NodeState>>): WatchEdge[] {
  const edges: WatchEdge[] = [];
  for (const id of nodeIds) {
    const watcher = byId[id];
    if (!watcher?.watches) continue;
    for (const watched of new Set(watcher.watches)) {
      if (watched === id || !byId[watched]) continue;
      edges.push({ watcher: id, watched, kind: watchKind(watcher, byId[watched]) });
    }
  }
  return edges;
}

/** The ids that watch `id` now, in node-list order. */
export function watchersOf(id: string, nodeIds: readonly string[], byId: Readonly<Record<string, NodeState>>): string[] {
  return nodeIds.filter((other) => other !== id && (byId[other]?.watches ?? []).includes(id));
}

/**
 * Where a line from (x1, y1) towards the centre (x2, y2) of a box of `width` × `height` meets the
 * box's border, backed off by `gap`: an arrow drawn there points at the node instead of hiding under it.
 */
export function toBorder(x1: number, y1: number, x2: number, y2: number, width: number, height: number, gap = 4): [number, number] {
  const dx = x2 - x1;
  const dy = y2 - y1;
  if (dx === 0 && dy === 0) return [x2, y2];
  const tx = dx === 0 ? Infinity : (width / 2 + gap) / Math.abs(dx);
  const ty = dy === 0 ? Infinity : (height / 2 + gap) / Math.abs(dy);
  const t = Math.min(tx, ty, 1);
  return [x2 - dx * t, y2 - dy * t];
}
