/**
 * One playback session: the Simulation, the user's recorded actions and the clock that maps
 * wall time to simulated time. It touches no worker globals, so it can be tested in Node.
 *
 * Seeking is deterministic re-simulation: a new Simulation built from the scenario with the
 * recorded actions written into its events, run to the target time. The kernel's lanes make a
 * click recorded at time t replay exactly as it happened live.
 */
import { describe, lessonMoment, Simulation, statechartsFor, type Scenario, type ScenarioEvent, type TraceEvent, type UserAction } from '../sim';
import type { Faults, Frame, LogLine, StatechartOutline } from './protocol';
import { History } from './history';
import { foldFailover, type FailoverProgress } from './failover-progress';
import { ClockRate } from './clock-rate';
import { DrawnMessages, type DrawnMessage } from './drawn-messages';

/** Sim ms per wall ms while nothing is on the wire and quiet skipping is on. */
export const QUIET_SPEED = 1;
/**
 * Traffic that flows all the time (WAL streaming, health checks, client requests through the load
 * balancer). While only this is on the wire, "hurry through quiet time" still hurries; otherwise a
 * scenario with a database or API servers would never be quiet and would crawl at the slow default
 * speed. Raft traffic, heartbeats included, still slows the clock so that votes and appends can be watched.
 */
const ROUTINE_FAMILIES: ReadonlySet<string> = new Set(['wal', 'wal-ack', 'health-check', 'health-reply', 'request', 'response']);
/** At most this many log lines travel in a frame after a seek; older ones stay in the trace. */
const LOG_LINES_AFTER_SEEK = 400;
/** A tick stops simulating after this much wall time, so the worker keeps answering. */
const TICK_BUDGET_WALL_MS = 40;
/** "Next event" looks this far ahead at most before it gives up (the run may be quiet for good). */
const NEXT_EVENT_LOOKAHEAD_MS = 10 * 60_000;

function withActions(scenario: Scenario, actions: readonly ScenarioEvent[]): Scenario {
  const events = [...scenario.events.map((e, i) => ({ e, i })), ...actions.map((e, i) => ({ e, i: scenario.events.length + i }))];
  events.sort((x, y) => x.e.atMs - y.e.atMs || x.i - y.i);
  return { ...scenario, events: events.map((x) => x.e) };
}

/**
 * The kernel lists only the nodes a partition names; everyone else (the `"*"` group) is added
 * here as a group of its own, so the page can say which side every node is on.
 */
export function withRestGroup(faults: Faults, nodeIds: readonly string[]): Faults {
  if (!faults.partition) return faults;
  const named = new Set(faults.partition.flat());
  const rest = nodeIds.filter((id) => !named.has(id));
  return rest.length > 0 ? { ...faults, partition: [...faults.partition, rest] } : faults;
}

export class Session {
  readonly base: Scenario;
  private actions: ScenarioEvent[] = [];
  private sim!: Simulation;
  /** The shown time; the simulation stands at its floor (the kernel's time is whole ms). */
  private displayMs = 0;
  private pendingLog: LogLine[] = [];
  private logReset = true;
  private logSeq = 0;
  private history = new History();
  private chartReset = true;
  private failover: FailoverProgress | null = null;
  /** The simulated times of the notable events so far, in order (a rebuild replays them from 0). */
  private notableTimes: number[] = [];
  /** The latest notable line at or before the shown time: what the page's "latest event" says. */
  private latest: LogLine | null = null;
  /** The simulation whose trace is arriving, once built (its constructor traces too, before `sim` is set). */
  private tracing: Simulation | null = null;
  /** The Lost writes meter as the log last told it. */
  private lostTold = 0;
  /** Every message sent lately, kept while the page still draws it on its way (drawn-messages.ts). */
  private drawn = new DrawnMessages();

  /** The outlines of the machines this run's nodes run, keyed by machine id: sent to the page once per load. */
  statecharts(): Record<string, StatechartOutline> {
    return statechartsFor(this.base.topology, this.sim.nodes().map((node) => node.kind));
  }
  /** How fast the clock has really run lately, measured as it runs. */
  readonly rate = new ClockRate();
  playing = false;
  speed: number;
  skipQuiet = true;
  /**
   * Times at which a playing clock stops by itself (a lesson's question steps, which the learner
   * answers before the run shows what happens): however fast the run plays, it cannot skip one.
   */
  stopsAtMs: readonly number[] = [];

  constructor(base: Scenario, speed: number) {
    this.base = base;
    this.speed = speed;
    this.rebuild(0);
  }

