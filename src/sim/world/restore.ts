/**
 * An operator restores a database node from a backup store: provision a machine, copy the newest
 * full backup and the incrementals after it (at `baseBackupBytesPerSec`), verify, then switch: the
 * node comes up with that data. The store's backups are read when the restore starts.
 */
import type { Kernel, Schedule } from '../kernel/kernel';
import type { NodeHost } from '../kernel/node-host';
import { planRestore, type RestorePlan } from '../machines/backup/logic';
import type { BackupDisk } from '../machines/backup/types';
import type { DatabaseDisk } from '../machines/database/types';
import { formatLsn } from '../machines/database/wal';
import type { NodeId } from '../machines/protocol';
import { programFor } from '../machines/registry';
import { kindOfNodeId } from '../scenario/nodes';
import type { Cloud } from './cloud';
import type { DatabaseService } from './service';

interface RestoreDone {
  readonly node: NodeId;
  readonly from: NodeId;
  readonly plan: RestorePlan;
  readonly startedAtMs: number;
}

export type Outcome = { noop?: string };

/** A restore under way, as the page shows it on the node's card: from which store, up to which LSN, ready when. */
export interface RestoreProgress {
  readonly from: NodeId;
  readonly startedAtMs: number;
  readonly readyAtMs: number;
  /** The last WAL position the backups hold (the restored node's data ends there), e.g. `0/4DBC`. */
  readonly upToLsn: string;
}

export class Restore {
  /** Database nodes being restored from a backup right now. */
  private readonly restoring = new Map<NodeId, RestoreProgress>();
  private readonly done: Schedule<RestoreDone>;

  constructor(
    private readonly kernel: Kernel,
    private readonly cloud: Cloud,
    private readonly service: DatabaseService,
  ) {
    this.done = kernel.itemKind<RestoreDone>('restore-done', (item) => this.finish(item));
  }

  private regionName(host: NodeHost): string {
    return this.kernel.topology.regions[host.region];
  }

  /** Why `host` cannot be restored from `from` now, or the plan of the restore. */
  private planFor(host: NodeHost, from: NodeId): RestorePlan | { noop: string } {
    if (host.kind !== 'database') return { noop: `${host.id} is not a database node` };
    if (this.cloud.replacedBy.has(host.id)) return { noop: `${host.id} was replaced by ${this.cloud.replacedBy.get(host.id)}; its machine was retired for good` };
    if (host.up) return { noop: `${host.id} is running: a backup is restored only onto a node that is down, whose disk failed or that was stopped` };
    if (this.restoring.has(host.id)) return { noop: `${host.id} is already being restored` };
    if (this.kernel.network.isRegionDark(host.region)) return { noop: `${host.id}'s data centre ${this.regionName(host)} is dark` };
    const problem = this.storeProblem(from);
    if (problem !== null) return { noop: problem };
    const store = this.kernel.host(from)!;
    const plan = planRestore((store.currentDisk() as BackupDisk | null)?.chain ?? [], this.kernel.settings.baseBackupBytesPerSec);
    return plan ?? { noop: `${from} holds no full backup yet: there is nothing to restore` };
  }

  /** Why the backups of `from` cannot be read now, or null when they can. */
  private storeProblem(from: NodeId): string | null {
    const store = this.kernel.host(from);
    if (!store || store.kind !== 'backup') return `there is no backup store ${from} in this simulation`;
    if (this.kernel.network.isRegionDark(store.region)) {
      return `${from} is in ${this.regionName(store)}, which is dark: its backups cannot be read, and no copy of them exists elsewhere unless backups are offsite`;
    }
    if (!store.up) return `${from} is down: its backups cannot be read`;
    return null;
  }

  /** The restore of `node` under way now, if one is. */
  progressOf(node: NodeId): RestoreProgress | undefined {
    return this.restoring.get(node);
  }

