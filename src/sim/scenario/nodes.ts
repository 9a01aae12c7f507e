/**
 * The nodes a topology starts with, and which names a scenario may use for them
 *. The order of `initialNodes` is stable: the page lays nodes out in it
 * and the kernel creates them in it, so it is part of what makes a run reproducible.
 */
import type { NodeKind } from '../machines/program';
import type { NodeId } from '../machines/protocol';
import type { RegionRole, Topology } from './types';

export interface InitialNode {
  readonly id: NodeId;
  readonly kind: NodeKind;
  readonly region: RegionRole;
}

/**
 * Selectors a scenario may write in place of an id; the kernel resolves them when the event
 * takes effect. `@last-crashed` is the node that the latest earlier `crash` or `wipe-disk` took
 * down: it lets a script restart "the leader that crashed" without knowing its id in advance.
 */
export const SELECTORS = {
  leader: '@leader',
  primary: '@primary',
  lastCrashed: '@last-crashed',
} as const;

/** In a partition, "everyone not named in another group". */
export const EVERYONE_ELSE = '*';

export function initialNodes(topology: Topology): InitialNode[] {
  const nodes: InitialNode[] = [];
  const add = (id: NodeId, kind: NodeKind, region: RegionRole) => nodes.push({ id, kind, region });
  for (let k = 1; k <= topology.orchestrators; k++) add(`orch-${k}`, 'orchestrator', 'primary');
  if (topology.servers > 0) add('lb', 'load-balancer', 'primary');
  for (let k = 1; k <= topology.servers; k++) add(`api-${k}`, 'server', 'primary');
  const database = topology.database;
  if (database !== null) {
    add('db-1', 'database', 'primary');
    database.standbys.forEach((standby, i) => add(`db-${i + 2}`, 'database', standby.region));
    if (database.witness) add('witness', 'witness', 'primary');
  }
  if (topology.backups !== null) {
    add(`backup-${topology.regions.primary}`, 'backup', 'primary');
    if (topology.backups.offsite) add(`backup-${topology.regions.dr}`, 'backup', 'dr');
  }
  return nodes;
}

/** `orch-3` → { prefix: 'orch', number: 3 }; numbers are written without leading zeros. */
function numberedId(id: string): { prefix: string; number: number } | null {
  const match = /^(orch|api|db)-([1-9][0-9]{0,5})$/.exec(id);
  return match ? { prefix: match[1]!, number: Number(match[2]) } : null;
}

/**
 * Whether `ref` can name a node of this topology: a selector that makes sense here, an id it
 * starts with, or an id the system may create while running (`orch-K`, `api-K` for replacements,
 * `db-K` for a database restored from backup onto a new machine; any K ≥ 1, when that kind exists). `*` is not a node reference; partitions handle it.
 */
export function isWellFormedNodeRef(ref: string, topology: Topology): boolean {
  if (ref === SELECTORS.leader) return topology.orchestrators > 0;
  if (ref === SELECTORS.primary) return topology.database !== null;
  if (ref === SELECTORS.lastCrashed) return true;
  const numbered = numberedId(ref);
  if (numbered?.prefix === 'orch') return topology.orchestrators > 0;
  if (numbered?.prefix === 'api') return topology.servers > 0;
  // A database node beyond the listed standbys is one a restore from backup may create.
  if (numbered?.prefix === 'db') return topology.database !== null;
  return initialNodes(topology).some((node) => node.id === ref);
}

/** What kind of node an id names (replacements included), or null for selectors and unknown ids. */
export function kindOfNodeId(id: string, topology: Topology): NodeKind | null {
  const numbered = numberedId(id);
  if (numbered?.prefix === 'orch') return 'orchestrator';
  if (numbered?.prefix === 'api') return 'server';
  if (numbered?.prefix === 'db') return 'database';
  return initialNodes(topology).find((node) => node.id === id)?.kind ?? null;
}

/** The region a node id lives in; replacements start in the primary region. */
export function regionOfNodeId(id: string, topology: Topology): RegionRole {
  return initialNodes(topology).find((node) => node.id === id)?.region ?? 'primary';
}

/** "orch-1 … orch-3, lb, api-1 … api-2, db-1" — the ids of a topology, short enough for a message. */
export function describeNodeIds(topology: Topology): string {
  const parts: string[] = [];
  const run = (prefix: string, count: number) => {
    if (count === 1) parts.push(`${prefix}-1`);
    else if (count === 2) parts.push(`${prefix}-1`, `${prefix}-2`);
    else if (count > 2) parts.push(`${prefix}-1 … ${prefix}-${count}`);
  };
  run('orch', topology.orchestrators);
  if (topology.servers > 0) parts.push('lb');
  run('api', topology.servers);
  if (topology.database !== null) run('db', 1 + topology.database.standbys.length);
  for (const node of initialNodes(topology)) {
    if (node.kind === 'witness' || node.kind === 'backup') parts.push(node.id);
  }
  return parts.length === 0 ? 'no nodes' : parts.join(', ');
}

/** The selectors that make sense in this topology, for messages. */
export function selectorsFor(topology: Topology): string[] {
  const selectors: string[] = [];
  if (topology.orchestrators > 0) selectors.push(SELECTORS.leader);
  if (topology.database !== null) selectors.push(SELECTORS.primary);
  return selectors;
}