  get nowMs(): number {
    return this.displayMs;
  }

  get actionCount(): number {
    return this.actions.length;
  }

  recordedScenario(): Scenario {
    return this.sim.recordedScenario();
  }

  /** Advances the clock by `wallMs` of real time at the current speed. */
  advance(wallMs: number, wallClock: () => number): void {
    if (!this.playing || wallMs <= 0) return;
    const startedWallMs = wallClock();
    const fromMs = this.displayMs;
    let hurriedMs = 0;
    let budgetWallMs = Math.min(wallMs, 250); // a tab that slept does not leap ahead
    while (budgetWallMs > 1e-9 && wallClock() - startedWallMs < TICK_BUDGET_WALL_MS) {
      // Busy while a message that is not routine traffic is drawn on its way, so each glyph travels at one pace.
      const watched = this.drawnNow().filter((m) => !ROUTINE_FAMILIES.has(m.look.family));
      const busy = watched.length > 0;
      const rate = busy || !this.skipQuiet ? this.speed : Math.max(this.speed, QUIET_SPEED);
      let next = this.sim.nextAtMs() ?? Number.POSITIVE_INFINITY;
      for (const m of watched) next = Math.min(next, m.drawnEndAtMs);
      const stop = this.stopsAtMs.find((t) => t > this.displayMs + 1e-9);
      const target = Math.min(this.displayMs + budgetWallMs * rate, next, stop ?? Number.POSITIVE_INFINITY);
      budgetWallMs -= (target - this.displayMs) / rate;
      if (rate > this.speed) hurriedMs += target - this.displayMs;
      this.moveTo(target);
      if (stop !== undefined && target >= stop) {
        this.playing = false;
        break;
      }
    }
    this.rate.add(wallMs, this.displayMs - fromMs, hurriedMs);
  }

  /**
   * Runs to the next instant at which a message is sent or arrives, or to the moment a message is
   * drawn half way along its link (its drawn trip, stretched on a short link), whichever comes
   * first: stepping shows every message on its way, not only leaving and arriving.
   */
  step(): void {
    const next = this.sim.nextAtMs();
    let target = next ?? Number.POSITIVE_INFINITY;
    for (const m of this.drawnNow()) {
      const halfway = (m.sentAtMs + m.drawnEndAtMs) / 2;
      if (halfway > this.displayMs + 1e-6 && halfway < target) target = halfway;
    }
    if (target === Number.POSITIVE_INFINITY) return;
    this.moveTo(Math.max(target, this.displayMs));
  }

  /** Seeks to the latest notable event before the shown moment (or to 0). */
  previousEvent(): void {
    const before = this.notableTimes.filter((t) => t < this.displayMs - 1e-6);
    this.seek(before.length > 0 ? before[before.length - 1]! : 0);
  }

  /** Runs on to the next notable event after the shown moment, if one comes within the look-ahead. */
  nextEvent(): void {
    const fromMs = this.displayMs;
    const known = this.notableTimes.find((t) => t > fromMs + 1e-6);
    if (known !== undefined) {
      this.moveTo(known);
      return;
    }
    const seen = this.notableTimes.length;
    for (;;) {
      const next = this.sim.nextAtMs();
      if (next === undefined || next > fromMs + NEXT_EVENT_LOOKAHEAD_MS) return;
      this.moveTo(Math.max(next, this.displayMs));
      const found = this.notableTimes.slice(seen).find((t) => t > fromMs + 1e-6);
      if (found !== undefined) return;
    }
  }

  seek(atMs: number): void {
    const target = Math.max(0, atMs);
    if (target >= this.sim.nowMs) {
      this.moveTo(target);
      return;
    }
    this.rebuild(target);
  }

  /**
   * Back to `atMs`, forgetting the actions recorded after it (and those at it unless `keepAt`):
   * the run from there is the learner's to make again.
   */
  rewind(atMs: number, keepAt: boolean): void {
    const target = Math.max(0, atMs);
    this.actions = this.actions.filter((a) => a.atMs < target || (keepAt && a.atMs === target));
    this.rebuild(target);
  }

  /**
   * Performs a user action now and records it. Acting after seeking back forks the run: the
   * actions recorded later than now belonged to the old future and are dropped.
   */
  act(action: UserAction): void {
    const nowMs = this.sim.nowMs;
    if (this.actions.some((a) => a.atMs > nowMs)) {
      this.actions = this.actions.filter((a) => a.atMs <= nowMs);
      const shownMs = this.displayMs;
      this.rebuild(nowMs);
      this.displayMs = shownMs;
    }
    this.actions.push(this.sim.act(action));
  }

