/**
 * A simulated world: the kernel (src/sim/kernel) hosting the scenario's nodes, and around it the
 * world modules that register with it what they need: the cloud (cloud.ts), the database service
 * (service.ts), the failover agents (agents.ts), the clients (workload.ts), restores (restore.ts)
 * and the operator (operator.ts). This is what the worker, the command line and the tests run:
 * a pure function of (scenario, seed, recorded actions).
 */
import { restoreCheckpoint, takeCheckpoint, type Checkpoint, type CheckpointedWorld } from '../checkpoint/checkpoint';
import { InvariantChecker } from '../check/invariants';
import { Kernel, type KernelOptions } from '../kernel/kernel';
import { SimulationError, type NodeHost } from '../kernel/node-host';
import type { DatabaseDisk } from '../machines/database/types';
import type { NodeId } from '../machines/protocol';
import { companionFor, programFor } from '../machines/registry';
import type { Network } from '../network/network';
import { ReportBuilder, type Report } from '../report/report';
import { WriteLedger } from '../report/write-ledger';
import { initialNodes } from '../scenario/nodes';
import type { RegionRole, Scenario, ScenarioEvent, Settings, UserAction } from '../scenario/types';
import type { TraceEvent } from '../trace/trace';
import { Agents } from './agents';
import { Cloud } from './cloud';
import { runnerFor } from './companion';
import { MessagesInFlight, type InFlightMessage } from './in-flight';
import type { NodeState } from './node-state';
import { Operator } from './operator';
import { Restore } from './restore';
import { DatabaseService } from './service';
import { Workload } from './workload';

export { SimulationError };
export type { Checkpoint, InFlightMessage, NodeState };
export type { UserAction } from '../scenario/types';

/** The first of the program's countdown timers armed now (a Raft follower's election timer), or null. */
function countdownOf(host: NodeHost): NodeState['countdown'] | null {
  if (!host.up) return null;
  for (const name of host.program.countdownTimers ?? []) {
    const timer = host.timers.get(name);
    if (timer) return { name, fromMs: timer.fromMs, atMs: timer.atMs };
  }
  return null;
}

export type SimulationOptions = Omit<KernelOptions, 'seed' | 'settings' | 'topology'> & {
  /** Keep messages in flight for drawing (the page); the CLI does not need them. */
  readonly trackMessages?: boolean | undefined;
  /** With `trackMessages`, called with every message as it is sent. */
  readonly onMessage?: ((message: InFlightMessage) => void) | undefined;
};

export class Simulation {
  readonly scenario: Scenario;
  private readonly kernel: Kernel;
  private readonly checker: InvariantChecker;
  private readonly reportBuilder = new ReportBuilder();
  private readonly ledger = new WriteLedger();
  private readonly agents: Agents;
  private readonly cloud: Cloud;
  private readonly service: DatabaseService;
  private readonly workload: Workload;
  private readonly operator: Operator;
  private readonly restores: Restore;
  private readonly userEvents: ScenarioEvent[] = [];
  private readonly inFlight: MessagesInFlight | null;

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = scenario;
    const { topology } = scenario;
    const { trackMessages, onMessage, ...kernelOptions } = options;
    const kernel = new Kernel({ ...kernelOptions, seed: scenario.seed, settings: scenario.settings, topology });
    this.kernel = kernel;
    this.inFlight = trackMessages ? new MessagesInFlight(kernel, onMessage) : null;
    this.checker = new InvariantChecker(topology);
    kernel.observe((e) => this.checker.observe(e));
    kernel.observe((e) => this.reportBuilder.observe(e));
    kernel.observe((e) => this.ledger.observe(e));
    this.agents = new Agents(kernel, topology);
    this.cloud = new Cloud(kernel);
    this.service = new DatabaseService(kernel, this.agents);
    this.workload = new Workload(kernel, scenario, this.service);
    this.restores = new Restore(kernel, this.cloud, this.service);
    this.operator = new Operator(kernel, { agents: this.agents, cloud: this.cloud, restore: this.restores, service: this.service, workload: this.workload });

