/** Which node programs a topology runs, by name: what the browser's worker loads before a run. */
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
