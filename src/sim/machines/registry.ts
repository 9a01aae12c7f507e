/** Which program runs on which kind of node, given the scenario's topology. */
import type { NodeKind, NodeProgram } from './program';
import type { Topology } from '../scenario/types';
import { raftProgram } from './raft/program';
import { bullyProgram } from './bully/program';
import { databaseProgram } from './database/program';
import { agentProgram } from './orchestrator/program';
import { backupProgram } from './backup/program';
import { witnessProgram } from './witness/program';
import { serverProgram } from './server/program';
import { loadBalancerProgram } from './load-balancer/program';
import { programKeys } from './program-keys';

/**
 * Here every program is loaded with this module, so there is never anything to wait for. (The
 * browser's worker is built with registry-lazy.ts instead, which downloads a kind's program when a
 * scenario first has that kind of node.)
 */
export function preloadPrograms(_topology: Topology): Promise<void> | null {
  return null;
}

/** The program for a node of this kind, or null while that kind is not simulated. */
export function programFor(kind: NodeKind, topology: Topology): NodeProgram | null {
  if (kind === 'orchestrator') return (topology.election === 'bully' ? bullyProgram : raftProgram) as NodeProgram;
  if (kind === 'database') return databaseProgram as NodeProgram;
  if (kind === 'backup') return backupProgram as NodeProgram;
  if (kind === 'witness') return witnessProgram as NodeProgram;
  if (kind === 'server') return serverProgram as NodeProgram;
  if (kind === 'load-balancer') return loadBalancerProgram as NodeProgram;
  return null;
}

/**
 * The program run beside a node's main one, or null. A Raft orchestrator gets an agent when the
 * scenario has a database to fail over or API servers to keep alive (Bully has no log to agree
 * through, so none).
 */
export function companionFor(kind: NodeKind, topology: Topology): NodeProgram | null {
  if (kind === 'orchestrator' && programKeys(topology).includes('agent')) return agentProgram as NodeProgram;
  return null;
}
