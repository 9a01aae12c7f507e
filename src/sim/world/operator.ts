/**
 * The operator's hand on the world: the scenario's events and the user's actions. Each names its
 * nodes by id or by selector (`@leader`, `@primary`, `@last-crashed`), resolved when it takes
 * effect; each is traced as a `fault` before what it causes, with `noop` saying in words why it
 * changed nothing.
 */
import { Lane, type Kernel, type Schedule } from '../kernel/kernel';
import type { NodeHost } from '../kernel/node-host';
import { agentsDecide } from '../machines/database/logic';
import type { OperatorRequest } from '../machines/orchestrator/types';
import type { NodeId } from '../machines/protocol';
import { SELECTORS } from '../scenario/nodes';
import type { RegionRole, ScenarioEvent } from '../scenario/types';
import type { FaultTraceEvent } from '../trace/trace';
import type { Agents } from './agents';
import type { Cloud } from './cloud';
import type { Outcome, Restore } from './restore';
import type { DatabaseService } from './service';
import { applySetting } from './settings-path';
import type { Workload } from './workload';

type NodeAction = 'crash' | 'wipe-disk' | 'restart' | 'promote' | 'switchover';
type Fault = Omit<FaultTraceEvent, 'atMs' | 'type'>;

export interface OperatorWorld {
  readonly agents: Agents;
  readonly cloud: Cloud;
  readonly restore: Restore;
  readonly service: DatabaseService;
  readonly workload: Workload;
}

export class Operator {
  /** The node the `@last-crashed` selector names: the latest taken down by a crash or a wiped disk. */
  private lastCrashed: NodeId | null = null;
  /** The latest node brought back by a restart. */
  private lastRestarted: NodeId | null = null;
  private readonly scheduled: Schedule<ScenarioEvent>;

  constructor(
    private readonly kernel: Kernel,
    private readonly world: OperatorWorld,
  ) {
    this.scheduled = kernel.itemKind<ScenarioEvent>('scenario', (event) => this.apply(event));
  }

  /** The nodes the operator's hand last took down (a crash or a wiped disk) and last restarted: a lesson's live values. */
  hands(): { readonly lastCrashed: NodeId | null; readonly lastRestarted: NodeId | null } {
    return { lastCrashed: this.lastCrashed, lastRestarted: this.lastRestarted };
  }

  /** Puts an event on the queue at its time, after the system's own work of that millisecond. */
  schedule(event: ScenarioEvent): void {
    this.scheduled(event.atMs, event, Lane.Scenario);
  }

  /** The trace tells the scenario event first, then what it caused (a node going down, …). */
  private apply(event: ScenarioEvent): void {
    const { result: fault, deferred } = this.kernel.deferring(() => this.perform(event));
    this.kernel.record({ atMs: this.kernel.nowMs, type: 'fault', ...fault } as FaultTraceEvent);
    for (const e of deferred) this.kernel.record(e);
  }

