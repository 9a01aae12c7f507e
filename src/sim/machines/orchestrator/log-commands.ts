/**
 * The agent's commands in the orchestrators' Raft log, written and read back: a `lease` entry
 * renews the primary's lease (and carries its naming of a synchronous standby), a `failover` entry
 * is a failover decided by a majority. The log is what an agent reads back after a restart.
 */
import type { NodeId } from '../protocol';
import type { FailoverPlan, PlanKind } from './types';

/** `term.round` names one renewal of one leadership: a restarted agent cannot mistake an entry of its earlier life for its own. */
export function leaseCommand(primary: NodeId, epoch: number, by: NodeId, term: number, round: number, sync: SyncMark | null = null): string {
  const base = `lease ${primary} ${epoch} ${by}#${term}.${round}`;
  return sync === null ? base : `${base} sync ${sync.epoch}.${sync.gen}`;
}

/** A primary's naming of its synchronous standby, as a lease entry carries it: its epoch and number. */
export interface SyncMark {
  readonly epoch: number;
  readonly gen: number;
}

/**
 * `failover db-1 db-2 2 9900/1 manual`: promote db-2 in place of db-1 as primary of epoch 2; db-2
 * was chosen holding the WAL up to LSN 9900 of epoch 1; an operator asked for it (absent: the
 * agents decided). The log is the one counter of epochs: an entry whose epoch is not newer than
 * every epoch the log already holds is overtaken, and ignored.
 */
export function failoverCommand(plan: Pick<FailoverPlan, 'from' | 'to' | 'epoch' | 'lsn' | 'timeline' | 'kind'>): string {
  const base = `failover ${plan.from} ${plan.to} ${plan.epoch} ${plan.lsn}/${plan.timeline}`;
  return plan.kind === 'auto' ? base : `${base} ${plan.kind}`;
}

/**
 * `op-17`: the seventeenth command of the scenario's workload (`workload.proposalsPerSec`). It
 * stands for the work of the service the orchestrators replicate: no part of the agent reads it,
 * so a snapshot need not keep it (snapshot.ts).
 */
export function workloadCommand(n: number): string {
  return `op-${n}`;
}

export function isWorkloadCommand(cmd: string): boolean {
  return WORKLOAD_COMMAND.test(cmd);
}

const WORKLOAD_COMMAND = /^op-\d+$/;

export type Command =
  | { kind: 'lease'; primary: NodeId; epoch: number; by: NodeId; term: number; round: number; sync: SyncMark | null }
  | { kind: 'failover'; from: NodeId; to: NodeId; epoch: number; lsn: number; timeline: number; by: PlanKind };

export function parseCommand(cmd: string): Command | null {
  const lease = /^lease (\S+) (\d+) (\S+)#(\d+)\.(\d+)(?: sync (\d+)\.(\d+))?$/.exec(cmd);
  if (lease) {
    const sync = lease[6] === undefined ? null : { epoch: Number(lease[6]), gen: Number(lease[7]) };
    return { kind: 'lease', primary: lease[1]!, epoch: Number(lease[2]), by: lease[3]!, term: Number(lease[4]), round: Number(lease[5]), sync };
  }
  const failover = /^failover (\S+) (\S+) (\d+)(?: (\d+)\/(\d+))?(?: (manual|promote|switchover))?$/.exec(cmd);
  if (failover) {
    const by = (failover[6] ?? 'auto') as PlanKind;
    return { kind: 'failover', from: failover[1]!, to: failover[2]!, epoch: Number(failover[3]), lsn: Number(failover[4] ?? 0), timeline: Number(failover[5] ?? 0), by };
  }
  return null;
}

