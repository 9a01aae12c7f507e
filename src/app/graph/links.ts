/** Which links the graph draws: a pure rule, so it can be tested without a browser. */
import { linkKey } from '../store/sim-store';

/** Kinds whose members all talk to each other, so every pair gets a link from the start. */
const MESHED_KINDS = ['orchestrator', 'database'] as const;

/** The load balancer talks to every server it may send requests to: a star from the start. */
function starPairs(nodeIds: readonly string[], kindOf: (id: string) => string | undefined): [string, string][] {
  const balancers = nodeIds.filter((id) => kindOf(id) === 'load-balancer');
  const servers = nodeIds.filter((id) => kindOf(id) === 'server');
  return balancers.flatMap((lb) => servers.map((server): [string, string] => [lb, server]));
}

/**
 * The link keys to draw: every pair within a meshed kind (orchestrators; database nodes, since
 * any of them may become the primary), the load balancer to each server, plus any other pair
 * that has carried a message.
 */
export function linkKeys(nodeIds: readonly string[], kindOf: (id: string) => string | undefined, talked: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const kind of MESHED_KINDS) {
    const members = nodeIds.filter((id) => kindOf(id) === kind);
    members.forEach((a, i) => members.slice(i + 1).forEach((b) => keys.add(linkKey(a, b))));
  }
  for (const [a, b] of starPairs(nodeIds, kindOf)) keys.add(linkKey(a, b));
  const known = new Set(nodeIds);
  for (const key of talked) {
    const [a, b] = key.split('|');
    if (a && b && known.has(a) && known.has(b)) keys.add(key);
  }
  return [...keys];
}

/**
 * The nodes whose link to `id` the inspector offers to cut: the others of its kind for the meshed
 * kinds, each server for the load balancer, the load balancer for a server.
 */
export function linkPeers(id: string, nodeIds: readonly string[], kindOf: (id: string) => string | undefined): string[] {
  const kind = kindOf(id);
  if (kind === 'load-balancer') return nodeIds.filter((other) => kindOf(other) === 'server');
  if (kind === 'server') return nodeIds.filter((other) => kindOf(other) === 'load-balancer');
  return nodeIds.filter((other) => other !== id && kindOf(other) === kind);
}