  /** Performs one scenario event and returns what the trace says of it (selectors resolved). */
  private perform(event: ScenarioEvent): Fault {
    const { kernel, world } = this;
    switch (event.do) {
      case 'crash':
      case 'wipe-disk':
      case 'restart':
      case 'promote':
      case 'switchover': {
        const target = this.resolve(event.node);
        if ('noop' in target) return { do: event.do, noop: target.noop };
        return { do: event.do, node: target.id, ...this.nodeAction(event.do, target.host) };
      }
      case 'restore-backup': {
        const target = this.resolve(event.node);
        if ('noop' in target) {
          const created = world.restore.ontoNewMachine(event.node, event.from);
          if ('noop' in created) return { do: event.do, ...(created.named ? { node: event.node } : {}), from: event.from, noop: created.result.noop };
          return { do: event.do, node: created.id, from: event.from, ...created.result };
        }
        return { do: event.do, node: target.id, from: event.from, ...world.restore.start(target.host, event.from) };
      }
      case 'partition': {
        const groups = event.groups.map((g) => g.filter((r) => r !== '*').map((r) => this.resolveId(r)).filter((id): id is NodeId => id !== null));
        const restGroup = event.groups.findIndex((g) => g.includes('*'));
        kernel.network.partition(groups, restGroup);
        const named = new Set(groups.flat());
        const rest = [...kernel.hosts()].map((h) => h.id).filter((id) => !named.has(id));
        const shown = restGroup >= 0 ? groups.map((g, i) => (i === restGroup ? [...g, ...rest] : g)) : rest.length > 0 ? [...groups, rest] : groups;
        return { do: 'partition', groups: shown };
      }
      case 'cut':
      case 'heal-link':
      case 'slow-link': {
        const a = this.resolveId(event.between[0]);
        const b = this.resolveId(event.between[1]);
        if (a === null || b === null) return { do: event.do, noop: `${a === null ? event.between[0] : event.between[1]} is not part of this simulation` };
        if (event.do === 'slow-link') kernel.network.slowLink(a, b, event.latencyMs, event.lossRate);
        else if (event.do === 'cut') kernel.network.cut(a, b);
        else kernel.network.healLink(a, b);
        return { do: event.do, between: [a, b] };
      }
      case 'heal':
        kernel.network.heal();
        return { do: 'heal' };
      case 'region-down':
      case 'region-up':
        return { do: event.do, region: kernel.topology.regions[event.region], ...this.regionAction(event.do, event.region) };
      case 'set': {
        const result = applySetting(kernel.settings, event.path, event.value);
        if (!result.ok) return { do: 'set', path: event.path, value: event.value, noop: result.reason };
        kernel.settings = result.settings;
        return { do: 'set', path: event.path, value: event.value };
      }
      case 'propose':
        if (world.workload.orchestratorIds().length === 0) return { do: 'propose', cmd: event.cmd, noop: 'there are no orchestrators to take it' };
        world.workload.propose(event.cmd);
        return { do: 'propose', cmd: event.cmd };
    }
  }

  // ---- selectors ----------------------------------------------------------------------------

  /** Resolves `@leader` / `@primary` / `@last-crashed` / an id to a hosted node, or explains why it cannot. */
  private resolve(ref: string): { id: NodeId; host: NodeHost } | { noop: string } {
    if (ref === SELECTORS.leader) {
      let best: NodeHost | null = null;
      let bestTerm = -1;
      for (const host of this.kernel.hosts()) {
        if (host.kind !== 'orchestrator' || !host.up) continue;
        const leads = host.facts().leads;
        if (leads && leads.term > bestTerm) {
          best = host;
          bestTerm = leads.term;
        }
      }
      return best ? { id: best.id, host: best } : { noop: 'there is no leader at this moment' };
    }
    if (ref === SELECTORS.primary) {
      const primary = this.world.service.primary();
      return primary ? { id: primary.id, host: primary } : { noop: 'no database node accepts writes at this moment' };
    }
    if (ref === SELECTORS.lastCrashed) {
      const host = this.lastCrashed === null ? undefined : this.kernel.host(this.lastCrashed);
      return host ? { id: host.id, host } : { noop: 'no node has crashed yet' };
    }
    const host = this.kernel.host(ref);
    return host ? { id: ref, host } : { noop: `${ref} is not part of this simulation` };
  }

  private resolveId(ref: string): NodeId | null {
    const r = this.resolve(ref);
    return 'noop' in r ? null : r.id;
  }

  // ---- a hand on one node -------------------------------------------------------------------