    const specs = initialNodes(topology);
    for (const spec of specs) {
      const program = programFor(spec.kind, topology);
      if (!program) continue; // this kind is not simulated yet
      const peers = specs.filter((s) => s.kind === spec.kind && s.id !== spec.id).map((s) => s.id);
      kernel.addHost(spec.id, spec.kind, spec.region, program, peers, runnerFor(spec.id, program, companionFor(spec.kind, topology)));
    }
    for (const host of [...kernel.hosts()]) kernel.bringUp(host, 'booted');
    for (const event of scenario.events) this.operator.schedule(event);
    this.workload.start();
  }

  get nowMs(): number {
    return this.kernel.nowMs;
  }

  /**
   * A copy of the whole run as it stands now (see checkpoint/checkpoint.ts). `Simulation.restore`
   * puts it back into a new simulation, which then runs on exactly as this one would.
   */
  checkpoint(): Checkpoint {
    return takeCheckpoint(this.checkpointed());
  }

  /**
   * A simulation of `scenario` standing where `checkpoint` was taken. The scenario must be the one
   * the checkpointed run was built from, with the actions recorded in it up to the checkpoint (for
   * `recordedScenario`; the run itself takes what was on the queue from the checkpoint). An action
   * recorded later than the checkpoint was not on its queue: `schedule` it.
   */
  static restore(scenario: Scenario, checkpoint: Checkpoint, options: SimulationOptions = {}): Simulation {
    // The new simulation's own boot is not news to the caller: its callbacks hear only what follows the restore.
    let restored = false;
    const { onTrace, onMessage } = options;
    const sim = new Simulation(scenario, {
      ...options,
      onTrace: onTrace && ((event) => restored && onTrace(event)),
      onMessage: onMessage && ((message) => restored && onMessage(message)),
    });
    restoreCheckpoint(sim.checkpointed(), checkpoint);
    restored = true;
    return sim;
  }

  /** Puts a scenario event due at or after now on the queue: a recorded action a restored checkpoint did not know of yet. */
  schedule(event: ScenarioEvent): void {
    if (event.atMs < this.kernel.nowMs) throw new RangeError(`cannot schedule an event at ${event.atMs}, before now (${this.kernel.nowMs})`);
    this.operator.schedule(event);
  }

  private checkpointed(): CheckpointedWorld {
    const { scenario } = this;
    // The scenario, the kernel's options and the actions recorded as they happened belong to this run, not to its state.
    const wiring = [scenario, scenario.topology, scenario.settings, this.kernel.config, this.userEvents];
    return { root: this, nowMs: this.kernel.nowMs, hosts: () => this.kernel.hosts(), trace: this.kernel.trace, wiring };
  }

  /** Time of the next thing that will happen, or undefined when nothing is left. */
  nextAtMs(): number | undefined {
    return this.kernel.nextAtMs();
  }

  /** Runs everything due at or before `tMs`, then stands at `tMs`. */
  runUntil(tMs: number): void {
    this.kernel.runUntil(tMs);
  }

  /** Runs the next instant at which anything happens (everything due then). False if nothing is left. */
  stepInstant(limitMs = Number.POSITIVE_INFINITY): boolean {
    const at = this.kernel.nextAtMs();
    if (at === undefined || at > limitMs) return false;
    this.kernel.runUntil(at);
    return true;
  }

  /**
   * A user's action, now. It is recorded into the scenario's events at the current time and
   * performed through the queue, exactly as the same event in a file would be on replay.
   */
  act(action: UserAction): ScenarioEvent {
    const event = { ...action, atMs: this.kernel.nowMs } as ScenarioEvent;
    this.userEvents.push(event);
    this.operator.schedule(event);
    this.kernel.runUntil(this.kernel.nowMs);
    return event;
  }

  /** The scenario with every user action recorded into its events (for links and files). */
  recordedScenario(): Scenario {
    const events = [...this.scenario.events, ...this.userEvents].map((e, i) => ({ e, i }));
    events.sort((x, y) => x.e.atMs - y.e.atMs || x.i - y.i);
    return { ...this.scenario, events: events.map((x) => x.e) };
  }

  nodes(): NodeState[] {
    return [...this.kernel.hosts()].map((h) => {
      const readyAtMs = this.cloud.provisioning.get(h.id);
      const view = readyAtMs === undefined ? h.view() : { role: 'provisioning', term: null, detail: { readyAtMs } };
      const facts = h.facts();
      let state: NodeState = { id: h.id, kind: h.kind, region: h.region, up: h.up, view };
      if (h.up && facts.service !== undefined) state = { ...state, service: facts.service };
      const watch = this.agents.watch(h);
      if (watch) state = { ...state, watch };
      const watches = h.up ? (facts.watches ?? []) : [];
      if (watches.length > 0) state = { ...state, watches };
      if (facts.backends !== undefined) state = { ...state, backends: facts.backends };
      const replaces = this.cloud.replacesOf.get(h.id);
      if (replaces !== undefined) state = { ...state, replaces };
      const replacedBy = this.cloud.replacedBy.get(h.id);
      if (replacedBy !== undefined) state = { ...state, replacedBy };
      if (readyAtMs !== undefined) state = { ...state, readyAtMs };
      const restoring = this.restores.progressOf(h.id);
      if (restoring !== undefined) state = { ...state, restoring: { from: restoring.from, readyAtMs: restoring.readyAtMs, upToLsn: restoring.upToLsn } };
      const countdown = countdownOf(h);
      if (countdown) state = { ...state, countdown };
      const statecharts = h.runner.statecharts();
      if (statecharts) state = { ...state, statecharts };
      return state;
    });
  }

  /** What each database node has on disk now (flushed WAL only): what a check of the run's outcome reads. */
  databaseDisks(): { id: NodeId; up: boolean; disk: DatabaseDisk | null }[] {
    return [...this.kernel.hosts()].filter((h) => h.kind === 'database').map((h) => ({ id: h.id, up: h.up, disk: h.currentDisk() as DatabaseDisk | null }));
  }

  messagesInFlight(): InFlightMessage[] {
    return this.inFlight?.all() ?? [];
  }

  faults(): ReturnType<Network['faults']> {
    return this.kernel.network.faults();
  }

  /** Every trace event so far (empty when the simulation was made with `keepTrace: false`). */
  get trace(): readonly TraceEvent[] {
    return this.kernel.trace;
  }

  /** The nodes the operator (a scenario event or the learner) last crashed and last restarted. */
  hands(): ReturnType<Operator['hands']> {
    return this.operator.hands();
  }

  /** The safety checks as of now: an overlap still open counts up to this moment. */
  invariants(): ReturnType<InvariantChecker['results']> {
    return this.checker.results(this.kernel.nowMs);
  }

  /** The live figures the page's meters show: client writes so far, the worst data loss, the downtime clients saw and the time without a primary. */
  meters(): {
    writes: Report['writes'];
    rpo: Report['rpo'];
    unavailableMs: number;
    noPrimaryMs: number;
    primary: NodeId | null;
    requests: Report['requests'];
    /** Since when clients' writes have been failing with none acknowledged since; null while they succeed. */
    writesFailingSinceMs: number | null;
  } {
    const now = this.kernel.nowMs;
    return {
      writesFailingSinceMs: this.workload.writes.failingSince(),
      requests: this.workload.requests.figures(),
      writes: this.writeFigures(),
      rpo: this.ledger.rpo(),
      unavailableMs: this.workload.writes.unavailableUntil(now),
      noPrimaryMs: this.ledger.unavailableUntil(now),
      primary: this.service.primary()?.id ?? null,
    };
  }

  private writeFigures(): Report['writes'] {
    const { writes } = this.workload;
    return { attempted: writes.attempted, acknowledged: writes.acknowledged, rejected: writes.rejected, lost: this.ledger.lost };
  }

  currentSettings(): Settings {
    return this.kernel.settings;
  }

  report(): Report {
    const now = this.kernel.nowMs;
    const regionName = (r: RegionRole) => this.scenario.topology.regions[r];
    return this.reportBuilder.build({
      scenario: this.scenario,
      endMs: now,
      invariants: this.checker.results(now),
      nodes: this.nodes().map((n) => ({ id: n.id, kind: n.kind, region: regionName(n.region), up: n.up, role: n.view.role, term: n.view.term })),
      stats: { ...this.kernel.stats },
      writes: this.writeFigures(),
      rpo: this.ledger.rpo(),
      rto: { unavailableMs: this.workload.writes.unavailableUntil(now), noPrimaryMs: this.ledger.unavailableUntil(now) },
      failovers: this.ledger.failoverList(),
      requests: this.workload.requests.figures(),
      lostDegraded: this.ledger.lostDegraded,
    });
  }
}
