/**
 * Which node programs a topology runs, by name: what the browser's worker loads before a run, and
 * the one table of which program runs on which kind of node, that both registries answer from.
 */
import type { NodeKind, NodeProgram } from './program';
import type { Topology } from '../scenario/types';

export type ProgramKey = 'raft' | 'bully' | 'database' | 'agent' | 'backup' | 'witness' | 'server' | 'load-balancer';

export function programKeys(topology: Topology): ProgramKey[] {
  const keys: ProgramKey[] = [];
  if (topology.orchestrators > 0) keys.push(topology.election === 'bully' ? 'bully' : 'raft');
  if (topology.orchestrators > 0 && topology.election === 'raft' && (topology.database !== null || topology.servers > 0)) keys.push('agent');
  if (topology.database !== null) keys.push('database');
  if (topology.database?.witness) keys.push('witness');
  if (topology.backups) keys.push('backup');
  if (topology.servers > 0) keys.push('server', 'load-balancer');
  return keys;
}

export interface ProgramRegistry {
  /** The program for a node of this kind (null would mean a kind no program runs: today every kind has one). */
  programFor(kind: NodeKind, topology: Topology): NodeProgram | null;
  /**
   * The program run beside a node's main one, or null. A Raft orchestrator gets an agent when the
   * scenario has a database to fail over or API servers to keep alive (Bully has no log to agree
   * through, so none).
   */
  companionFor(kind: NodeKind, topology: Topology): NodeProgram | null;
}

/** A registry that answers by key from `program`, which a registry fills eagerly or as it downloads. */
export function programRegistry(program: (key: ProgramKey) => NodeProgram): ProgramRegistry {
  return {
    programFor: (kind, topology) => (kind === 'orchestrator' ? program(topology.election === 'bully' ? 'bully' : 'raft') : program(kind)),
    companionFor: (kind, topology) => (kind === 'orchestrator' && programKeys(topology).includes('agent') ? program('agent') : null),
  };
}