  private nodeAction(action: NodeAction, host: NodeHost): Outcome {
    const { kernel, world } = this;
    const replacedBy = world.cloud.replacedBy.get(host.id);
    if (world.cloud.provisioning.has(host.id) && action !== 'promote') return { noop: `${host.id} is still being provisioned` };
    switch (action) {
      case 'crash':
        if (!host.up) return { noop: `${host.id} is already down` };
        this.takeDown(host, 'crash', false);
        return {};
      case 'wipe-disk':
        this.takeDown(host, 'wipe-disk', true);
        return {};
      case 'restart':
        if (host.up) return { noop: `${host.id} is already running` };
        if (replacedBy !== undefined) return { noop: `${host.id} was replaced by ${replacedBy}; its machine was retired for good` };
        // A database node whose disk was lost may be restarted by hand, empty, to be rebuilt from a
        // base backup (an operator swapping the disk) until the orchestrators have replaced it.
        if (host.diskLost && host.kind !== 'database') return { noop: `${host.id} lost its disk; it cannot come back under the same identity` };
        if (kernel.network.isRegionDark(host.region)) return { noop: `${host.id}'s data centre is dark` };
        kernel.bringUp(host, 'restarted');
        this.lastRestarted = host.id;
        return {};
      case 'promote':
      case 'switchover':
        if (host.kind !== 'database') return { noop: `${host.id} is not a database node` };
        if (!host.up) return { noop: `${host.id} is down` };
        if (agentsDecide(kernel.topology) && this.askOrchestrators(action, host.id)) return {};
        if (action === 'switchover') {
          if (agentsDecide(kernel.topology)) return { noop: 'no orchestrator leads now, and a switchover is carried out by the orchestrators; try again once one leads' };
          return this.switchoverByHand(host);
        }
        // No orchestrators, or none leads (their data centre is dark, or they lost their
        // majority): the operator's pg_ctl promote acts alone, in a new epoch all the same.
        world.service.promote(host);
        return {};
    }
  }

  /**
   * A switchover where no orchestrators run: the operator asks the primary that `target` streams
   * from to hand over to it (the primary stops taking writes, waits until `target` has flushed all
   * of its WAL, promotes it in the next epoch and follows it; see the database's
   * `switchoverByOperator`). Refused in words when `target` is not a standby of a running primary.
   */
  private switchoverByHand(target: NodeHost): Outcome {
    const view = target.view();
    if (view.role !== 'standby') return { noop: `${target.id} is ${view.role}, not a standby streaming from the primary` };
    const upstream = target.facts().service?.upstream;
    const primary = upstream ? this.kernel.host(upstream) : undefined;
    if (primary === undefined) return { noop: `${target.id} streams from no primary yet` };
    if (!primary.up) return { noop: `${target.id}'s primary ${primary.id} is down: promote ${target.id} instead` };
    if (primary.view().role !== 'primary' || primary.facts().service?.writable !== true) return { noop: `${primary.id}, which ${target.id} follows, is not a primary taking writes` };
    this.kernel.tell(primary, { type: 'operator', action: 'switchover', to: target.id, epoch: this.world.service.nextEpoch() });
    return {};
  }

  /**
   * With Raft orchestrators, an operator's promotion or switchover goes to the agent whose member
   * leads (as patronictl goes through Patroni's store), which makes it a plan in the log or refuses
   * it with the reason. False when no orchestrator leads now.
   */
  private askOrchestrators(action: 'promote' | 'switchover', node: NodeId): boolean {
    const leader = this.world.agents.leader();
    if (leader === null) return false;
    const msg: OperatorRequest = { type: 'OperatorRequest', action, node };
    this.kernel.tell(leader, { type: 'message', from: 'operator', msg });
    return true;
  }

  // ---- power ---------------------------------------------------------------------------------

  private regionAction(action: 'region-down' | 'region-up', region: RegionRole): Outcome {
    const { kernel } = this;
    const name = kernel.topology.regions[region];
    if (action === 'region-down') {
      if (kernel.network.isRegionDark(region)) return { noop: `${name} is already dark` };
      kernel.network.setRegionDark(region, true);
      for (const host of kernel.hosts()) if (host.region === region && host.up) this.takeDown(host, 'region-down', false);
      return {};
    }
    if (!kernel.network.isRegionDark(region)) return { noop: `${name} is not dark` };
    kernel.network.setRegionDark(region, false);
    for (const host of kernel.hosts()) if (host.region === region && host.downCause === 'region-down') kernel.bringUp(host, `${name} has power again`);
    return {};
  }

  private takeDown(host: NodeHost, cause: 'crash' | 'wipe-disk' | 'region-down', loseDisk: boolean): void {
    if (cause !== 'region-down') this.lastCrashed = host.id;
    const reason = cause === 'crash' ? 'crashed' : cause === 'wipe-disk' ? 'its disk failed' : `${this.kernel.topology.regions[host.region]} went dark`;
    this.kernel.takeDown(host, cause, loseDisk, reason);
  }
}
