/**
 * The cloud around the machines: it starts new ones when the orchestrators ask (`provision`),
 * retires the machine a replacement takes over from, powers a machine off out of band (`fence`,
 * STONITH) and answers its API's questions about a machine (`cloud-status`). Power controllers and
 * the cloud's API sit on a management network that partitions and cut links do not touch; a dark
 * data centre is the one place they cannot reach.
 */
import type { Kernel, Schedule } from '../kernel/kernel';
import { SimulationError, type NodeHost } from '../kernel/node-host';
import type { NodeKind } from '../machines/program';
import type { NodeId } from '../machines/protocol';
import { companionFor, programFor } from '../machines/registry';
import { kindOfNodeId } from '../scenario/nodes';
import { runnerFor } from './companion';

export class Cloud {
  /** Machines the cloud is still starting, and when each will boot. */
  readonly provisioning = new Map<NodeId, number>();
  /** Replacement → the dead node it replaces, and back. */
  readonly replacesOf = new Map<NodeId, NodeId>();
  readonly replacedBy = new Map<NodeId, NodeId>();
  private readonly provisioned: Schedule<NodeId>;

  constructor(private readonly kernel: Kernel) {
    kernel.handle('provision', (by, effect) => this.provision(by, effect.node, effect.kind, effect.replaces));
    kernel.handle('fence', (by, effect) => this.fence(by, effect.node));
    kernel.handle('cloud-status', (by, effect) => this.status(by, effect.node));
    this.provisioned = kernel.itemKind<NodeId>('provisioned', (node) => this.finishProvisioning(node));
  }

  /**
   * Starts a new machine `node`; it boots `provisionMs` later. Asking again changes nothing. A
   * database node is started empty in the data centre of the node it replaces, and knows the other
   * database nodes still in service as its peers.
   */
  private provision(by: NodeHost, node: NodeId, kind: NodeKind, replaces: NodeId | null): void {
    const { kernel } = this;
    if (kernel.host(node)) return;
    if (kindOfNodeId(node, kernel.topology) !== kind) throw new SimulationError(`${by.id} asked for a ${kind} named "${node}"`, kernel.nowMs, by.id);
    const program = programFor(kind, kernel.topology);
    if (!program) throw new SimulationError(`${by.id} asked for a ${kind}, which this scenario cannot run`, kernel.nowMs, by.id);
    const old = replaces === null ? undefined : kernel.host(replaces);
    const region = kind === 'database' ? (old?.region ?? 'primary') : 'primary';
    // A brand-new orchestrator knows no peers: it learns the cluster from the leader's log.
    const peers = kind === 'database' ? [...kernel.hosts()].filter((h) => h.kind === 'database' && h.id !== replaces && !this.replacedBy.has(h.id)).map((h) => h.id) : [];
    const host = kernel.addHost(node, kind, region, program, peers, runnerFor(node, program, companionFor(kind, kernel.topology)));
    if (kind === 'database') host.blank = true;
    const readyAtMs = kernel.nowMs + kernel.settings.provisionMs;
    this.provisioning.set(node, readyAtMs);
    if (replaces !== null) {
      this.replacesOf.set(node, replaces);
      this.replacedBy.set(replaces, node);
      // The cloud terminates the machine being replaced: one cut off but alive must not linger as a ghost.
      if (old?.up) kernel.takeDown(old, 'fenced', false, `retired: ${node} replaces it`);
      else if (old) old.downCause = 'fenced'; // retired while down: power coming back does not start it
    }
    this.provisioned(readyAtMs, node);
  }

  private finishProvisioning(node: NodeId): void {
    const host = this.kernel.host(node)!;
    this.provisioning.delete(node);
    const replaces = this.replacesOf.get(node);
    const why = replaces === undefined ? 'provisioned' : `provisioned as the replacement for ${replaces}`;
    if (this.kernel.network.isRegionDark(host.region)) {
      host.downCause = 'region-down'; // boots when the data centre has power again
      return;
    }
    this.kernel.bringUp(host, why);
  }

  /**
   * STONITH: powers `node` off out of band, then tells the asking agent how it went. In a dark
   * data centre the node is probably off, but nobody can prove it, and (Pacemaker's rule) nothing
   * may be promoted.
   */
  private fence(by: NodeHost, node: NodeId): void {
    const { kernel } = this;
    const target = kernel.host(node);
    let ok = true;
    let reason: string;
    if (!target) {
      ok = false;
      reason = `${node} is not part of this simulation`;
    } else if (kernel.network.isRegionDark(target.region)) {
      ok = false;
      reason = `the power controller of ${node} in ${kernel.topology.regions[target.region]} cannot be reached: the data centre is dark`;
    } else if (target.up) {
      kernel.takeDown(target, 'fenced', false, `fenced: ${by.id} powered it off out of band (STONITH)`);
      reason = `${by.id} powered ${node} off out of band (STONITH)`;
    } else {
      reason = `${node} is already down; ${by.id} keeps its power off (STONITH)`;
    }
    if (by.up) kernel.tell(by, { type: 'fence-result', node, ok, reason });
  }

  /** The cloud's API answers about a machine: whether it runs, whether its disk is lost, whether its data centre is dark. */
  private status(by: NodeHost, node: NodeId): void {
    const target = this.kernel.host(node);
    if (!target || !by.up) return;
    this.kernel.tell(by, { type: 'cloud-status', node, up: target.up, diskLost: !target.up && target.diskLost, dark: this.kernel.network.isRegionDark(target.region) });
  }
}