  /** Starts restoring `host` from the backups of `from`, or says why it cannot. */
  start(host: NodeHost, from: NodeId): Outcome {
    const plan = this.planFor(host, from);
    if ('noop' in plan) return plan;
    const now = this.kernel.nowMs;
    const readyAtMs = now + plan.totalMs;
    this.restoring.set(host.id, { from, startedAtMs: now, readyAtMs, upToLsn: formatLsn(plan.upToLsn) });
    if (host.incarnation === 0) this.cloud.provisioning.set(host.id, readyAtMs); // a new machine: shown as provisioning until it boots
    this.done(readyAtMs, { node: host.id, from, plan, startedAtMs: now });
    const text =
      `Restoring ${host.id} from ${from}: a full backup and ${plan.incrementals} incremental${plan.incrementals === 1 ? '' : 's'} up to LSN ` +
      `${formatLsn(plan.upToLsn)}, ${(plan.bytes / 1000).toFixed(1)} kB copied in ${(plan.copyMs / 1000).toFixed(1)} s ` +
      `(plus provisioning and checks); ready at ${(readyAtMs / 1000).toFixed(3)} s`;
    this.kernel.record({ atMs: now, type: 'restore', phase: 'started', node: host.id, from, upToLsn: plan.upToLsn, bytes: plan.bytes, readyAtMs, text });
    return {};
  }

  /**
   * The restored node comes up with the backup's data. With no primary left it becomes the primary
   * of a new epoch (an operator's restore after losing everything): its promotion at the backup's
   * LSN makes every write acknowledged after it lost. With a primary, it follows it as a standby.
   */
  private finish(item: RestoreDone): void {
    const { kernel } = this;
    this.restoring.delete(item.node);
    this.cloud.provisioning.delete(item.node);
    const host = kernel.host(item.node)!;
    const { plan } = item;
    const base = { atMs: kernel.nowMs, type: 'restore', node: host.id, from: item.from, upToLsn: plan.upToLsn, bytes: plan.bytes, readyAtMs: kernel.nowMs } as const;
    const retiredBy = this.cloud.replacedBy.get(host.id);
    if (host.up || kernel.network.isRegionDark(host.region) || retiredBy !== undefined) {
      const why =
        retiredBy !== undefined
          ? `the orchestrators replaced ${host.id} by ${retiredBy} meanwhile, and its machine was retired for good`
          : host.up
            ? `${host.id} was started meanwhile`
            : `${host.id}'s data centre went dark`;
      kernel.record({ ...base, phase: 'abandoned', text: `The restore of ${host.id} from ${item.from} was abandoned: ${why}` });
      return;
    }
    const primary = this.service.primary();
    const restoredFrom = `restored from ${item.from} up to LSN ${formatLsn(plan.upToLsn)}`;
    const disk: DatabaseDisk = {
      ...plan.disk,
      epoch: Math.max(plan.epoch, this.service.newestEpoch()),
      role: primary ? 'standby' : 'demoted',
      upstream: primary?.id ?? null,
      restoredFrom: primary ? `${restoredFrom}; follows ${primary.id}` : `${restoredFrom}; no primary is left, so it will be promoted`,
    };
    host.disk = disk;
    host.diskLost = false;
    const tookMs = kernel.nowMs - item.startedAtMs;
    kernel.record({ ...base, phase: 'done', text: `${host.id} restored from ${item.from} up to LSN ${formatLsn(plan.upToLsn)} in ${(tookMs / 1000).toFixed(1)} s` });
    kernel.bringUp(host, restoredFrom);
    if (!primary && host.up) this.service.promote(host);
  }

  /**
   * A restore onto a machine that does not exist yet (`db-4`): the operator provisions it in the
   * backup store's data centre, then restores onto it. Nothing is created when the restore cannot
   * happen (no such store, nothing to restore, …).
   */
  ontoNewMachine(node: NodeId, from: NodeId): { id: NodeId; result: Outcome } | { noop: true; named: boolean; result: { noop: string } } {
    const { kernel } = this;
    const store = kernel.host(from);
    const program = programFor('database', kernel.topology);
    if (kindOfNodeId(node, kernel.topology) !== 'database' || !program) return { noop: true, named: false, result: { noop: `${node} is not part of this simulation` } };
    const problem = this.storeProblem(from);
    if (problem !== null || !store) return { noop: true, named: true, result: { noop: problem ?? `there is no backup store ${from}` } };
    const host = kernel.addHost(node, 'database', store.region, program, [], null);
    const result = this.start(host, from);
    if (result.noop !== undefined) {
      kernel.removeHost(node);
      return { noop: true, named: true, result: { noop: result.noop } };
    }
    return { id: node, result };
  }
}