  frame(): Frame {
    const sim = this.sim;
    const nodes = sim.nodes();
    const invariants = sim.invariants().map((r) => ({ name: r.name, ok: r.ok, violations: r.violations.length }));
    const frame: Frame = {
      nowMs: this.displayMs,
      playing: this.playing,
      nodes,
      messages: this.drawnNow(),
      faults: withRestGroup(sim.faults(), nodes.map((n) => n.id)),
      log: this.pendingLog,
      logReset: this.logReset,
      invariants,
      finished: sim.nextAtMs() === undefined,
      meters: this.hasDatabase || this.base.topology.servers > 0 ? sim.meters() : null,
      chart: this.history.drain(),
      chartReset: this.chartReset,
      failover: this.failover,
      latest: this.latest,
      rate: this.playing ? this.rate.reading() : null,
      moment: (this.base.steps?.length ?? 0) > 0 ? lessonMoment(sim, { nodes, invariants }) : null,
    };
    this.pendingLog = [];
    this.logReset = false;
    this.chartReset = false;
    return frame;
  }

  /** The messages drawn at the shown moment, at the current speed. */
  private drawnNow(): DrawnMessage[] {
    return this.drawn.at(this.displayMs, this.speed);
  }

  private get hasDatabase(): boolean {
    return this.base.topology.database !== null;
  }

  /** Runs to `displayMs`, stopping at each whole second on the way for the chart's sample. */
  private moveTo(displayMs: number): void {
    this.displayMs = displayMs;
    const targetMs = Math.floor(displayMs);
    while (this.hasDatabase && this.history.nextAtMs <= targetMs) {
      this.sim.runUntil(this.history.nextAtMs);
      this.history.take(this.sim);
    }
    this.sim.runUntil(targetMs);
  }

  private rebuild(atMs: number): void {
    this.pendingLog = [];
    this.logReset = true;
    this.history = new History();
    this.chartReset = true;
    this.failover = null;
    this.notableTimes = [];
    this.latest = null;
    this.rate.reset();
    this.tracing = null;
    this.lostTold = 0;
    this.drawn.clear();
    this.sim = new Simulation(withActions(this.base, this.actions), {
      // The page reads the trace as it happens (onTrace): kept too, it grew by 10 MB a simulated hour at 20 writes/s.
      keepTrace: false,
      trackMessages: true,
      onMessage: (message) => this.drawn.add(message),
      onTrace: (event) => this.onTrace(event),
    });
    this.tracing = this.sim;
    this.displayMs = 0;
    this.moveTo(atMs);
    if (this.pendingLog.length > LOG_LINES_AFTER_SEEK) this.pendingLog = this.pendingLog.slice(-LOG_LINES_AFTER_SEEK);
  }

  private onTrace(event: TraceEvent): void {
    this.failover = foldFailover(this.failover, event);
    const { text, notable } = describe(event);
    this.push({ seq: ++this.logSeq, atMs: event.atMs, text, notable, kind: event.type });
    if (this.hasDatabase) this.tellLostWrites(event);
  }

  /**
   * Says in the log when acknowledged writes are lost, with the same count as the Lost writes
   * meter: the database's own words ("rewound 12 writes … they are lost") count every write it
   * drops, acknowledged to a client or not. Notable the first time, and when a promotion leaves
   * writes behind; an old primary acknowledging writes one by one on an abandoned timeline is not.
   */
  private tellLostWrites(event: TraceEvent): void {
    const lost = this.tracing?.meters().writes.lost ?? 0;
    if (lost <= this.lostTold) return;
    const more = lost - this.lostTold;
    const notable = this.lostTold === 0 || event.type === 'promoted';
    this.lostTold = lost;
    const text = `${more} acknowledged write${more === 1 ? '' : 's'} lost${more === lost ? '' : `, ${lost} in all`}: the client was told they succeeded, but the newest timeline does not have them (the Lost writes meter)`;
    this.push({ seq: ++this.logSeq, atMs: event.atMs, text, notable, kind: 'writes-lost' });
  }

  private push(line: LogLine): void {
    this.pendingLog.push(line);
    if (line.notable) {
      if (this.notableTimes[this.notableTimes.length - 1] !== line.atMs) this.notableTimes.push(line.atMs);
      this.latest = line;
    }
    // While the page is not taking frames, keep only the newest lines (bounded memory).
    if (this.pendingLog.length > 2 * LOG_LINES_AFTER_SEEK) this.pendingLog = this.pendingLog.slice(-LOG_LINES_AFTER_SEEK);
  }
}
