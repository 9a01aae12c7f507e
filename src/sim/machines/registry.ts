/** Which program runs on which kind of node, given the scenario's topology (by program-keys.ts). */
import type { NodeProgram } from './program';
import type { Topology } from '../scenario/types';
import { raftProgram } from './raft/program';
import { bullyProgram } from './bully/program';
import { databaseProgram } from './database/program';
import { agentProgram } from './orchestrator/program';
import { backupProgram } from './backup/program';
import { witnessProgram } from './witness/program';
import { serverProgram } from './server/program';
import { loadBalancerProgram } from './load-balancer/program';
import { programRegistry, type ProgramKey } from './program-keys';

const PROGRAMS: Record<ProgramKey, NodeProgram> = {
  raft: raftProgram as NodeProgram,
  bully: bullyProgram as NodeProgram,
  database: databaseProgram as NodeProgram,
  agent: agentProgram as NodeProgram,
  backup: backupProgram as NodeProgram,
  witness: witnessProgram as NodeProgram,
  server: serverProgram as NodeProgram,
  'load-balancer': loadBalancerProgram as NodeProgram,
};

/**
 * Here every program is loaded with this module, so there is never anything to wait for. (The
 * browser's worker is built with registry-lazy.ts instead, which downloads a kind's program when a
 * scenario first has that kind of node.)
 */
export function preloadPrograms(_topology: Topology): Promise<void> | null {
  return null;
}

export const { programFor, companionFor } = programRegistry((key) => PROGRAMS[key]);
