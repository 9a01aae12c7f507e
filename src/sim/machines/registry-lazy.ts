/**
 * The registry the browser's worker is built with (vite.config.ts swaps it in for registry.ts):
 * the same answers, but each kind's program is downloaded only when a scenario has that kind of
 * node, so an embedded Raft lesson does not fetch the Bully, witness, backup or server machines.
 * `preloadPrograms` must have finished for a topology before a Simulation of it is built.
 */
import type { NodeProgram } from './program';
import type { Topology } from '../scenario/types';
import { programKeys, programRegistry, type ProgramKey } from './program-keys';

const LOADERS: Record<ProgramKey, () => Promise<NodeProgram>> = {
  raft: () => import('./raft/program').then((m) => m.raftProgram as NodeProgram),
  bully: () => import('./bully/program').then((m) => m.bullyProgram as NodeProgram),
  database: () => import('./database/program').then((m) => m.databaseProgram as NodeProgram),
  agent: () => import('./orchestrator/program').then((m) => m.agentProgram as NodeProgram),
  backup: () => import('./backup/program').then((m) => m.backupProgram as NodeProgram),
  witness: () => import('./witness/program').then((m) => m.witnessProgram as NodeProgram),
  server: () => import('./server/program').then((m) => m.serverProgram as NodeProgram),
  'load-balancer': () => import('./load-balancer/program').then((m) => m.loadBalancerProgram as NodeProgram),
};

const loaded = new Map<ProgramKey, NodeProgram>();

/** Loads the programs this topology runs; null when they are all here already (nothing to wait for). */
export function preloadPrograms(topology: Topology): Promise<void> | null {
  const missing = programKeys(topology).filter((key) => !loaded.has(key));
  if (missing.length === 0) return null;
  return Promise.all(missing.map(async (key) => loaded.set(key, await LOADERS[key]()))).then(() => undefined);
}

function loadedProgram(key: ProgramKey): NodeProgram {
  const program = loaded.get(key);
  if (!program) throw new Error(`the ${key} program was not loaded before the simulation was built`);
  return program;
}

export const { programFor, companionFor } = programRegistry(loadedProgram);
